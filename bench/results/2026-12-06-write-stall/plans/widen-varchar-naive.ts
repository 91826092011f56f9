/**
 * widen-varchar
 *
 * Revision ID: 8abbd458b8fd
 * Revises: 28ceb208bd3c
 * Create Date: 2026-12-06T14:58:14.148Z
 */

import type { Op } from 'retort-migrate';
import { varchar } from 'retort-migrate';

export const revision = '8abbd458b8fd';
export const downRevision = '28ceb208bd3c';
export const message = 'widen-varchar';
export const createDate = '2026-12-06T14:58:14.148Z';

export function upgrade(op: Op): void {
  op.alterColumn('orders', 'note', { type: varchar(200), existing: { type: varchar(50) } });
}

export function downgrade(op: Op): void {
  // DESTRUCTIVE: narrows orders.note from varchar(200) to varchar(50): values that do not fit fail or are cut
  op.alterColumn('orders', 'note', { type: varchar(50), existing: { type: varchar(200) } });
}
