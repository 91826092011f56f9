/**
 * Reading functions, procedures, aggregates and triggers from pg_catalog, as two more queries of the introspector's
 * batch (whatever their number), from every managed schema. Functions an extension owns (pg_depend deptype 'e') are
 * the extension's and never read, nor are those another object owns (deptype 'i': a range type's multirange
 * constructors, created and dropped with the type); window functions, and functions with a SQL-standard body (BEGIN ATOMIC, whose source is not kept as text),
 * are left to `retort pull`'s list of what the models cannot declare. Internal triggers (foreign keys), constraint
 * triggers and the clones a partition takes from its parent are not read.
 */
import type { FunctionIR, TriggerEvent, TriggerIR } from '../../ir/routine.js';
import { sortEvents } from '../../ir/routine.js';
import { MANAGED, qualifiedIn } from './postgres-managed-schemas.js';

const NOT_OWNED = `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_catalog.pg_proc'::regclass AND d.objid = p.oid AND d.deptype IN ('e', 'i'))`;

/** The columns a function row has; `FROM pg_proc p` and a WHERE follow (the canonicaliser reads its scratch functions with them). */
export const FUNCTION_COLUMNS = `
SELECT p.proname AS name, p.prokind AS kind,
  pg_get_function_arguments(p.oid) AS args, pg_get_function_identity_arguments(p.oid) AS identity,
  CASE WHEN p.prokind = 'f' THEN pg_get_function_result(p.oid) END AS returns,
  l.lanname AS language, p.prosrc AS body, p.provolatile AS volatility, p.proisstrict AS strict, p.prosecdef AS security_definer,
  p.proparallel AS parallel, array_to_json(coalesce(p.proconfig, '{}')) AS config,
  a.aggtransfn::regproc::text AS sfunc, format_type(a.aggtranstype, NULL) AS stype,
  CASE WHEN a.aggfinalfn <> 0 THEN a.aggfinalfn::regproc::text END AS finalfunc, a.agginitval AS initcond
FROM pg_proc p
JOIN pg_language l ON l.oid = p.prolang
LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid`;

// Every managed schema's (the default one is $1): a function of a named schema is `billing.total`, as a table is.
export const FUNCTIONS_SQL = FUNCTION_COLUMNS.replace('SELECT p.proname AS name,', `SELECT ${qualifiedIn('n.nspname', 'p.proname')} AS name,`) + `
JOIN pg_namespace n ON n.oid = p.pronamespace
WHERE n.nspname IN (${MANAGED}) AND p.prokind IN ('f', 'p', 'a') AND p.prosqlbody IS NULL AND ${NOT_OWNED}`;

/**
 * Triggers on the tables that `where` keeps, each table and the function it executes named as the IR names them ($1
 * is the default schema; a built-in trigger function, of pg_catalog, by its bare name too).
 */
export const triggersSql = (where: string) => `
SELECT t.tgname AS name, ${qualifiedIn('n.nspname', 'c.relname')} AS table_name, t.tgtype AS type,
  (SELECT json_agg(a.attname ORDER BY k.ord) FROM unnest(t.tgattr::int2[]) WITH ORDINALITY k(attnum, ord)
    JOIN pg_attribute a ON a.attrelid = t.tgrelid AND a.attnum = k.attnum) AS update_of,
  CASE WHEN pn.nspname IN ($1, 'pg_catalog') THEN p.proname::text ELSE pn.nspname || '.' || p.proname END AS function,
  pg_get_triggerdef(t.oid, true) AS definition
FROM pg_trigger t
JOIN pg_class c ON c.oid = t.tgrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_proc p ON p.oid = t.tgfoid
JOIN pg_namespace pn ON pn.oid = p.pronamespace
WHERE ${where} AND NOT t.tgisinternal AND t.tgconstraint = 0 AND t.tgparentid = 0`;

