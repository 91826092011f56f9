/**
 * add-unique
 *
 * Revision ID: 2e054f9632c6
 * Revises: 3c7271459e8a
 * Create Date: 2026-12-06T14:56:43.848Z
 */

import type { Op } from 'retort-migrate';

export const revision = '2e054f9632c6';
export const downRevision = '3c7271459e8a';
export const message = 'add-unique';
export const createDate = '2026-12-06T14:56:43.848Z';

export function upgrade(op: Op): void {
  // unique index built CONCURRENTLY, then taken over by the constraint (USING INDEX): writes to "orders" go on during the build
  op.autocommitBlock((op) => {
    op.createIndex('orders_code_key', 'orders', ['code'], { unique: true, concurrently: true });
  });
  op.createUniqueConstraint('orders_code_key', 'orders', ['code'], { usingIndex: 'orders_code_key' });
}

export function downgrade(op: Op): void {
  op.dropConstraint('orders_code_key', 'orders', 'unique');
}
