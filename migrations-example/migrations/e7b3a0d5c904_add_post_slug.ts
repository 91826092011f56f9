/**
 * add post slug
 *
 * Revision: e7b3a0d5c904
 * Revises: c2d9e1f4a703
 * Created: 2026-11-22T04:03:00.000Z
 *
 * A data migration: the new column is filled from the title before it becomes NOT NULL.
 */
import { varchar, type MigrationContext, type Op } from 'retort-migrate';

export const revision = 'e7b3a0d5c904';
export const downRevision = 'c2d9e1f4a703';
export const message = 'add post slug';
export const createDate = '2026-11-22T04:03:00.000Z';

export async function upgrade(op: Op, ctx: MigrationContext): Promise<void> {
  op.addColumn('posts', 'slug', varchar(220));
  // A data change as an operation: it runs in order with the others, and is in the script `--sql` writes.
  op.execute(`UPDATE posts SET slug = lower(replace(title, ' ', '-'))`);
  op.alterColumn('posts', 'slug', { nullable: false, existing: { type: varchar(220), nullable: true } });
  op.createUniqueConstraint('uq_posts_slug', 'posts', ['slug']);
}

export function downgrade(op: Op, _ctx: MigrationContext): void {
  op.dropConstraint('uq_posts_slug', 'posts', 'unique');
  op.dropColumn('posts', 'slug');
}
