/**
 * The `op` methods for functions, procedures, aggregates and triggers, which OperationRecorder spreads into its
 * `op`. They take what fn(), procedure(), aggregate() and trigger() take, by name where those take declarations.
 */
import { RetortError } from '../errors.js';
import type { FunctionIR, TriggerEvent, TriggerIR } from '../ir/routine.js';
import { sortEvents } from '../ir/routine.js';
import type { SqlExpr } from '../models/dsl.js';
import type { Operation } from './operations.js';

/** Options of op.createFunction / op.replaceFunction: fn()'s, with `kind` for a procedure or an aggregate. */
export interface FunctionOpOptions {
  readonly kind?: 'function' | 'procedure' | 'aggregate';
  readonly args?: string;
  readonly returns?: string;
  readonly language?: string;
  readonly volatility?: 'immutable' | 'stable' | 'volatile';
  readonly strict?: boolean;
  readonly securityDefiner?: boolean;
  readonly searchPath?: string;
  readonly parallel?: 'safe' | 'restricted' | 'unsafe';
  /** Aggregates: the state function and type, and optionally the final function and initial state. */
  readonly sfunc?: string;
  readonly stype?: string;
  readonly finalfunc?: string;
  readonly initcond?: string;
}

/** Options of op.createTrigger: trigger()'s, the table and function by name. */
export interface TriggerOpOptions {
  readonly on: string;
  readonly timing: 'before' | 'after' | 'insteadOf';
  readonly events: readonly TriggerEvent[];
  readonly updateOf?: readonly string[];
  readonly forEachRow?: boolean;
  readonly when?: string | SqlExpr;
  readonly execute?: string;
  readonly args?: readonly string[];
  readonly body?: string | SqlExpr;
}

/** The function and trigger methods of `op`. */
export interface RoutineOpApi {
  /** CREATE FUNCTION (or PROCEDURE, or AGGREGATE with `kind`) name(args) ... AS body. */
  createFunction(name: string, options: FunctionOpOptions, body?: string | SqlExpr): void;
  /** DROP FUNCTION name(args): `args` are the types that tell overloads apart (`'integer, text'`; `''` for none). */
  dropFunction(name: string, args: string, options?: { readonly kind?: 'function' | 'procedure' | 'aggregate' }): void;
  /** A new definition under the same signature: CREATE OR REPLACE, or with `recreate` (a new result type or argument names) a drop and a create. */
  replaceFunction(name: string, options: FunctionOpOptions & { readonly recreate?: boolean }, body?: string | SqlExpr): void;
  /** CREATE TRIGGER name ... ON table ... EXECUTE FUNCTION fn(args) (PostgreSQL), or with its body (SQLite). */
  createTrigger(name: string, options: TriggerOpOptions): void;
  dropTrigger(name: string, table: string): void;
}

function usage(message: string, hint: string): RetortError {
  return new RetortError('USAGE', message, { hint });
}

function functionIR(name: string, o: FunctionOpOptions, body: string): FunctionIR {
  const kind = o.kind ?? 'function';
  if (kind === 'aggregate') {
    if (o.sfunc === undefined || o.stype === undefined) throw usage(`op: aggregate "${name}" needs sfunc and stype`, "write op.createFunction('name', { kind: 'aggregate', args: 'text', sfunc: 'f', stype: 'text' })");
    return {
      name, kind, args: (o.args ?? '').trim(), body: '',
      aggregate: { sfunc: o.sfunc, stype: o.stype, ...(o.finalfunc !== undefined ? { finalfunc: o.finalfunc } : {}), ...(o.initcond !== undefined ? { initcond: o.initcond } : {}) },
    };
  }
  if (body.trim() === '') throw usage(`op: ${kind} "${name}" needs a body`, "write op.createFunction('name', { returns, language }, sql`...`)");
  if (o.language === undefined) throw usage(`op: ${kind} "${name}" needs a language`, "add language: 'sql' or 'plpgsql'");
  if (kind === 'function' && o.returns === undefined) throw usage(`op: function "${name}" needs a result type`, "add returns: 'integer'");
  return {
    name, kind, args: (o.args ?? '').trim(),
    ...(kind === 'function' ? { returns: o.returns! } : {}),
    language: o.language.toLowerCase(),
    body: body.replace(/\r\n/g, '\n'),
    ...(o.volatility === 'immutable' || o.volatility === 'stable' ? { volatility: o.volatility } : {}),
    ...(o.strict === true ? { strict: true } : {}),
    ...(o.securityDefiner === true ? { securityDefiner: true } : {}),
    ...(o.searchPath !== undefined ? { searchPath: o.searchPath } : {}),
    ...(o.parallel === 'safe' || o.parallel === 'restricted' ? { parallel: o.parallel } : {}),
  };
}

function triggerIR(name: string, o: TriggerOpOptions, text: (v: string | SqlExpr) => string): TriggerIR {
  const events = sortEvents(o.events);
  if (events.length === 0) throw usage(`op: trigger "${name}" needs events`, "write events: ['insert', 'update']");
  return {
    name, table: o.on, timing: o.timing, events,
    ...(o.updateOf !== undefined && o.updateOf.length > 0 ? { updateOf: [...o.updateOf] } : {}),
    forEachRow: o.forEachRow === true,
    ...(o.when !== undefined ? { when: text(o.when).trim() } : {}),
    ...(o.execute !== undefined ? { execute: o.execute, args: [...(o.args ?? [])] } : {}),
    ...(o.body !== undefined ? { body: text(o.body).trim() } : {}),
  };
}

/** The function and trigger methods over `push`, SQL fragments written by `text`. */
export function routineOpMethods(push: (o: Operation) => void, text: (v: string | SqlExpr) => string): RoutineOpApi {
  return {
    createFunction: (name, options, body = '') => push({ kind: 'createFunction', function: functionIR(name, options, text(body)) }),
    dropFunction: (name, args, options = {}) => push({ kind: 'dropFunction', name, args, function: null, ...(options.kind !== undefined && options.kind !== 'function' ? { objectKind: options.kind } : {}) }),
    replaceFunction: (name, options, body = '') => push({ kind: 'replaceFunction', function: functionIR(name, options, text(body)), from: null, ...(options.recreate === true ? { recreate: true } : {}) }),
    createTrigger: (name, options) => push({ kind: 'createTrigger', trigger: triggerIR(name, options, text) }),
    dropTrigger: (name, table) => push({ kind: 'dropTrigger', name, on: table, trigger: null }),
  };
}
