/**
 * set-not-null
 *
 * Revision ID: c267b9f332d2
 * Revises: 33761ddbbcee
 * Create Date: 2026-12-06T14:55:35.197Z
 */

import type { Op } from 'retort-migrate';
import { sql } from 'retort-migrate';

export const revision = 'c267b9f332d2';
export const downRevision = '33761ddbbcee';
export const message = 'set-not-null';
export const createDate = '2026-12-06T14:55:35.197Z';

export function upgrade(op: Op): void {
  // "orders"."qty" made NOT NULL through a validated check, so SET NOT NULL skips its scan under ACCESS EXCLUSIVE (PostgreSQL 12+)
  op.createCheckConstraint('orders_qty_not_null', 'orders', sql`"qty" IS NOT NULL`, { notValid: true });
  op.autocommitBlock((op) => {
    op.validateConstraint('orders_qty_not_null', 'orders');
  });
  op.alterColumn('orders', 'qty', { nullable: false, existing: { nullable: true } });
  op.dropConstraint('orders_qty_not_null', 'orders', 'check');
}

export function downgrade(op: Op): void {
  op.alterColumn('orders', 'qty', { nullable: true, existing: { nullable: false } });
}
