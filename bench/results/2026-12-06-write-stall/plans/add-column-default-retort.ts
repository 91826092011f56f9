/**
 * add-column-default
 *
 * Revision ID: cc791ebe86aa
 * Revises: f55064c7c2ed
 * Create Date: 2026-12-06T14:57:46.742Z
 */

import type { Op } from 'retort-migrate';
import { integer } from 'retort-migrate';

export const revision = 'cc791ebe86aa';
export const downRevision = 'f55064c7c2ed';
export const message = 'add-column-default';
export const createDate = '2026-12-06T14:57:46.742Z';

export function upgrade(op: Op): void {
  op.addColumn('orders', 'flag', integer().notNull().serverDefault(0));
}

export function downgrade(op: Op): void {
  // DESTRUCTIVE: drops column orders.flag and its data
  op.dropColumn('orders', 'flag');
}
