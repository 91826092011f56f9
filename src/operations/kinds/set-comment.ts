/**
 * setComment: sets or clears the comment of an enum, sequence, view, index or constraint (COMMENT ON ... IS). Table
 * and column comments have their own operations (setTableComment, alterColumn), a domain's is alterDomain's.
 */
import type { CommentTarget } from '../../ir/comments.js';

import { objectLiteral, opCall, quoteString as q } from '../../render/literal.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';
import type { SchemaState } from '../apply.js';

/** `from` is the comment before, when known (autogenerate). */
export interface SetCommentOp { readonly kind: 'setComment'; readonly target: CommentTarget; readonly comment: string | null; readonly from?: string | null }

const KIND_TEXT: Record<CommentTarget['kind'], string> = { enum: 'enum', sequence: 'sequence', view: 'view', materializedView: 'materialized view', index: 'index', constraint: 'constraint' };

/** `index ix_email on users`, `enum mood`. */
export function targetText(t: CommentTarget): string {
  return `${KIND_TEXT[t.kind]} ${t.name}${t.table !== undefined ? ` on ${t.table}` : ''}`;
}

const withComment = <T extends { readonly comment?: string }>(x: T, comment: string | null): T => {
  const { comment: _, ...rest } = x;
  return (comment === null ? rest : { ...rest, comment }) as T;
};


/** Sets the comment in the oracle's schema; refuses a target that does not exist. */
function applyComment(s: SchemaState, o: SetCommentOp): void {
  const t = o.target;
  const check = (current: string | undefined) => {
    if (s.strict && o.from !== undefined && o.from !== (current ?? null)) s.fail(o, `the recorded comment of ${targetText(t)} differs`);
  };
  const missing = (): never => s.fail(o, `no ${targetText(t)}`);
  switch (t.kind) {
    case 'enum': { const e = s.enums.get(t.name) ?? missing(); check(e.comment); s.enums.set(t.name, withComment(e, o.comment)); return; }
    case 'sequence': { const x = s.sequences.get(t.name) ?? missing(); check(x.comment); s.sequences.set(t.name, withComment(x, o.comment)); return; }
    case 'view':
    case 'materializedView': { const v = s.views.get(t.name) ?? missing(); check(v.comment); s.views.set(t.name, withComment(v, o.comment)); return; }
    case 'index': {
      const table = s.tables.get(t.table ?? '') ?? missing();
      const ix = table.indexes.find((i) => i.name === t.name) ?? missing();
      check(ix.comment);
      s.tables.set(table.name, { ...table, indexes: table.indexes.map((i) => (i === ix ? withComment(i, o.comment) : i)) });
      return;
    }
    case 'constraint': {
      const table = s.tables.get(t.table ?? '') ?? missing();
      const all = [table.primaryKey, ...table.uniques, ...table.foreignKeys, ...table.checks];
      const c = all.find((x) => x !== null && x.name === t.name) ?? missing();
      check(c.comment);
      const set = <T extends { readonly name: string | null; readonly comment?: string }>(xs: readonly T[]) => xs.map((x) => (x.name === t.name ? withComment(x, o.comment) : x));
      s.tables.set(table.name, {
        ...table,
        primaryKey: table.primaryKey !== null && table.primaryKey.name === t.name ? withComment(table.primaryKey, o.comment) : table.primaryKey,
        uniques: set(table.uniques),
        foreignKeys: set(table.foreignKeys),
        checks: set(table.checks),
      });
    }
  }
}

export const setComment: OperationDef<SetCommentOp> = {
  inverse: (o) => {
    if (o.from === undefined) throw new IrreversibleOperationError(o, `the previous comment of ${targetText(o.target)} is not known`);
    return { kind: 'setComment', target: o.target, comment: o.from, from: o.comment };
  },
  table: () => null,
  describe: (o) => [`~ ${targetText(o.target)}: comment ${JSON.stringify(o.comment)}`],
  render: (o) => {
    const options: [string, string][] = [];
    if (o.target.table !== undefined) options.push(['table', q(o.target.table)]);
    if (o.from !== undefined) options.push(['existing', o.from === null ? 'null' : q(o.from)]);
    return opCall('setComment', q(o.target.kind), q(o.target.name), o.comment === null ? 'null' : q(o.comment), ...(options.length > 0 ? [objectLiteral(options)] : []));
  },
  apply: applyComment,
};

