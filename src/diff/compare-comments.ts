/**
 * Comments on enums, sequences, views, indexes and constraints, planned apart from the objects: the differ compares
 * those without their comments (ir/comments.ts), so a comment alone never drops and creates an index, and this adds:
 *
 *  - before the other changes (after the renames): the comment of each commented object the plan drops or creates
 *    again (or whose downgrade does: an enum value added, removed again by a rebuild), cleared, so that the
 *    downgrade, which creates the object again from its definition, sets it back;
 *  - after all of them: the comment of each object the plan creates (or creates again), and of each object on both
 *    sides whose comment changed (COMMENT ON ... IS, or IS NULL).
 */
import { commentKey, commentTargets, type CommentTarget } from '../ir/comments.js';
import type { SchemaIR } from '../ir/ir.js';
import type { Operation } from '../operations/operations.js';

/** The targets whose object `ops` create, drop or rebuild, by key. */
function touched(ops: readonly Operation[]): Set<string> {
  const out = new Set<string>();
  const add = (t: CommentTarget) => out.add(commentKey(t));
  const table = (name: string, t: { indexes: readonly { name: string }[]; uniques: readonly { name: string }[]; foreignKeys: readonly { name: string }[]; checks: readonly { name: string }[]; primaryKey: { name: string | null } | null }) => {
    for (const ix of t.indexes) add({ kind: 'index', name: ix.name, table: name });
    for (const c of [...t.uniques, ...t.foreignKeys, ...t.checks]) add({ kind: 'constraint', name: c.name, table: name });
    if (t.primaryKey?.name) add({ kind: 'constraint', name: t.primaryKey.name, table: name });
  };
  for (const o of ops) {
    switch (o.kind) {
      case 'createTable': table(o.table.name, o.table); break;
      case 'dropTable': if (o.table) table(o.name, o.table); break;
      case 'createIndex': add({ kind: 'index', name: o.index.name, table: o.table }); break;
      case 'dropIndex': add({ kind: 'index', name: o.name, table: o.table }); break;
      case 'addConstraint': add({ kind: 'constraint', name: o.constraint.def.name ?? '', table: o.table }); break;
      case 'dropConstraint': add({ kind: 'constraint', name: o.name, table: o.table }); break;
      case 'createEnum': add({ kind: 'enum', name: o.enum.name }); break;
      case 'dropEnum': add({ kind: 'enum', name: o.name }); break;
      case 'renameEnum': add({ kind: 'enum', name: o.from }); add({ kind: 'enum', name: o.to }); break;
      // Its undo rebuilds the type (PostgreSQL cannot remove a value), which loses the comment: the downgrade sets it again.
      case 'addEnumValue': if (o.undo?.some((u) => u.kind === 'createEnum')) add({ kind: 'enum', name: o.name }); break;
      case 'createSequence': add({ kind: 'sequence', name: o.sequence.name }); break;
      case 'dropSequence': add({ kind: 'sequence', name: o.name }); break;
      case 'createView': case 'replaceView': add({ kind: 'view', name: o.view.name }); break;
      case 'dropView': add({ kind: 'view', name: o.name }); break;
      default: break;
    }
  }
  return out;
}

/** The comment operations around `ops` (which take `from`, without comments, to `to`, without comments). */
export function planComments(from: SchemaIR, to: SchemaIR, ops: readonly Operation[]): { before: Operation[]; after: Operation[] } {
  const before: Operation[] = [];
  const after: Operation[] = [];
  const live = commentTargets(from);
  const declared = commentTargets(to);
  if (![...live.values(), ...declared.values()].some((x) => x.comment !== null)) return { before, after };
  const rebuilt = touched(ops);
  for (const [key, l] of live) {
    if (l.comment !== null && (rebuilt.has(key) || !declared.has(key))) before.push({ kind: 'setComment', target: l.target, comment: null, from: l.comment });
  }
  for (const [key, d] of declared) {
    const l = live.get(key);
    const was = l === undefined || rebuilt.has(key) ? null : l.comment;
    if (d.comment !== was) after.push({ kind: 'setComment', target: d.target, comment: d.comment, from: was });
  }
  return { before, after };
}
