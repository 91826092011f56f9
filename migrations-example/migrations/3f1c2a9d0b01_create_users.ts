/**
 * create users
 *
 * Revision: 3f1c2a9d0b01
 * Revises: <base>
 * Created: 2026-11-22T04:00:00.000Z
 */
import { serial, sql, timestamp, varchar, type MigrationContext, type Op } from 'retort-migrate';

export const revision = '3f1c2a9d0b01';
export const downRevision = null;
export const message = 'create users';
export const createDate = '2026-11-22T04:00:00.000Z';

export function upgrade(op: Op, _ctx: MigrationContext): void {
  op.createTable('users', {
    id: serial().primaryKey(),
    username: varchar(80).notNull().unique(),
    email: varchar(255).notNull().unique(),
    created_at: timestamp({ withTimezone: true }).notNull().serverDefault(sql`now()`),
  });
}

export function downgrade(op: Op, _ctx: MigrationContext): void {
  op.dropTable('users');
}
