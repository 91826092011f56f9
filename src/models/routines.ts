/**
 * Functions, procedures, aggregates and triggers in the model DSL:
 *
 *   export const lastUpdated = fn('last_updated', { returns: 'trigger', language: 'plpgsql' }, sql`BEGIN ... END`);
 *   export const t = trigger('last_updated', { on: actor, timing: 'before', events: ['update'], forEachRow: true, execute: lastUpdated });
 *
 * The body is SQL as the user writes it, kept as text (PostgreSQL keeps a function's source as written); a
 * declared table put into it is its quoted name. A trigger names its table and function by declaration or name.
 */
import { BRAND, isSqlExpr, isTableDecl, sql, type SqlExpr, type TableDecl } from './dsl.js';
import type { TriggerEvent, Volatility } from '../ir/routine.js';
import { declared } from './declaration-order.js';

/** What a function declares besides its name and body. */
export interface FunctionOptions {
  /** The argument list as SQL writes it: `'p_film_id integer, p_store_id integer, OUT p_film_count integer'`. Default none. */
  readonly args?: string;
  /** The result type: `'trigger'`, `'SETOF integer'`, `'TABLE (id int)'`. */
  readonly returns: string;
  /** `'sql'`, `'plpgsql'`, ... */
  readonly language: string;
  /** IMMUTABLE or STABLE; default VOLATILE. */
  readonly volatility?: Volatility | 'volatile';
  /** RETURNS NULL ON NULL INPUT. */
  readonly strict?: boolean;
  /** SECURITY DEFINER: runs with its owner's rights. */
  readonly securityDefiner?: boolean;
  /** SET search_path TO this for the call (`'public, pg_temp'`): advised with securityDefiner. */
  readonly searchPath?: string;
  readonly parallel?: 'safe' | 'restricted' | 'unsafe';
}

/** What a procedure declares (no result, volatility or strictness). */
export type ProcedureOptions = Pick<FunctionOptions, 'args' | 'language' | 'securityDefiner' | 'searchPath'>;

/** An aggregate's state: `aggregate('group_concat', { args: 'text', sfunc: groupConcat, stype: 'text' })`. */
export interface AggregateOptions {
  readonly args: string;
  readonly sfunc: FunctionDecl | string;
  readonly stype: string;
  readonly finalfunc?: FunctionDecl | string;
  readonly initcond?: string;
}

/** A declared function, procedure or aggregate. */
export interface FunctionDecl {
  readonly [BRAND]: 'function';
  readonly functionName: string;
  readonly kind: 'function' | 'procedure' | 'aggregate';
  readonly options: Partial<FunctionOptions> & Partial<Omit<AggregateOptions, 'args'>>;
  readonly body: SqlExpr;
}

export function isFunctionDecl(v: unknown): v is FunctionDecl {
  return typeof v === 'object' && v !== null && (v as { [BRAND]?: unknown })[BRAND] === 'function';
}

const asSql = (body: SqlExpr | string): SqlExpr => (isSqlExpr(body) ? body : sql(body));

/** fn('last_day', { args, returns, language, volatility, strict, securityDefiner, searchPath }, sql`...`) declares a function. */
export function fn(name: string, options: FunctionOptions, body: SqlExpr | string): FunctionDecl {
  return declared({ [BRAND]: 'function', functionName: name, kind: 'function', options: { ...options }, body: asSql(body) });
}

/** procedure('archive', { args, language }, sql`...`) declares a procedure (CALL archive(...)). */
export function procedure(name: string, options: ProcedureOptions, body: SqlExpr | string): FunctionDecl {
  return declared({ [BRAND]: 'function', functionName: name, kind: 'procedure', options: { ...options }, body: asSql(body) });
}

/** aggregate('group_concat', { args: 'text', sfunc: groupConcat, stype: 'text' }) declares an aggregate. */
export function aggregate(name: string, options: AggregateOptions): FunctionDecl {
  const { args, ...rest } = options;
  return declared({ [BRAND]: 'function', functionName: name, kind: 'aggregate', options: { args, ...rest }, body: sql('') });
}

/** What a trigger declares. */
export interface TriggerOptions {
  /** The table (or, INSTEAD OF, the view) it fires on. */
  readonly on: TableDecl | string;
  readonly timing: 'before' | 'after' | 'insteadOf';
  readonly events: readonly TriggerEvent[];
  /** UPDATE OF these columns only. */
  readonly updateOf?: readonly string[];
  /** FOR EACH ROW; default false (FOR EACH STATEMENT). SQLite has row triggers only. */
  readonly forEachRow?: boolean;
  /** WHEN condition (without parentheses). */
  readonly when?: SqlExpr | string;
  /** PostgreSQL: the trigger function to execute, with `args` for it. */
  readonly execute?: FunctionDecl | string;
  readonly args?: readonly string[];
  /** SQLite: the statements between BEGIN and END. */
  readonly body?: SqlExpr | string;
}

/** A declared trigger. */
export interface TriggerDecl {
  readonly [BRAND]: 'trigger';
  readonly triggerName: string;
  readonly options: TriggerOptions;
}

export function isTriggerDecl(v: unknown): v is TriggerDecl {
  return typeof v === 'object' && v !== null && (v as { [BRAND]?: unknown })[BRAND] === 'trigger';
}

/** trigger('last_updated', { on: actor, timing: 'before', events: ['update'], forEachRow: true, execute: lastUpdated }) declares a trigger. */
export function trigger(name: string, options: TriggerOptions): TriggerDecl {
  return declared({ [BRAND]: 'trigger', triggerName: name, options: { ...options } });
}

/** The name a table or function is given by, declared or as a string. */
export function tableNameOf(on: TableDecl | string): string {
  return isTableDecl(on) ? on.tableName : on;
}

export function functionNameOf(f: FunctionDecl | string): string {
  return isFunctionDecl(f) ? f.functionName : f;
}
