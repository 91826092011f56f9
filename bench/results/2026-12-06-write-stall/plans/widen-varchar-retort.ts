/**
 * widen-varchar
 *
 * Revision ID: 710a50a01f34
 * Revises: 175ead38858b
 * Create Date: 2026-12-06T14:58:49.336Z
 */

import type { Op } from 'retort-migrate';
import { varchar } from 'retort-migrate';

export const revision = '710a50a01f34';
export const downRevision = '175ead38858b';
export const message = 'widen-varchar';
export const createDate = '2026-12-06T14:58:49.336Z';

export function upgrade(op: Op): void {
  op.alterColumn('orders', 'note', { type: varchar(200), existing: { type: varchar(50) } });
}

export function downgrade(op: Op): void {
  // REWRITES "orders": this type change of "note" rewrites the table under ACCESS EXCLUSIVE; for a large table add a new column, backfill it in batches and switch over instead
  // DESTRUCTIVE: narrows orders.note from varchar(200) to varchar(50): values that do not fit fail or are cut
  op.alterColumn('orders', 'note', { type: varchar(50), existing: { type: varchar(200) } });
}
