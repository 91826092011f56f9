/**
 * add-check
 *
 * Revision ID: de801d209670
 * Revises: 105a7a437064
 * Create Date: 2026-12-06T14:54:38.759Z
 */

import type { Op } from 'retort-migrate';
import { sql } from 'retort-migrate';

export const revision = 'de801d209670';
export const downRevision = '105a7a437064';
export const message = 'add-check';
export const createDate = '2026-12-06T14:54:38.759Z';

export function upgrade(op: Op): void {
  // check added NOT VALID (new rows are checked at once), the rows of "orders" validated after the commit under SHARE UPDATE EXCLUSIVE, which lets writes go on
  op.createCheckConstraint('ck_orders_qty', 'orders', sql`qty > 0`, { notValid: true });
  op.autocommitBlock((op) => {
    op.validateConstraint('ck_orders_qty', 'orders');
  });
}

export function downgrade(op: Op): void {
  op.dropConstraint('ck_orders_qty', 'orders', 'check');
}
