/**
 * add-enum-value
 *
 * Revision ID: 574d9059edee
 * Revises: 2cfc657065e4
 * Create Date: 2026-12-06T14:59:33.069Z
 */

import type { Op } from 'retort-migrate';
import { enumColumn } from 'retort-migrate';

export const revision = '574d9059edee';
export const downRevision = '2cfc657065e4';
export const message = 'add-enum-value';
export const createDate = '2026-12-06T14:59:33.069Z';

export function upgrade(op: Op): void {
  op.autocommitBlock((op) => op.addEnumValue('mood', 'shipped', { after: 'paid' }));
}

export function downgrade(op: Op): void {
  // DESTRUCTIVE: removes 'shipped' from enum mood: rows holding it make the migration fail
  op.createEnum('mood__new', ['new', 'paid']);

  op.alterColumn('orders', 'status', { type: enumColumn('mood__new'), using: '{col}::text::"mood__new"', existing: { type: enumColumn('mood') } });

  op.dropEnum('mood');
  op.renameEnum('mood__new', 'mood');
}
