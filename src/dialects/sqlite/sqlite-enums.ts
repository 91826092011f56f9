/**
 * Enums on SQLite, which has no enum types: an enum column is TEXT with the
 * CHECK `ck_<table>_<column>_enum_<enum>`. The CHECK is the only place the
 * values live, so this module finds an enum's columns and values by that name,
 * and turns addEnumValue / renameEnum into a CHECK change on each column.
 */
import type { Operation } from '../../operations/operations.js';
import type { EnumIR, SchemaIR, TableIR } from '../../ir/ir.js';
import { enumCheck, enumCheckName } from './sqlite-normalize.js';
import { isKeyword, splitTopLevel, tokenize } from './sqlite-sql-text.js';

/** One column that uses an enum, with the values its CHECK allows. */
export interface EnumUse {
  readonly table: string;
  readonly column: string;
  readonly values: readonly string[];
}

/** The values of a CHECK written as `"col" IN ('A', 'B')`, or null for any other shape. */
export function parseEnumValues(expression: string): string[] | null {
  const tokens = tokenize(expression);
  const inAt = tokens.findIndex((t) => isKeyword(t, 'IN'));
  const group = tokens[inAt + 1];
  if (inAt < 0 || !group || group.kind !== 'group') return null;
  const values: string[] = [];
  for (const part of splitTopLevel(group.inner)) {
    if (!/^'([^']|'')*'$/.test(part)) return null;
    values.push(part.slice(1, -1).replace(/''/g, "'"));
  }
  return values;
}

/** The columns of these tables that use enum `enumName`. */
export function enumUses(tables: readonly TableIR[], enumName: string): EnumUse[] {
  const out: EnumUse[] = [];
  for (const t of tables) {
    for (const c of t.columns) {
      const check = t.checks.find((k) => k.name === enumCheckName(t.name, c.name, enumName));
      const values = check ? parseEnumValues(check.expression) : null;
      if (values) out.push({ table: t.name, column: c.name, values });
    }
  }
  return out;
}

/** The value list after adding `value` before or after another, or last; adding a value already there changes nothing. */
export function withValue(values: readonly string[], value: string, before?: string, after?: string): string[] {
  if (values.includes(value)) return [...values];
  const out = [...values];
  const at = before !== undefined ? out.indexOf(before) : after !== undefined ? out.indexOf(after) + 1 : out.length;
  out.splice(at < 0 || (after !== undefined && at === 0) ? out.length : at, 0, value);
  return out;
}

/** The operations that swap each use's enum CHECK for one with the new enum name and values (merged into one rebuild per table). */
export function replaceEnumChecks(uses: readonly EnumUse[], oldName: string, newName: string, values: (u: EnumUse) => readonly string[]): Operation[] {
  const ops: Operation[] = [];
  for (const u of uses) {
    const def = enumCheck(u.table, u.column, newName, values(u));
    ops.push({ kind: 'dropConstraint', table: u.table, name: enumCheckName(u.table, u.column, oldName), constraintKind: 'check', constraint: null });
    ops.push({ kind: 'addConstraint', table: u.table, constraint: { kind: 'check', def } });
  }
  // Group by table so that each table is rebuilt once.
  return ops.sort((a, b) => ((a as { table: string }).table < (b as { table: string }).table ? -1 : (a as { table: string }).table > (b as { table: string }).table ? 1 : 0));
}

/**
 * The schema as models would declare it (`retort pull`): each TEXT column whose CHECK is an enum's
 * (`ck_<table>_<column>_enum_<enum>`, `"col" IN (...)`) becomes a column of that enum again, where every column
 * naming the enum allows the same values; collecting the models then writes the very same CHECK back.
 */
export function liftEnums(schema: SchemaIR): SchemaIR {
  const found = new Map<string, string[] | null>();
  const candidates: { table: string; column: string; check: string; enumName: string }[] = [];
  for (const t of schema.tables) {
    for (const c of t.columns) {
      if (c.type.kind !== 'text') continue;
      const prefix = `ck_${t.name}_${c.name}_enum_`;
      const check = t.checks.find((k) => k.name.startsWith(prefix) && k.name.length > prefix.length);
      const values = check ? parseEnumValues(check.expression) : null;
      if (!check || values === null || values.length === 0) continue;
      const enumName = check.name.slice(prefix.length);
      const seen = found.get(enumName);
      found.set(enumName, seen === undefined || (seen !== null && seen.join('\u0000') === values.join('\u0000')) ? values : null);
      candidates.push({ table: t.name, column: c.name, check: check.name, enumName });
    }
  }
  const lifted = candidates.filter((x) => found.get(x.enumName) && !schema.enums.some((e) => e.name === x.enumName));
  if (lifted.length === 0) return schema;
  const tables = schema.tables.map((t) => {
    const mine = lifted.filter((x) => x.table === t.name);
    if (mine.length === 0) return t;
    return {
      ...t,
      columns: t.columns.map((c) => {
        const x = mine.find((m) => m.column === c.name);
        return x ? { ...c, type: { kind: 'enum' as const, name: x.enumName } } : c;
      }),
      checks: t.checks.filter((k) => !mine.some((m) => m.check === k.name)),
    };
  });
  const enums: EnumIR[] = [...schema.enums, ...[...new Set(lifted.map((x) => x.enumName))].map((name) => ({ name, values: found.get(name)! }))];
  // The rest of the schema (its views) as it was.
  return { ...schema, tables, enums: enums.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) };
}
