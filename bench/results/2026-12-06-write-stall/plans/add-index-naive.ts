/**
 * add-index
 *
 * Revision ID: 10f811a47943
 * Revises: 01e7e7dbe9d5
 * Create Date: 2026-12-06T14:52:53.255Z
 */

import type { Op } from 'retort-migrate';

export const revision = '10f811a47943';
export const downRevision = '01e7e7dbe9d5';
export const message = 'add-index';
export const createDate = '2026-12-06T14:52:53.255Z';

export function upgrade(op: Op): void {
  op.createIndex('ix_orders_customer', 'orders', ['customer_id']);
}

export function downgrade(op: Op): void {
  op.dropIndex('ix_orders_customer', 'orders');
}
