/**
 * add-column-default
 *
 * Revision ID: 31165670e057
 * Revises: 0d70b5e0589b
 * Create Date: 2026-12-06T14:57:20.987Z
 */

import type { Op } from 'retort-migrate';
import { integer } from 'retort-migrate';

export const revision = '31165670e057';
export const downRevision = '0d70b5e0589b';
export const message = 'add-column-default';
export const createDate = '2026-12-06T14:57:20.987Z';

export function upgrade(op: Op): void {
  op.addColumn('orders', 'flag', integer().notNull().serverDefault(0));
}

export function downgrade(op: Op): void {
  // DESTRUCTIVE: drops column orders.flag and its data
  op.dropColumn('orders', 'flag');
}
