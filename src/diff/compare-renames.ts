/**
 * Rename hints (`.renamedFrom('old')`) become rename operations. A drop and an add look exactly like a rename to a
 * differ, and guessing loses data one way or the other; the models saying so is the only safe signal, and it needs
 * no prompt, so CI never waits. A hint acts only when the database has the old name and not the new one: once the
 * rename has run it is inert, so it may stay in the models.
 *
 * The result is the rename operations, the `from` schema as they leave it, and `to` without hints, so that the
 * comparators see one table under one name and compare everything else (type, default...) as usual.
 */
import type { SchemaIR, TableIR } from '../ir/ir.js';
import type { Operation } from '../operations/operations.js';
import { applyOperations } from '../operations/apply.js';
import { byName } from '../ir/ir-util.js';

export interface RenamePlan {
  readonly ops: Operation[];
  /** `from` with the renames applied. */
  readonly from: SchemaIR;
  /** `to` without rename hints. */
  readonly to: SchemaIR;
}

/** The renames the hints of `to` ask for against `from`; tables first, so a column hint may sit on a renamed table. */
export function planRenames(from: SchemaIR, to: SchemaIR): RenamePlan {
  const hinted = to.enums.some((e) => e.renamedValues !== undefined) || to.tables.some((t) => t.renamedFrom !== undefined || t.columns.some((c) => c.renamedFrom !== undefined));
  if (!hinted) return { ops: [], from, to };
  const valueOps = enumValueRenames(from, to);
  if (valueOps.length > 0) from = applyOperations(from, valueOps);
  const declared = new Set(to.tables.map((t) => t.name));
  const live = byName(from.tables);
  const tableOps: Operation[] = [];
  for (const t of to.tables) {
    const old = t.renamedFrom;
    if (old === undefined || live.has(t.name) || !live.has(old) || declared.has(old)) continue;
    tableOps.push({ kind: 'renameTable', from: old, to: t.name });
  }
  const afterTables = tableOps.length > 0 ? applyOperations(from, tableOps) : from;
  const now = byName(afterTables.tables);
  const columnOps: Operation[] = [];
  for (const t of to.tables) {
    const current = now.get(t.name);
    if (!current) continue;
    const has = new Set(current.columns.map((c) => c.name));
    const wanted = new Set(t.columns.map((c) => c.name));
    for (const c of t.columns) {
      const old = c.renamedFrom;
      if (old === undefined || has.has(c.name) || !has.has(old) || wanted.has(old)) continue;
      // `from` records the old name, so the inverse renames back on downgrade.
      columnOps.push({ kind: 'alterColumn', table: t.name, column: old, to: { name: c.name }, from: { name: old } });
    }
  }
  return {
    ops: [...valueOps, ...tableOps, ...columnOps],
    from: columnOps.length > 0 ? applyOperations(afterTables, columnOps) : afterTables,
    // Everything else (sequences, views, policies) as declared: only the hints go.
    to: { ...to, tables: to.tables.map(withoutHints), enums: to.enums.map(({ renamedValues: _v, ...e }) => e) },
  };
}

/**
 * Enum values renamed in place where the live enum has the old value and not the new one. Only where the database
 * has enum types to compare (SQLite's normalised schemas hold none: its enums are CHECKs, and the hint is inert).
 */
function enumValueRenames(from: SchemaIR, to: SchemaIR): Operation[] {
  const live = byName(from.enums);
  const ops: Operation[] = [];
  for (const e of to.enums) {
    const current = live.get(e.name);
    if (!current || e.renamedValues === undefined) continue;
    for (const [next, old] of Object.entries(e.renamedValues)) {
      if (current.values.includes(next) || !current.values.includes(old) || e.values.includes(old)) continue;
      ops.push({ kind: 'renameEnumValue', name: e.name, from: old, to: next });
    }
  }
  return ops;
}

function withoutHints(t: TableIR): TableIR {
  const { renamedFrom: _t, ...table } = t;
  return { ...table, columns: t.columns.map(({ renamedFrom: _c, ...c }) => c) };
}
