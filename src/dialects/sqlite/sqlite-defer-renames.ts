/**
 * Column renames in a SQLite table rebuild: which of a run's renames can wait until after the rebuild, as SQLite's own
 * ALTER TABLE ... RENAME COLUMN, which rewrites the views and triggers that name the column exactly.
 */
import type { OperationOf } from '../../operations/operations.js';
import type { TableIR } from '../../ir/ir.js';
import type { TableOperation } from '../../operations/table-ir.js';
import { mentions } from './sqlite-names.js';
import { enumCheckName } from './sqlite-normalize.js';

/**
 * Splits column renames off a run that needs a rebuild, to run after it as native RENAME COLUMN:
 * SQLite's own rename rewrites triggers and views exactly, where the rebuild could only guess.
 * Only renames no other operation of the run mentions are split off (and not enum columns,
 * whose CHECK name holds the column name).
 */
export function deferRenames(t: TableIR, run: readonly TableOperation[]): { core: TableOperation[]; renames: OperationOf<'alterColumn'>[]; late: OperationOf<'createIndex'>[] } {
  const core: TableOperation[] = [];
  const renames: OperationOf<'alterColumn'>[] = [];
  // An index created after a rename on the column's new name only (not its old one) can wait for the rename:
  // it is a statement of its own. Anything else that names the column keeps the rename inside the rebuild.
  const renamedTo = new Map(run.flatMap((o) => (o.kind === 'alterColumn' && o.to.name !== undefined && o.to.name !== o.column ? [[o.to.name, o] as const] : [])));
  const late = run.filter((x): x is OperationOf<'createIndex'> => {
    if (x.kind !== 'createIndex') return false;
    const fragments = sqlFragments(x);
    const names = [...renamedTo].filter(([to]) => fragments.some((f) => f === to || mentions(f, to)));
    return names.length > 0 && names.every(([, r]) => run.indexOf(r) < run.indexOf(x) && !fragments.some((f) => f === r.column || mentions(f, r.column)));
  });
  // Other changes of a deferred column do not keep its rename in the rebuild: one before it by the old name (a
  // downgrade's), or one after it by the new name (autogenerate's type change after its rename), made in the rebuild
  // by the old name, which the column has until the native rename runs.
  const retarget = new Map<string, string>();
  const follows = (x: TableOperation, r: OperationOf<'alterColumn'>, to: string) =>
    x.kind === 'alterColumn' && (x.to.name === undefined || x.to.name === x.column) && x.to.using === undefined &&
    (run.indexOf(x) > run.indexOf(r) ? x.column === to : x.column === r.column);
  for (const o of run) {
    if (late.includes(o as OperationOf<'createIndex'>)) continue;
    const newName = o.kind === 'alterColumn' ? o.to.name : undefined;
    if (o.kind !== 'alterColumn' || newName === undefined || newName === o.column) {
      const old = o.kind === 'alterColumn' ? retarget.get(o.column) : undefined;
      core.push(old !== undefined && o.kind === 'alterColumn' ? { ...o, column: old } : o);
      continue;
    }
    const siblings = run.filter((x) => x !== o && !late.includes(x as OperationOf<'createIndex'>) && !follows(x, o, newName));
    const others = siblings.map((x) => JSON.stringify(x));
    // Names inside SQL fragments (a CHECK or an index WHERE written against the new name) count too.
    const fragments = siblings.flatMap(sqlFragments);
    const mentioned =
      others.some((x) => x.includes(JSON.stringify(o.column)) || x.includes(JSON.stringify(newName))) ||
      fragments.some((f) => mentions(f, o.column) || mentions(f, newName));
    if (mentioned || t.checks.some((k) => k.name.startsWith(enumCheckName(t.name, o.column, '')))) { core.push(o); continue; }
    const { name: _name, ...rest } = o.to;
    const restKeys = Object.keys(rest).filter((k) => k !== 'using' && k !== 'comment' && rest[k as keyof typeof rest] !== undefined);
    if (restKeys.length > 0) core.push({ ...o, to: rest });
    renames.push({ kind: 'alterColumn', table: o.table, column: o.column, to: { name: newName } });
    retarget.set(newName, o.column);
  }
  // A rename that stayed inside the rebuild takes its indexes with it.
  const deferred = new Set(renames.map((r) => r.to.name));
  const waiting = late.filter((x) => [...renamedTo.keys()].filter((to) => sqlFragments(x).some((f) => f === to || mentions(f, to))).every((to) => deferred.has(to)));
  core.push(...late.filter((x) => !waiting.includes(x)));
  return { core, renames, late: waiting };
}

/** The SQL expressions an operation carries (CHECK conditions, index columns and WHERE, USING). */
function sqlFragments(o: TableOperation): string[] {
  switch (o.kind) {
    case 'addConstraint':
      return o.constraint.kind === 'check' ? [o.constraint.def.expression] : [];
    case 'createIndex':
      return [...o.index.columns, ...(o.index.where === null ? [] : [o.index.where])];
    case 'alterColumn':
      return o.to.using === undefined ? [] : [o.to.using];
    default:
      return [];
  }
}
