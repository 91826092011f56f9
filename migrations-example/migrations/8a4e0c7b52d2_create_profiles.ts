/**
 * create profiles
 *
 * Revision: 8a4e0c7b52d2
 * Revises: 3f1c2a9d0b01
 * Created: 2026-11-22T04:01:00.000Z
 */
import { array, enumColumn, integer, json, serial, text, type MigrationContext, type Op } from 'retort-migrate';

export const revision = '8a4e0c7b52d2';
export const downRevision = '3f1c2a9d0b01';
export const message = 'create profiles';
export const createDate = '2026-11-22T04:01:00.000Z';

export function upgrade(op: Op, _ctx: MigrationContext): void {
  op.createEnum('genderenum', ['MALE', 'FEMALE', 'UNDEFINED']);
  op.createTable('profiles', {
    id: serial().primaryKey(),
    user_id: integer().notNull().unique().references('users.id', { onDelete: 'cascade' }),
    gender: enumColumn('genderenum').notNull().serverDefault('UNDEFINED'),
    interests: array(text()),
    contacts: json(),
  });
}

export function downgrade(op: Op, _ctx: MigrationContext): void {
  op.dropTable('profiles');
  // The enum type goes with the table that used it, so upgrading again works.
  op.dropEnum('genderenum');
}
