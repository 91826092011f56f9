/**
 * Dependencies between functions, found as views' are (dialects/view-dependencies.ts): the other functions of the
 * schema a function's body names, and an aggregate's state and final functions. They order creates (a SQL
 * function's body is checked when it is created) and drops (ir/routine.ts functionOrder); they are never compared.
 *
 * And what else calls a function (`usedBy`): the tables, domains, views and policies whose SQL names it. Autogenerate
 * creates a function a table's default or check calls before the table changes and drops it after them, and moves
 * the views and policies that call a function dropped and created again (diff/compare-routines.ts). Names only, not
 * a parser: a column that shares a function's name counts too, which only moves the function earlier.
 */
import type { FunctionIR, FunctionUsers, SchemaIR } from '../ir/ir.js';
import { namesIn } from './view-dependencies.js';
import type { SqlSyntax } from './sql-text.js';

/** `schema`'s functions, each with `dependsOn` where it had none: the names of the schema's other functions it calls. */
export function withFunctionDependencies(schema: SchemaIR, syntax: SqlSyntax, fold: (word: string) => string): readonly FunctionIR[] | undefined {
  if (schema.functions === undefined) return undefined;
  const names = new Set(schema.functions.map((f) => f.name));
  return schema.functions.map((f) => {
    const withUsers = usersOf(schema, f, syntax, fold);
    if (f.dependsOn !== undefined) return withUsers;
    const found = new Set<string>();
    const a = f.aggregate;
    for (const n of a !== undefined ? [a.sfunc, ...(a.finalfunc !== undefined ? [a.finalfunc] : [])] : namesIn(f.body, { ...syntax, dollarQuotes: false }, fold)) {
      if (names.has(n) && n !== f.name) found.add(n);
    }
    return { ...withUsers, dependsOn: [...found].sort() };
  });
}

/** `f` with `usedBy` (none when nothing calls it). */
function usersOf(schema: SchemaIR, f: FunctionIR, syntax: SqlSyntax, fold: (word: string) => string): FunctionIR {
  const { usedBy: _old, ...bare } = f;
  const calls = (...texts: (string | null | undefined)[]) => texts.some((t) => t != null && t !== '' && namesIn(t, syntax, fold).has(f.name));
  const tables = schema.tables.filter((t) => calls(
    ...t.columns.flatMap((c) => [c.serverDefault, c.type.kind === 'custom' ? c.type.sql : null]),
    ...t.checks.map((k) => k.expression),
    ...t.indexes.flatMap((ix) => [...ix.columns, ix.where]),
    ...(t.excludes ?? []).flatMap((x) => [...x.elements.map((e) => e.expression), x.where]),
  )).map((t) => t.name);
  const domains = (schema.domains ?? []).filter((d) => calls(d.default, ...d.checks.map((k) => k.expression))).map((d) => d.name);
  const views = (schema.views ?? []).filter((v) => calls(v.definition, ...(v.indexes ?? []).flatMap((ix) => [...ix.columns, ix.where]))).map((v) => v.name);
  const policies = (schema.policies ?? []).filter((p) => calls(p.using, p.withCheck)).map((p) => ({ table: p.table, name: p.name }));
  if (tables.length + domains.length + views.length + policies.length === 0) return bare;
  const usedBy: FunctionUsers = { tables, domains, views, policies };
  return { ...bare, usedBy };
}
