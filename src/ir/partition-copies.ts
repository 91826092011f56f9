/**
 * What PostgreSQL does to a table's keys, indexes, foreign keys and checks when it is detached from or attached to a
 * partitioned table: the differ (diff/compare-partitions.ts) and the IR applier (operations/kinds) both follow it.
 */
import type { TableIR } from './ir.js';
import { sameIR } from './ir-util.js';

/**
 * A partition as DETACH PARTITION leaves it: its parent's columns, and the copies PostgreSQL made of the parent's
 * keys, indexes, foreign keys and checks, now its own. Checks and foreign keys keep the parent's names; keys and
 * indexes carry the names PostgreSQL chose for them (`<table>_pkey`, `<table>_<columns>_key`, `<table>_<columns>_idx`,
 * `expr` for an expression), as ChooseIndexName does for names within the 63-byte limit that no other relation holds.
 */
export function detached(t: TableIR, parent: TableIR | undefined): TableIR {
  const { partitionOf: _was, ...rest } = t;
  if (parent === undefined) return { ...rest, columns: [] };
  const isColumn = (c: string) => parent.columns.some((x) => x.name === c);
  const named = (cols: readonly string[], suffix: string) => `${t.name}_${cols.map((c) => (isColumn(c) ? c : 'expr')).join('_')}_${suffix}`;
  const byName = <X extends { name: string }>(xs: X[]) => xs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    ...rest,
    columns: parent.columns,
    primaryKey: t.primaryKey ?? (parent.primaryKey ? { name: `${t.name}_pkey`, columns: parent.primaryKey.columns } : null),
    uniques: byName([...t.uniques, ...parent.uniques.map((u) => ({ ...u, name: named(u.columns, 'key') }))]),
    indexes: byName([...t.indexes, ...parent.indexes.map((ix) => ({ ...ix, name: named(ix.columns, ix.unique ? 'key' : 'idx') }))]),
    foreignKeys: byName([...t.foreignKeys, ...parent.foreignKeys]),
    checks: byName([...t.checks, ...parent.checks]),
  };
}

/**
 * A table as ATTACH PARTITION leaves it: no columns of its own, and what matches the parent's keys, indexes, foreign
 * keys (by definition) and checks (by name) taken over as the parent's copies, which PostgreSQL then counts as
 * inherited, no longer the table's own.
 */
export function attached(t: TableIR, partitionOf: NonNullable<TableIR['partitionOf']>, parent: TableIR | undefined): TableIR {
  const same = <X extends { name: string }>(a: X, b: X) => sameIR({ ...a, name: '', autoNamed: undefined }, { ...b, name: '', autoNamed: undefined });
  const notCopied = <X extends { name: string }>(xs: readonly X[], theirs: readonly X[]) => xs.filter((x) => !theirs.some((y) => same(x, y)));
  const pk = t.primaryKey !== null && parent?.primaryKey && sameIR(t.primaryKey.columns, parent.primaryKey.columns) ? null : t.primaryKey;
  return {
    ...t,
    columns: [],
    partitionOf,
    primaryKey: pk,
    uniques: notCopied(t.uniques, parent?.uniques ?? []),
    indexes: notCopied(t.indexes, parent?.indexes ?? []),
    foreignKeys: notCopied(t.foreignKeys, parent?.foreignKeys ?? []),
    checks: t.checks.filter((c) => !(parent?.checks ?? []).some((p) => p.name === c.name)),
  };
}
