/**
 * add-enum-value
 *
 * Revision ID: 692d0fda13f5
 * Revises: dfc2ad5fc80d
 * Create Date: 2026-12-06T14:59:52.002Z
 */

import type { Op } from 'retort-migrate';
import { enumColumn } from 'retort-migrate';

export const revision = '692d0fda13f5';
export const downRevision = 'dfc2ad5fc80d';
export const message = 'add-enum-value';
export const createDate = '2026-12-06T14:59:52.002Z';

export function upgrade(op: Op): void {
  op.autocommitBlock((op) => op.addEnumValue('mood', 'shipped', { after: 'paid' }));
}

export function downgrade(op: Op): void {
  // DESTRUCTIVE: removes 'shipped' from enum mood: rows holding it make the migration fail
  op.createEnum('mood__new', ['new', 'paid']);

  // REWRITES "orders": this type change of "status" rewrites the table under ACCESS EXCLUSIVE; for a large table add a new column, backfill it in batches and switch over instead
  op.alterColumn('orders', 'status', { type: enumColumn('mood__new'), using: '{col}::text::"mood__new"', existing: { type: enumColumn('mood') } });

  op.dropEnum('mood');
  op.renameEnum('mood__new', 'mood');
}
