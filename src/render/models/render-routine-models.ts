/**
 * Functions and triggers written back as model declarations for `retort pull`: `fn(...)`, `procedure(...)`,
 * `aggregate(...)` and `trigger(...)`, each its own exported variable. A trigger names its table's variable and, where
 * the function it executes is declared once under its name, that function's variable (else the name, as for a
 * built-in one); a trigger on a table the models leave out is left out with it.
 */
import type { FunctionIR, TriggerIR } from '../../ir/routine.js';
import { objectLiteral, quoteString as q, sqlTemplate } from '../literal.js';
import type { Imports } from '../render-column.js';
import { functionOptionEntries, triggerOptionEntries } from '../render-routines.js';
import type { NameAllocator } from './model-names.js';

/** One declaration of a model file (render-models.ts's unit). */
export interface RoutineUnit {
  readonly file: string;
  readonly code: string;
  readonly imports: Imports;
  readonly uses: Set<string>;
  readonly defines: string;
  /** A function's builder and name (`fn`, `billing.total`), for render-models to declare it through its schema's variable. */
  readonly declares?: { readonly builder: 'fn' | 'procedure' | 'aggregate'; readonly name: string };
}

/** The units of `functions` and of the triggers on tables `tableVar` declares; `file` says where each kind goes. */
export function renderRoutines(
  functions: readonly FunctionIR[],
  triggers: readonly TriggerIR[],
  names: NameAllocator,
  tableVar: ReadonlyMap<string, string>,
  file: (kind: 'functions' | 'triggers') => string,
  views: ReadonlySet<string> = new Set(),
): { units: RoutineUnit[]; leftOut: string[] } {
  const units: RoutineUnit[] = [];
  const overloads = new Map<string, number>();
  for (const f of functions) overloads.set(f.name, (overloads.get(f.name) ?? 0) + 1);
  const fnVar = new Map<string, string>();
  for (const f of functions) {
    const variable = names.take(f.name, 'Fn');
    if (overloads.get(f.name) === 1) fnVar.set(f.name, variable);
    const imports: Imports = new Set();
    const uses = new Set<string>();
    const ref = (name: string) => {
      const v = fnVar.get(name);
      if (v === undefined) return q(name);
      uses.add(v);
      return v;
    };
    let code: string;
    const builder = f.kind === 'procedure' ? 'procedure' : f.kind === 'aggregate' ? 'aggregate' : 'fn';
    if (f.kind === 'aggregate') {
      imports.add('aggregate');
      const a = f.aggregate!;
      const entries: [string, string][] = [['args', q(f.args)], ['sfunc', ref(a.sfunc)], ['stype', q(a.stype)]];
      if (a.finalfunc !== undefined) entries.push(['finalfunc', ref(a.finalfunc)]);
      if (a.initcond !== undefined) entries.push(['initcond', q(a.initcond)]);
      code = `aggregate(${q(f.name)}, ${objectLiteral(entries)})`;
    } else {
      imports.add(builder).add('sql');
      // procedure() says the kind by itself (its options have no `kind`, which op.createFunction takes).
      code = `${builder}(${q(f.name)}, ${objectLiteral(functionOptionEntries(f).filter(([k]) => k !== 'kind'))}, ${sqlTemplate(f.body)})`;
    }
    units.push({ file: file('functions'), code: `export const ${variable} = ${code};`, imports, uses, defines: variable, declares: { builder, name: f.name } });
  }
  const leftOut: string[] = [];
  for (const t of triggers) {
    // A trigger on a declared view (INSTEAD OF) names it by its name: `on` takes a table's variable or a name.
    const table = tableVar.get(t.table) ?? (views.has(t.table) ? q(t.table) : undefined);
    if (table === undefined) {
      leftOut.push(`trigger on a table left out: ${t.name} on ${t.table}`);
      continue;
    }
    const variable = names.take(`${t.table}_${t.name}`, 'Trigger');
    const imports: Imports = new Set(['trigger']);
    const uses = new Set(tableVar.has(t.table) ? [table] : []);
    const entries = triggerOptionEntries(t, table).map(([k, v]): [string, string] => {
      if (k === 'execute' && t.execute !== undefined && fnVar.has(t.execute)) {
        uses.add(fnVar.get(t.execute)!);
        return [k, fnVar.get(t.execute)!];
      }
      return [k, v];
    });
    if (t.when !== undefined || t.body !== undefined) imports.add('sql');
    units.push({ file: file('triggers'), code: `export const ${variable} = trigger(${q(t.name)}, ${objectLiteral(entries)});`, imports, uses, defines: variable });
  }
  return { units, leftOut };
}
