/**
 * add-fk
 *
 * Revision ID: 433517537228
 * Revises: 4b8031f6ba40
 * Create Date: 2026-12-06T14:53:45.170Z
 */

import type { Op } from 'retort-migrate';

export const revision = '433517537228';
export const downRevision = '4b8031f6ba40';
export const message = 'add-fk';
export const createDate = '2026-12-06T14:53:45.170Z';

export function upgrade(op: Op): void {
  // foreign key added NOT VALID (new rows are checked at once), the rows of "orders" validated after the commit under SHARE UPDATE EXCLUSIVE, which lets writes go on
  op.createForeignKey('orders_customer_id_fkey', 'orders', 'customers', ['customer_id'], ['id'], { notValid: true });
  op.autocommitBlock((op) => {
    op.validateConstraint('orders_customer_id_fkey', 'orders');
  });
}

export function downgrade(op: Op): void {
  op.dropConstraint('orders_customer_id_fkey', 'orders', 'foreignKey');
}