// tgtype's bits (pg_trigger.h): ROW 1, BEFORE 2, INSERT 4, DELETE 8, UPDATE 16, TRUNCATE 32, INSTEAD 64.
export const TRIGGERS_SQL = triggersSql(`n.nspname IN (${MANAGED})`);

export interface FunctionRow {
  name: string;
  kind: 'f' | 'p' | 'a';
  args: string;
  identity: string;
  returns: string | null;
  language: string;
  body: string;
  volatility: 'i' | 's' | 'v';
  strict: boolean;
  security_definer: boolean;
  parallel: 's' | 'r' | 'u';
  config: string[];
  sfunc: string | null;
  stype: string | null;
  finalfunc: string | null;
  initcond: string | null;
}

export interface TriggerRow {
  name: string;
  table_name: string;
  type: number;
  update_of: string[] | null;
  function: string;
  definition: string;
}

/** The FunctionIR of a catalog row, its source as PostgreSQL keeps it. */
export function buildFunction(r: FunctionRow): FunctionIR {
  const kind = r.kind === 'p' ? 'procedure' : r.kind === 'a' ? 'aggregate' : 'function';
  const searchPath = r.config.find((c) => c.startsWith('search_path='))?.slice('search_path='.length);
  if (kind === 'aggregate') {
    return {
      name: r.name, kind, args: r.args, identity: r.identity, body: '',
      aggregate: {
        sfunc: r.sfunc ?? '', stype: r.stype ?? '',
        ...(r.finalfunc !== null ? { finalfunc: r.finalfunc } : {}),
        ...(r.initcond !== null ? { initcond: r.initcond } : {}),
      },
    };
  }
  return {
    name: r.name,
    kind,
    args: r.args,
    identity: r.identity,
    ...(r.returns !== null ? { returns: r.returns } : {}),
    language: r.language,
    body: r.body,
    ...(r.volatility === 'i' ? { volatility: 'immutable' as const } : r.volatility === 's' ? { volatility: 'stable' as const } : {}),
    ...(r.strict ? { strict: true } : {}),
    ...(r.security_definer ? { securityDefiner: true } : {}),
    ...(searchPath !== undefined ? { searchPath } : {}),
    ...(r.parallel === 's' ? { parallel: 'safe' as const } : r.parallel === 'r' ? { parallel: 'restricted' as const } : {}),
  };
}

/** The string literals of pg_get_triggerdef's argument list (`'a', 'b'`), quotes undone. */
function literals(text: string): string[] {
  return [...text.matchAll(/'((?:[^']|'')*)'/g)].map((m) => m[1]!.replace(/''/g, "'"));
}

/** The TriggerIR of a catalog row; WHEN and the arguments are taken from pg_get_triggerdef's text. */
export function buildTrigger(r: TriggerRow): TriggerIR {
  const has = (bit: number) => (r.type & bit) !== 0;
  const events: TriggerEvent[] = [];
  if (has(4)) events.push('insert');
  if (has(16)) events.push('update');
  if (has(8)) events.push('delete');
  if (has(32)) events.push('truncate');
  const def = r.definition;
  const exec = def.lastIndexOf(' EXECUTE FUNCTION ');
  const whenAt = def.indexOf(' WHEN (');
  const when = whenAt >= 0 && whenAt < exec ? def.slice(whenAt + 7, exec - 1).trim() : undefined;
  const call = def.slice(exec + ' EXECUTE FUNCTION '.length);
  const args = literals(call.slice(call.indexOf('(') + 1, call.lastIndexOf(')')));
  return {
    name: r.name,
    table: r.table_name,
    timing: has(64) ? 'insteadOf' : has(2) ? 'before' : 'after',
    events: sortEvents(events),
    ...(r.update_of !== null && r.update_of.length > 0 ? { updateOf: r.update_of } : {}),
    forEachRow: has(1),
    ...(when !== undefined ? { when } : {}),
    execute: r.function,
    args,
  };
}
