/**
 * The tables' part of following declared renames (dialects/follow-renames.ts): the expressions a table keeps that
 * name its columns — CHECKs, generated columns, the WHERE and the expression entries of an index, an exclusion
 * constraint's elements and WHERE — as the database rewrites them when a column is renamed (PostgreSQL keeps them
 * parsed, SQLite 3.25+ rewrites its CREATE TABLE and CREATE INDEX text). The live table takes them from the schema
 * read back after the renames, matched by its, its columns' and its items' names after the renames; everything
 * else stays as read (plain column entries of keys and indexes are renamed by the differ). A column default cannot
 * name a column in either database, but it can name a sequence (`nextval('s'::regclass)`, which PostgreSQL keeps by
 * the sequence's identity): where a sequence is renamed, the defaults are taken from the schema read back too, so
 * that a default that follows the rename by itself is not altered (and its downgrade does not name the old sequence
 * before it is renamed back).
 */
import type { SchemaIR, TableIR } from '../ir/ir.js';
import { isGeneratedType } from '../ir/ir.js';
import type { Operation } from '../operations/operations.js';

/** Whether `renames` touch a live table that keeps an expression naming its columns. */
export function touchesExpressions(live: SchemaIR, renames: readonly Operation[]): boolean {
  const touched = new Set<string>();
  for (const o of renames) {
    if (o.kind === 'renameTable') touched.add(o.from);
    else if (o.kind === 'alterColumn' && o.to.name !== undefined) touched.add(o.table);
  }
  const tableNow = tableRenames(renames);
  const sequences = renamesSequence(renames);
  return live.tables.some((t) => ((touched.has(t.name) || touched.has(tableNow(t.name))) && hasExpressions(t)) || (sequences && hasDefaults(t)));
}

const renamesSequence = (renames: readonly Operation[]): boolean => renames.some((o) => o.kind === 'renameSequence');
const hasDefaults = (t: TableIR): boolean => t.columns.some((c) => c.serverDefault !== null);

function hasExpressions(t: TableIR): boolean {
  return t.checks.length > 0 || (t.excludes?.length ?? 0) > 0 || t.columns.some((c) => isGeneratedType(c.type))
    || t.indexes.some((i) => i.where !== null || i.columns.some((c) => !t.columns.some((x) => x.name === c)));
}

function tableRenames(renames: readonly Operation[]): (name: string) => string {
  const m = new Map<string, string>();
  for (const o of renames) if (o.kind === 'renameTable' || o.kind === 'renameView') m.set(o.from, o.to);
  return (name) => m.get(name) ?? name;
}

/** `live`'s tables with the expressions of the tables `renames` touch as `after` (read once they ran) has them. */
export function followTables(live: SchemaIR, after: SchemaIR, renames: readonly Operation[]): readonly TableIR[] {
  const tableNow = tableRenames(renames);
  const column = new Map<string, string>();
  const item = new Map<string, string>();
  for (const o of renames) {
    if (o.kind === 'alterColumn' && o.to.name !== undefined) column.set(`${o.table}\u0000${o.column}`, o.to.name);
    else if (o.kind === 'renameIndex' || o.kind === 'renameConstraint') item.set(`${o.table}\u0000${o.from}`, o.to);
  }
  const afterTables = new Map(after.tables.map((t) => [t.name, t]));
  const sequences = renamesSequence(renames);
  return live.tables.map((t) => {
    const now = tableNow(t.name);
    const a = afterTables.get(now);
    const defaults = sequences && hasDefaults(t);
    if (a === undefined || (!hasExpressions(t) && !defaults)) return t;
    const colNow = (c: string) => column.get(`${now}\u0000${c}`) ?? c;
    // An item renamed too is found under its new name where the dialect ran that rename, else under its old one.
    const find = <T extends { readonly name: string }>(xs: readonly T[] | undefined, name: string): T | undefined =>
      xs?.find((x) => x.name === (item.get(`${now}\u0000${name}`) ?? name)) ?? xs?.find((x) => x.name === name);
    const afterColumns = new Map(a.columns.map((c) => [c.name, c]));
    const isColumn = (c: string) => t.columns.some((x) => x.name === c);
    return {
      ...t,
      columns: t.columns.map((c) => {
        const ac = afterColumns.get(colNow(c.name));
        if (ac === undefined) return c;
        const followed = defaults && c.serverDefault !== null && ac.serverDefault !== null ? { ...c, serverDefault: ac.serverDefault } : c;
        return isGeneratedType(c.type) && isGeneratedType(ac.type) ? { ...followed, type: ac.type } : followed;
      }),
      checks: t.checks.map((k) => {
        const ak = find(a.checks, k.name);
        return ak === undefined ? k : { ...k, expression: ak.expression };
      }),
      indexes: t.indexes.map((i) => {
        const ai = find(a.indexes, i.name);
        if (ai === undefined) return i;
        const same = ai.columns.length === i.columns.length;
        return { ...i, where: ai.where, columns: i.columns.map((c, n) => (same && !isColumn(c) ? ai.columns[n]! : c)) };
      }),
      ...(t.excludes !== undefined ? { excludes: t.excludes.map((x) => {
        const ax = find(a.excludes, x.name);
        return ax === undefined ? x : { ...x, elements: ax.elements, where: ax.where };
      }) } : {}),
    };
  });
}
