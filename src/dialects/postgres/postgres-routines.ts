/**
 * Functions, procedures, aggregates and triggers in PostgreSQL DDL. A body goes between dollar quotes whose tag it
 * does not contain, exactly as declared: PostgreSQL keeps the source as sent, so pg_dump shows what the models say.
 */
import type { FunctionIR, TriggerIR } from '../../ir/routine.js';
import type { OperationOf } from '../../operations/operations.js';
import { quoteIdentifier as q, quoteLiteral, quoteQualified as qn } from './postgres-sql.js';

type RoutineOperation = OperationOf<'createFunction' | 'dropFunction' | 'replaceFunction' | 'createTrigger' | 'dropTrigger'>;

/** A dollar-quote tag that `body` does not contain. */
function dollarTag(body: string): string {
  for (let i = 0; ; i++) {
    const tag = `$${i === 0 ? 'body' : `body${i}`}$`;
    if (!body.includes(tag)) return tag;
  }
}

const KEYWORD = { function: 'FUNCTION', procedure: 'PROCEDURE', aggregate: 'AGGREGATE' } as const;

/** A function's name with its argument list as DROP and ALTER take it; an aggregate without arguments is `name(*)`. */
function signature(name: string, args: string, kind: FunctionIR['kind']): string {
  return `${qn(name)}(${kind === 'aggregate' && args.trim() === '' ? '*' : args})`;
}

/** The CREATE [OR REPLACE] statement of `f` (one of a named schema as `"billing"."total"`). */
export function createFunctionSql(f: FunctionIR, orReplace = false, name = qn(f.name)): string {
  const head = `CREATE ${orReplace ? 'OR REPLACE ' : ''}${KEYWORD[f.kind]} ${name}(${f.kind === 'aggregate' && f.args === '' ? '*' : f.args})`;
  if (f.kind === 'aggregate') {
    const a = f.aggregate!;
    const parts = [`SFUNC = ${a.sfunc}`, `STYPE = ${a.stype}`, ...(a.finalfunc !== undefined ? [`FINALFUNC = ${a.finalfunc}`] : []), ...(a.initcond !== undefined ? [`INITCOND = ${quoteLiteral(a.initcond)}`] : [])];
    return `${head} (\n    ${parts.join(',\n    ')}\n)`;
  }
  const clauses = [
    ...(f.returns !== undefined ? [`RETURNS ${f.returns}`] : []),
    `LANGUAGE ${f.language ?? 'sql'}`,
    ...(f.volatility !== undefined ? [f.volatility.toUpperCase()] : []),
    ...(f.strict === true ? ['STRICT'] : []),
    ...(f.securityDefiner === true ? ['SECURITY DEFINER'] : []),
    ...(f.parallel !== undefined ? [`PARALLEL ${f.parallel.toUpperCase()}`] : []),
    ...(f.searchPath !== undefined ? [`SET search_path TO ${f.searchPath}`] : []),
  ];
  const tag = dollarTag(f.body);
  return `${head}\n    ${clauses.join('\n    ')}\n    AS ${tag}${f.body}${tag}`;
}

function dropFunctionSql(name: string, args: string, kind: FunctionIR['kind']): string {
  return `DROP ${KEYWORD[kind]} ${signature(name, args, kind)}`;
}

const TIMING = { before: 'BEFORE', after: 'AFTER', insteadOf: 'INSTEAD OF' } as const;

/** The CREATE TRIGGER statement of `t`. */
export function createTriggerSql(t: TriggerIR): string {
  const events = t.events.map((e) => (e === 'update' && t.updateOf !== undefined ? `UPDATE OF ${t.updateOf.map(q).join(', ')}` : e.toUpperCase())).join(' OR ');
  const when = t.when !== undefined ? ` WHEN (${t.when})` : '';
  const args = (t.args ?? []).map(quoteLiteral).join(', ');
  return `CREATE TRIGGER ${q(t.name)} ${TIMING[t.timing]} ${events} ON ${qn(t.table)} FOR EACH ${t.forEachRow ? 'ROW' : 'STATEMENT'}${when} EXECUTE FUNCTION ${functionRef(t.execute ?? '')}(${args})`;
}

// A trigger function of another schema (`billing.f`, as the IR names it) is quoted part by part; a bare name is quoted whole.
const functionRef = (name: string): string => qn(name);

/** The statements of one function or trigger operation. */
export function compileRoutineOperation(o: RoutineOperation): string[] {
  switch (o.kind) {
    case 'createFunction':
      return [createFunctionSql(o.function)];
    case 'dropFunction':
      return [dropFunctionSql(o.name, o.args, o.function?.kind ?? o.objectKind ?? 'function')];
    case 'replaceFunction': {
      const f = o.function;
      // CREATE OR REPLACE keeps the result type, argument names and defaults; an aggregate's options change in place too.
      if (o.recreate !== true) return [createFunctionSql(f, true)];
      const from = o.from ?? f;
      return [dropFunctionSql(from.name, from.identity ?? from.args, from.kind), createFunctionSql(f)];
    }
    case 'createTrigger':
      return [createTriggerSql(o.trigger)];
    case 'dropTrigger':
      return [`DROP TRIGGER ${q(o.name)} ON ${qn(o.on)}`];
  }
}
