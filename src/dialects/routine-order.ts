/**
 * Dependencies between functions, found as views' are (dialects/view-dependencies.ts): the other functions of the
 * schema a function's body names, and an aggregate's state and final functions. They order creates (a SQL
 * function's body is checked when it is created) and drops (ir/routine.ts functionOrder); they are never compared.
 *
 * And what else calls a function (`usedBy`): the tables, domains, views and policies whose SQL names it, and which
 * column defaults and checks of those tables. Autogenerate creates a function a table's default or check calls before
 * the table changes and drops it after them, and moves the views, policies, defaults and checks that call a function
 * dropped and created again (diff/compare-routines.ts). Names only, not
 * a parser: a column that shares a function's name counts too, which only moves the function earlier.
 */
import type { FunctionIR, FunctionUsers, SchemaIR } from '../ir/ir.js';
import { namesIn } from './view-dependencies.js';
import type { SqlSyntax } from './sql-text.js';

/** `schema`'s functions, each with `dependsOn` where it had none (the names of the schema's other functions it calls), and with `usedBy`. */
export function withFunctionDependencies(schema: SchemaIR, syntax: SqlSyntax, fold: (word: string) => string): readonly FunctionIR[] | undefined {
  if (schema.functions === undefined) return undefined;
  const names = new Set(schema.functions.map((f) => f.name));
  const users = usersByFunction(schema, names, syntax, fold);
  return schema.functions.map((f) => {
    const { usedBy: _old, ...bare } = f;
    const usedBy = users.get(f.name);
    const withUsers: FunctionIR = usedBy !== undefined ? { ...bare, usedBy } : bare;
    if (f.dependsOn !== undefined) return withUsers;
    const found = new Set<string>();
    const a = f.aggregate;
    for (const n of a !== undefined ? [a.sfunc, ...(a.finalfunc !== undefined ? [a.finalfunc] : [])] : namesIn(f.body, { ...syntax, dollarQuotes: false }, fold)) {
      if (names.has(n) && n !== f.name) found.add(n);
    }
    return { ...withUsers, dependsOn: [...found].sort() };
  });
}

/** For each of the function names `names` that something calls, what calls it. Each text is scanned once, however many functions there are. */
function usersByFunction(schema: SchemaIR, names: ReadonlySet<string>, syntax: SqlSyntax, fold: (word: string) => string): Map<string, FunctionUsers> {
  type Users = { tables: string[]; domains: string[]; views: string[]; policies: { table: string; name: string }[]; defaults: { table: string; column: string }[]; checks: { table: string; name: string }[] };
  const out = new Map<string, Users>();
  if (names.size === 0) return out;
  const entry = (n: string) => {
    let e = out.get(n);
    if (e === undefined) out.set(n, (e = { tables: [], domains: [], views: [], policies: [], defaults: [], checks: [] }));
    return e;
  };
  /** The function names the texts mention. */
  const called = (...texts: (string | null | undefined)[]) => {
    const found = new Set<string>();
    for (const t of texts) if (t != null && t !== '') for (const n of namesIn(t, syntax, fold)) if (names.has(n)) found.add(n);
    return found;
  };
  for (const t of schema.tables) {
    const found = called(
      ...t.columns.map((c) => (c.type.kind === 'custom' ? c.type.sql : null)),
      ...t.indexes.flatMap((ix) => [...ix.columns, ix.where]),
      ...(t.excludes ?? []).flatMap((x) => [...x.elements.map((e) => e.expression), x.where]),
    );
    // Defaults and checks one by one: each can be moved out of a function's way on its own (compare-routines.ts).
    for (const c of t.columns) {
      if (c.serverDefault === null) continue;
      for (const n of called(c.serverDefault)) {
        found.add(n);
        entry(n).defaults.push({ table: t.name, column: c.name });
      }
    }
    for (const k of t.checks) {
      for (const n of called(k.expression)) {
        found.add(n);
        entry(n).checks.push({ table: t.name, name: k.name });
      }
    }
    for (const n of found) entry(n).tables.push(t.name);
  }
  for (const d of schema.domains ?? []) for (const n of called(d.default, ...d.checks.map((k) => k.expression))) entry(n).domains.push(d.name);
  for (const v of schema.views ?? []) for (const n of called(v.definition, ...(v.indexes ?? []).flatMap((ix) => [...ix.columns, ix.where]))) entry(n).views.push(v.name);
  for (const p of schema.policies ?? []) for (const n of called(p.using, p.withCheck)) entry(n).policies.push({ table: p.table, name: p.name });
  return out;
}
