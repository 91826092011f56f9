/**
 * Comments on the objects that are not tables, columns or domains (which carry theirs in their own comparisons):
 * enums, sequences, views, indexes and constraints. The differ compares these objects without their comments
 * (a comment is never a reason to drop and create an index) and plans the comments apart (diff/compare-comments.ts):
 * this file lists them and strips them.
 */
import type { SchemaIR, TableIR } from './ir.js';

/** What a comment is on: a schema-level object, or an index or constraint of a table. */
export interface CommentTarget {
  readonly kind: 'enum' | 'sequence' | 'view' | 'materializedView' | 'index' | 'constraint';
  readonly name: string;
  /** The table of an index or constraint. */
  readonly table?: string;
}

/** A stable key for a target (one namespace per kind and table). */
export function commentKey(t: CommentTarget): string {
  const kind = t.kind === 'materializedView' ? 'view' : t.kind;
  return `${kind}\u0000${t.table ?? ''}\u0000${t.name}`;
}

/** Every comment-bearing object of `schema` (with or without a comment), by key. */
export function commentTargets(schema: SchemaIR): Map<string, { target: CommentTarget; comment: string | null }> {
  const out = new Map<string, { target: CommentTarget; comment: string | null }>();
  const add = (target: CommentTarget, comment: string | undefined) => out.set(commentKey(target), { target, comment: comment ?? null });
  for (const e of schema.enums) add({ kind: 'enum', name: e.name }, e.comment);
  for (const s of schema.sequences ?? []) add({ kind: 'sequence', name: s.name }, s.comment);
  for (const v of schema.views ?? []) add({ kind: v.materialized ? 'materializedView' : 'view', name: v.name }, v.comment);
  for (const t of schema.tables) {
    for (const ix of t.indexes) add({ kind: 'index', name: ix.name, table: t.name }, ix.comment);
    for (const c of [...(t.primaryKey !== null && t.primaryKey.name !== null ? [t.primaryKey as { name: string; comment?: string }] : []), ...t.uniques, ...t.foreignKeys, ...t.checks]) {
      add({ kind: 'constraint', name: c.name, table: t.name }, c.comment);
    }
  }
  return out;
}

const bare = <T extends { readonly comment?: string }>(x: T): T => {
  if (x.comment === undefined) return x;
  const { comment: _, ...rest } = x;
  return rest as T;
};

// Loops, not closures: asked of every table's every constraint on each autogenerate.
function anyComment(xs: readonly { readonly comment?: string }[] | undefined): boolean {
  if (xs === undefined) return false;
  for (let i = 0; i < xs.length; i++) if (xs[i]!.comment !== undefined) return true;
  return false;
}

function hasComments(schema: SchemaIR): boolean {
  if (anyComment(schema.enums) || anyComment(schema.sequences) || anyComment(schema.views)) return true;
  for (const t of schema.tables) {
    if (anyComment(t.indexes) || anyComment(t.uniques) || anyComment(t.foreignKeys) || anyComment(t.checks) || t.primaryKey?.comment !== undefined) return true;
  }
  return false;
}

/** `schema` without the comments listed by commentTargets; the same object when it has none (most schemas). */
export function withoutComments(schema: SchemaIR): SchemaIR {
  if (!hasComments(schema)) return schema;
  const table = (t: TableIR): TableIR => ({
    ...t,
    primaryKey: t.primaryKey === null ? null : bare(t.primaryKey),
    uniques: t.uniques.map(bare),
    indexes: t.indexes.map(bare),
    foreignKeys: t.foreignKeys.map(bare),
    checks: t.checks.map(bare),
  });
  return {
    ...schema,
    tables: schema.tables.map(table),
    enums: schema.enums.map(bare),
    ...(schema.sequences !== undefined ? { sequences: schema.sequences.map(bare) } : {}),
    ...(schema.views !== undefined ? { views: schema.views.map(bare) } : {}),
  };
}
