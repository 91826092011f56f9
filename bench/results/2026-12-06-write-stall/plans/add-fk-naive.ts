/**
 * add-fk
 *
 * Revision ID: b2c554b02861
 * Revises: b6605121be4b
 * Create Date: 2026-12-06T14:53:20.697Z
 */

import type { Op } from 'retort-migrate';

export const revision = 'b2c554b02861';
export const downRevision = 'b6605121be4b';
export const message = 'add-fk';
export const createDate = '2026-12-06T14:53:20.697Z';

export function upgrade(op: Op): void {
  op.createForeignKey('orders_customer_id_fkey', 'orders', 'customers', ['customer_id'], ['id']);
}

export function downgrade(op: Op): void {
  op.dropConstraint('orders_customer_id_fkey', 'orders', 'foreignKey');
}
