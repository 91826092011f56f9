/**
 * Function and trigger operations as `op` calls: `op.createFunction('name', { ... }, sql`body`)`,
 * `op.createTrigger('name', { on, timing, events, ... })`.
 */
import type { FunctionIR, TriggerIR } from '../ir/routine.js';
import { objectLiteral, quoteString as q, sqlTemplate, stringArray } from './literal.js';
import type { Imports } from './render-column.js';

/** The options object of a function's op call (as fn() takes them, with `kind` for procedures and aggregates). */
export function functionOptionEntries(f: FunctionIR): [string, string][] {
  const out: [string, string][] = [];
  if (f.kind !== 'function') out.push(['kind', q(f.kind)]);
  if (f.args !== '') out.push(['args', q(f.args)]);
  if (f.returns !== undefined) out.push(['returns', q(f.returns)]);
  if (f.language !== undefined) out.push(['language', q(f.language)]);
  if (f.volatility !== undefined) out.push(['volatility', q(f.volatility)]);
  if (f.strict === true) out.push(['strict', 'true']);
  if (f.securityDefiner === true) out.push(['securityDefiner', 'true']);
  if (f.searchPath !== undefined) out.push(['searchPath', q(f.searchPath)]);
  if (f.parallel !== undefined) out.push(['parallel', q(f.parallel)]);
  const a = f.aggregate;
  if (a !== undefined) {
    out.push(['sfunc', q(a.sfunc)], ['stype', q(a.stype)]);
    if (a.finalfunc !== undefined) out.push(['finalfunc', q(a.finalfunc)]);
    if (a.initcond !== undefined) out.push(['initcond', q(a.initcond)]);
  }
  return out;
}

/** `op.createFunction(...)` or `op.replaceFunction(...)` for `f`. */
export function renderFunctionCall(method: 'createFunction' | 'replaceFunction', f: FunctionIR, imports: Imports, extra: readonly [string, string][] = []): string {
  const args = [q(f.name), objectLiteral([...functionOptionEntries(f), ...extra])];
  if (f.kind !== 'aggregate') {
    imports.add('sql');
    args.push(sqlTemplate(f.body));
  }
  return `op.${method}(${args.join(', ')});`;
}

/** The options object of a trigger (as trigger() takes them, the table by name). */
export function triggerOptionEntries(t: TriggerIR, on: string): [string, string][] {
  const out: [string, string][] = [['on', on], ['timing', q(t.timing)], ['events', stringArray(t.events)]];
  if (t.updateOf !== undefined) out.push(['updateOf', stringArray(t.updateOf)]);
  if (t.forEachRow) out.push(['forEachRow', 'true']);
  if (t.when !== undefined) out.push(['when', sqlTemplate(t.when)]);
  if (t.execute !== undefined) out.push(['execute', q(t.execute)]);
  if (t.args !== undefined && t.args.length > 0) out.push(['args', stringArray(t.args)]);
  if (t.body !== undefined) out.push(['body', sqlTemplate(t.body)]);
  return out;
}

/** `op.createTrigger(...)` for `t`. */
export function renderTriggerCall(t: TriggerIR, imports: Imports): string {
  if (t.when !== undefined || t.body !== undefined) imports.add('sql');
  return `op.createTrigger(${q(t.name)}, ${objectLiteral(triggerOptionEntries(t, q(t.table)))});`;
}
