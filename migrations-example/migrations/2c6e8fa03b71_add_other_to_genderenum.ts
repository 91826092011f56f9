/**
 * add OTHER to genderenum
 *
 * Revision ID: 2c6e8fa03b71
 * Revises: 1b5d7e9f2a60
 * Create Date: 2026-11-22T04:08:27.052Z
 */

import type { MigrationContext, Op } from 'retort-migrate';
import { enumColumn } from 'retort-migrate';

export const revision = '2c6e8fa03b71';
export const downRevision = '1b5d7e9f2a60';
export const message = 'add OTHER to genderenum';
export const createDate = '2026-11-22T04:08:27.052Z';

export function upgrade(op: Op, ctx: MigrationContext): void {
  op.autocommitBlock((op) => op.addEnumValue('genderenum', 'OTHER', { after: 'FEMALE' }));
}

export function downgrade(op: Op, ctx: MigrationContext): void {
  // DESTRUCTIVE: removes 'OTHER' from enum genderenum: rows holding it make the upgrade fail
  op.createEnum('genderenum__new', ['MALE', 'FEMALE', 'UNDEFINED']);

  op.alterColumn('profiles', 'gender', { serverDefault: null, existing: { serverDefault: 'UNDEFINED' } });
  op.alterColumn('profiles', 'gender', { type: enumColumn('genderenum__new'), using: '{col}::text::"genderenum__new"', existing: { type: enumColumn('genderenum') } });

  op.dropEnum('genderenum');
  op.renameEnum('genderenum__new', 'genderenum');

  op.alterColumn('profiles', 'gender', { serverDefault: 'UNDEFINED', existing: { serverDefault: null } });
}
