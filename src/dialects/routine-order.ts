/**
 * Dependencies between functions, found as views' are (dialects/view-dependencies.ts): the other functions of the
 * schema a function's body names, and an aggregate's state and final functions. They order creates (a SQL
 * function's body is checked when it is created) and drops (ir/routine.ts functionOrder); they are never compared.
 */
import type { FunctionIR, SchemaIR } from '../ir/ir.js';
import { namesIn } from './view-dependencies.js';
import type { SqlSyntax } from './sql-text.js';

/** `schema`'s functions, each with `dependsOn` where it had none: the names of the schema's other functions it calls. */
export function withFunctionDependencies(schema: SchemaIR, syntax: SqlSyntax, fold: (word: string) => string): readonly FunctionIR[] | undefined {
  if (schema.functions === undefined) return undefined;
  const names = new Set(schema.functions.map((f) => f.name));
  return schema.functions.map((f) => {
    if (f.dependsOn !== undefined) return f;
    const found = new Set<string>();
    const a = f.aggregate;
    for (const n of a !== undefined ? [a.sfunc, ...(a.finalfunc !== undefined ? [a.finalfunc] : [])] : namesIn(f.body, { ...syntax, dollarQuotes: false }, fold)) {
      if (names.has(n) && n !== f.name) found.add(n);
    }
    return { ...f, dependsOn: [...found].sort() };
  });
}
