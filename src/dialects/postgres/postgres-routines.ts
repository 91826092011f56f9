/**
 * Functions, procedures, aggregates and triggers in PostgreSQL DDL. A body goes between dollar quotes whose tag it
 * does not contain, exactly as declared: PostgreSQL keeps the source as sent, so pg_dump shows what the models say.
 */
import type { FunctionIR, TriggerIR } from '../../ir/routine.js';
import type { OperationOf } from '../../operations/operations.js';
import { splitQualified } from '../../ir/qualified.js';
import { quotedRunAt } from '../sql-text.js';
import { dollarQuote, postgresSyntax, quoteIdentifier as q, quoteLiteral, quoteQualified as qn } from './postgres-sql.js';

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

/**
 * An argument list as DROP takes it: each argument without its default (`rate numeric DEFAULT 0.2` or `= 0.2`), which
 * CREATE takes and DROP refuses. Modes and names may stay (DROP reads the types, and skips OUT arguments).
 */
export function withoutDefaults(args: string): string {
  let out = '';
  let depth = 0;
  let skipping = false;
  for (let i = 0; i < args.length;) {
    const run = quotedRunAt(args, i, postgresSyntax);
    const end = run ? run.end : i + 1;
    const ch = args[i]!;
    if (!run) {
      if (ch === '(' || ch === '[') depth++;
      else if (ch === ')' || ch === ']') depth--;
      else if (depth === 0 && ch === ',') skipping = false;
      else if (depth === 0 && !skipping && (ch === '=' || defaultKeywordAt(args, i))) {
        skipping = true;
        out = out.trimEnd();
      }
    }
    if (!skipping) out += args.slice(i, end);
    i = end;
  }
  return out;
}

// The word DEFAULT at `i`, standing alone (not part of a longer name such as `default_rate`).
function defaultKeywordAt(text: string, i: number): boolean {
  const word = /[A-Za-z0-9_$]/;
  return text.slice(i, i + 7).toLowerCase() === 'default' && (i === 0 || !word.test(text[i - 1]!)) && (i + 7 >= text.length || !word.test(text[i + 7]!));
}

function dropFunctionSql(name: string, args: string, kind: FunctionIR['kind']): string {
  return `DROP ${KEYWORD[kind]} ${signature(name, withoutDefaults(args), kind)}`;
}

/**
 * A function's owner and privileges (REVOKE EXECUTE ... FROM PUBLIC, GRANT EXECUTE ... TO a role), which a DROP takes
 * with it and models do not declare, kept across the drop and create that re-create it (a renamed argument, a new
 * result type): without them a SECURITY DEFINER function would come back executable by PUBLIC. Before the drop, the
 * owner and privileges of every function of that name in its schema are noted in a temporary table of the session
 * (their argument types are not known here as the server spells them, and the overloads are few); after the create,
 * the one whose object is gone passes them to the one that is new, and the note is forgotten.
 */
function saveFunctionGrantsSql(name: string): string[] {
  const key = quoteLiteral(qn(name));
  return [
    'CREATE TEMP TABLE IF NOT EXISTS retort_function_grants (name text NOT NULL, old oid NOT NULL, owner oid NOT NULL, acl aclitem[])',
    `DELETE FROM retort_function_grants WHERE name = ${key}`,
    `INSERT INTO retort_function_grants SELECT ${key}, p.oid, p.proowner, p.proacl FROM pg_proc p WHERE ${sameName(name)}`,
  ];
}

// The functions named `name` in its schema (an unqualified name: the schema it is created in, the first on the path).
function sameName(name: string): string {
  const { schema, name: bare } = splitQualified(name);
  return `p.proname = ${quoteLiteral(bare)} AND p.pronamespace = ${schema !== undefined ? `${quoteLiteral(q(schema))}::regnamespace` : 'current_schema()::regnamespace'}`;
}

function restoreFunctionGrantsSql(name: string): string {
  const key = quoteLiteral(qn(name));
  return `DO ${dollarQuote(` DECLARE s record; n regprocedure; g record; BEGIN
  IF to_regclass('pg_temp.retort_function_grants') IS NULL THEN RETURN; END IF;
  SELECT f.* INTO s FROM retort_function_grants f WHERE f.name = ${key} AND NOT EXISTS (SELECT 1 FROM pg_proc WHERE oid = f.old);
  SELECT p.oid INTO n FROM pg_proc p WHERE ${sameName(name)} AND p.oid NOT IN (SELECT old FROM retort_function_grants WHERE name = ${key});
  IF s.old IS NOT NULL AND n IS NOT NULL THEN
    IF s.owner <> (SELECT proowner FROM pg_proc WHERE oid = n) THEN EXECUTE format('ALTER ROUTINE %s OWNER TO %I', n, pg_get_userbyid(s.owner)); END IF;
    IF s.acl IS NOT NULL THEN
      EXECUTE format('REVOKE ALL ON ROUTINE %s FROM PUBLIC', n);
      FOR g IN SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(a.grantee)) END AS who, a.is_grantable AS opt
        FROM aclexplode(s.acl) a WHERE a.grantee <> s.owner LOOP
        EXECUTE format('GRANT EXECUTE ON ROUTINE %s TO %s%s', n, g.who, CASE WHEN g.opt THEN ' WITH GRANT OPTION' ELSE '' END);
      END LOOP;
    END IF;
  END IF;
  DELETE FROM retort_function_grants WHERE name = ${key};
END `)}`;
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
      return [...saveFunctionGrantsSql(f.name), dropFunctionSql(from.name, from.identity ?? from.args, from.kind), createFunctionSql(f), restoreFunctionGrantsSql(f.name)];
    }
    case 'createTrigger':
      return [createTriggerSql(o.trigger)];
    case 'dropTrigger':
      return [`DROP TRIGGER ${q(o.name)} ON ${qn(o.on)}`];
  }
}
