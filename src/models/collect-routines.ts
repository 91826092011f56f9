/**
 * The IR of declared functions, procedures, aggregates and triggers, checked: options that fit the kind, a body
 * that is not empty, a trigger with events and something to run.
 */
import { RetortError } from '../errors.js';
import type { FunctionIR, TriggerIR } from '../ir/routine.js';
import { sortEvents } from '../ir/routine.js';
import { sqlText, type SqlSpelling } from './dsl.js';
import { functionNameOf, tableNameOf, type FunctionDecl, type TriggerDecl } from './routines.js';

const modelError = (message: string, hint: string) => new RetortError('MODEL', message, { hint });

/** The FunctionIR of `decl`, declared in `file`. */
export function functionIR(decl: FunctionDecl, file: string, spelling: SqlSpelling): FunctionIR {
  const o = decl.options;
  const at = `${file}: ${decl.kind} "${decl.functionName}"`;
  const args = (o.args ?? '').trim();
  if (decl.kind === 'aggregate') {
    if (o.sfunc === undefined || o.stype === undefined || o.stype.trim() === '') throw modelError(`${at}: an aggregate needs sfunc and stype`, "write aggregate('name', { args: 'text', sfunc: fnDecl, stype: 'text' })");
    return {
      name: decl.functionName, kind: 'aggregate', args, body: '',
      aggregate: {
        sfunc: functionNameOf(o.sfunc), stype: o.stype.trim(),
        ...(o.finalfunc !== undefined ? { finalfunc: functionNameOf(o.finalfunc) } : {}),
        ...(o.initcond !== undefined ? { initcond: o.initcond } : {}),
      },
    };
  }
  const body = sqlText(decl.body, spelling).replace(/\r\n/g, '\n');
  if (body.trim() === '') throw modelError(`${at}: the body is empty`, "write the body: fn('name', { returns, language }, sql`...`)");
  if (o.language === undefined || o.language.trim() === '') throw modelError(`${at}: no language`, "add language: 'sql' or language: 'plpgsql'");
  if (decl.kind === 'function' && (o.returns === undefined || o.returns.trim() === '')) throw modelError(`${at}: no result type`, "add returns: 'integer' (or 'trigger', 'SETOF text', 'void')");
  const volatility = o.volatility === 'immutable' || o.volatility === 'stable' ? o.volatility : undefined;
  if (o.volatility !== undefined && o.volatility !== 'volatile' && volatility === undefined) throw modelError(`${at}: volatility must be 'immutable', 'stable' or 'volatile'`, "write volatility: 'stable'");
  return {
    name: decl.functionName,
    kind: decl.kind,
    args,
    ...(decl.kind === 'function' ? { returns: o.returns!.trim() } : {}),
    language: o.language.trim().toLowerCase(),
    body,
    ...(volatility !== undefined ? { volatility } : {}),
    ...(o.strict === true ? { strict: true } : {}),
    ...(o.securityDefiner === true ? { securityDefiner: true } : {}),
    ...(o.searchPath !== undefined && o.searchPath.trim() !== '' ? { searchPath: o.searchPath.trim() } : {}),
    ...(o.parallel === 'safe' || o.parallel === 'restricted' ? { parallel: o.parallel } : {}),
  };
}

/** The TriggerIR of `decl`, declared in `file`. */
export function triggerIR(decl: TriggerDecl, file: string, spelling: SqlSpelling): TriggerIR {
  const o = decl.options;
  const at = `${file}: trigger "${decl.triggerName}"`;
  if (o.on === undefined) throw modelError(`${at}: no table`, 'add on: theTable');
  if (!['before', 'after', 'insteadOf'].includes(o.timing)) throw modelError(`${at}: timing must be 'before', 'after' or 'insteadOf'`, "write timing: 'before'");
  const events = sortEvents(o.events ?? []);
  if (events.length === 0 || events.length !== new Set(o.events).size) throw modelError(`${at}: events must name insert, update, delete or truncate, each once`, "write events: ['insert', 'update']");
  if ((o.execute === undefined) === (o.body === undefined)) throw modelError(`${at}: give either execute (a PostgreSQL trigger function) or body (SQLite statements)`, 'PostgreSQL triggers execute a function; SQLite triggers have a body');
  const when = o.when === undefined ? undefined : sqlText(o.when, spelling).trim();
  const body = o.body === undefined ? undefined : sqlText(o.body, spelling).replace(/\r\n/g, '\n').trim();
  return {
    name: decl.triggerName,
    table: tableNameOf(o.on),
    timing: o.timing,
    events,
    ...(o.updateOf !== undefined && o.updateOf.length > 0 ? { updateOf: [...o.updateOf] } : {}),
    forEachRow: o.forEachRow === true,
    ...(when !== undefined && when !== '' ? { when } : {}),
    ...(o.execute !== undefined ? { execute: functionNameOf(o.execute), args: [...(o.args ?? [])] } : {}),
    ...(body !== undefined ? { body } : {}),
  };
}
