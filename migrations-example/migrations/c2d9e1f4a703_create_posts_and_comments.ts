/**
 * create posts and comments
 *
 * Revision: c2d9e1f4a703
 * Revises: 8a4e0c7b52d2
 * Created: 2026-11-22T04:02:00.000Z
 */
import { boolean, integer, serial, sql, text, timestamp, varchar, type MigrationContext, type Op } from 'retort-migrate';

export const revision = 'c2d9e1f4a703';
export const downRevision = '8a4e0c7b52d2';
export const message = 'create posts and comments';
export const createDate = '2026-11-22T04:02:00.000Z';

export function upgrade(op: Op, _ctx: MigrationContext): void {
  op.createTable('posts', {
    id: serial().primaryKey(),
    author_id: integer().notNull().references('users.id', { onDelete: 'cascade' }),
    title: varchar(200).notNull(),
    body: text().notNull(),
    published: boolean().notNull().serverDefault(false),
    created_at: timestamp({ withTimezone: true }).notNull().serverDefault(sql`now()`),
  });
  op.createIndex('ix_posts_author_id', 'posts', ['author_id']);

  op.createTable('comments', {
    id: serial().primaryKey(),
    post_id: integer().notNull().references('posts.id', { onDelete: 'cascade' }),
    author_id: integer().references('users.id', { onDelete: 'set null' }),
    body: text().notNull(),
    created_at: timestamp({ withTimezone: true }).notNull().serverDefault(sql`now()`),
  });
  op.createIndex('ix_comments_post_id', 'comments', ['post_id']);
}

export function downgrade(op: Op, _ctx: MigrationContext): void {
  op.dropIndex('ix_comments_post_id', 'comments');
  op.dropTable('comments');
  op.dropIndex('ix_posts_author_id', 'posts');
  op.dropTable('posts');
}
