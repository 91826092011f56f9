/**
 * add-check
 *
 * Revision ID: b7d2af93edb6
 * Revises: a6325fc8f105
 * Create Date: 2026-12-06T14:54:12.048Z
 */

import type { Op } from 'retort-migrate';
import { sql } from 'retort-migrate';

export const revision = 'b7d2af93edb6';
export const downRevision = 'a6325fc8f105';
export const message = 'add-check';
export const createDate = '2026-12-06T14:54:12.048Z';

export function upgrade(op: Op): void {
  op.createCheckConstraint('ck_orders_qty', 'orders', sql`qty > 0`);
}

export function downgrade(op: Op): void {
  op.dropConstraint('ck_orders_qty', 'orders', 'check');
}
