/**
 * drop comments
 *
 * Revision ID: 3d7f9ab14c82
 * Revises: 2c6e8fa03b71
 * Create Date: 2026-11-22T04:08:33.314Z
 */

import type { MigrationContext, Op } from 'retort-migrate';
import { foreignKey, integer, serial, sql, text, timestamp } from 'retort-migrate';

export const revision = '3d7f9ab14c82';
export const downRevision = '2c6e8fa03b71';
export const message = 'drop comments';
export const createDate = '2026-11-22T04:08:33.314Z';

export function upgrade(op: Op, ctx: MigrationContext): void {
  // DESTRUCTIVE: drops table comments and all its rows
  op.dropTable('comments');
}

export function downgrade(op: Op, ctx: MigrationContext): void {
  op.createTable('comments', {
    id: serial().primaryKey(),
    post_id: integer().notNull().index(),
    author_id: integer().references('users.id', { onDelete: 'set null' }),
    body: text().notNull(),
    created_at: timestamp({ withTimezone: true }).notNull().serverDefault(sql`now()`),
  }, (t) => [
    foreignKey().on(t.post_id).references(['posts.id'], { onDelete: 'cascade' }),
  ]);
}
