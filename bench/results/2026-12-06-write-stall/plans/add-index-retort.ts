/**
 * add-index
 *
 * Revision ID: d40bd54f1bce
 * Revises: 0d5f8f7a4371
 * Create Date: 2026-12-06T14:53:07.453Z
 */

import type { Op } from 'retort-migrate';

export const revision = 'd40bd54f1bce';
export const downRevision = '0d5f8f7a4371';
export const message = 'add-index';
export const createDate = '2026-12-06T14:53:07.453Z';

export function upgrade(op: Op): void {
  // built CONCURRENTLY outside the transaction: writes to "orders" go on during the build (if it fails, drop the INVALID index it leaves and run again)
  op.autocommitBlock((op) => {
    op.createIndex('ix_orders_customer', 'orders', ['customer_id'], { concurrently: true });
  });
}

export function downgrade(op: Op): void {
  // dropped CONCURRENTLY outside the transaction: queries on "orders" are not blocked while it waits for them
  op.autocommitBlock((op) => {
    op.dropIndex('ix_orders_customer', 'orders', { concurrently: true });
  });
}
