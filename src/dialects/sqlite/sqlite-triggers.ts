/**
 * SQLite's triggers: read from sqlite_master, which keeps the CREATE TRIGGER text as written, so a trigger is that
 * text taken apart (timing, event, table, WHEN, the body between BEGIN and END); written back the same way. SQLite
 * triggers are row triggers with one event, and no functions: a trigger that executes one is refused.
 * Declared and live WHEN conditions and bodies compare by the evened-out spelling views use (sqlite-views-read.ts).
 */
import { RetortError } from '../../errors.js';
import type { SchemaIR, TriggerEvent, TriggerIR } from '../../ir/ir.js';
import type { Connection } from '../dialect.js';
import type { SchemaObject } from './sqlite-rebuild.js';
import type { OperationOf } from '../../operations/operations.js';
import { quoteIdentifier as quoteId } from '../sql-quote.js';
import { scanTopLevel } from '../sql-text.js';
import { asciiLower, isKeyword, sqliteSyntax, tokenize, unquote } from './sqlite-sql-text.js';
import { comparableQuery } from './sqlite-views-read.js';

const WORD_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

/** Where top-level keyword `kw` starts in `text` (outside quotes, comments and parentheses), or -1. */
function keywordAt(text: string, kw: string, from = 0): number {
  return scanTopLevel(text, sqliteSyntax, (ch, i, depth) =>
    i >= from && depth === 0 && ch.toUpperCase() === kw[0] && text.slice(i, i + kw.length).toUpperCase() === kw
    && !WORD_CHAR.test(text[i - 1] ?? ' ') && !WORD_CHAR.test(text[i + kw.length] ?? ' '));
}

/** The TriggerIR of a stored CREATE TRIGGER text; null where the text is not one this reader understands. */
export function parseSqliteTrigger(name: string, table: string, text: string): TriggerIR | null {
  const begin = keywordAt(text, 'BEGIN');
  if (begin < 0) return null;
  const when = keywordAt(text.slice(0, begin), 'WHEN');
  const head = tokenize(text.slice(0, when >= 0 ? when : begin));
  const end = text.replace(/;?\s*$/, '');
  if (!/END$/i.test(end)) return null;
  const body = end.slice(begin + 5, end.length - 3).trim();
  let i = head.findIndex((t) => isKeyword(t, 'TRIGGER')) + 1;
  if (i === 0) return null;
  if (isKeyword(head[i], 'IF')) i += 3;
  i++; // the name
  let timing: TriggerIR['timing'] = 'before';
  if (isKeyword(head[i], 'BEFORE')) i++;
  else if (isKeyword(head[i], 'AFTER')) { timing = 'after'; i++; }
  else if (isKeyword(head[i], 'INSTEAD')) { timing = 'insteadOf'; i += 2; }
  const event = head[i]?.text.toLowerCase() as TriggerEvent | undefined;
  if (event !== 'insert' && event !== 'update' && event !== 'delete') return null;
  i++;
  const updateOf: string[] = [];
  if (isKeyword(head[i], 'OF')) {
    for (i++; i < head.length && !isKeyword(head[i], 'ON'); i++) if (head[i]!.text !== ',') updateOf.push(unquote(head[i]!.text));
  }
  return {
    name, table, timing, events: [event],
    ...(updateOf.length > 0 ? { updateOf } : {}),
    forEachRow: true,
    ...(when >= 0 ? { when: text.slice(when + 4, begin).trim() } : {}),
    body,
  };
}

/** The triggers of the database (but those on excluded tables). */
export async function readSqliteTriggers(conn: Pick<Connection, 'query'>, exclude: (name: string) => boolean): Promise<TriggerIR[]> {
  const rows = await conn.query<{ name: string; tbl_name: string; sql: string }>(`SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND sql IS NOT NULL ORDER BY tbl_name, name`);
  return rows.filter((r) => !exclude(r.tbl_name)).map((r) => parseSqliteTrigger(r.name, r.tbl_name, r.sql)).filter((t): t is TriggerIR => t !== null);
}

function unsupported(t: TriggerIR, why: string, hint: string): RetortError {
  return new RetortError('UNSUPPORTED', `trigger "${t.name}" on "${t.table}": ${why}`, { hint });
}

/** A declared trigger as SQLite has it: one event, FOR EACH ROW, a body; refused where SQLite has no such trigger. */
export function normalizeSqliteTrigger(t: TriggerIR): TriggerIR {
  if (t.execute !== undefined || t.body === undefined) throw unsupported(t, 'SQLite triggers cannot execute a function', 'give the trigger a body: trigger(name, { ..., body: sql`UPDATE ...;` })');
  if (t.events.length !== 1 || t.events[0] === 'truncate') throw unsupported(t, 'a SQLite trigger has exactly one event (insert, update or delete)', 'declare one trigger per event');
  const { args: _a, execute: _e, ...rest } = t;
  return { ...rest, forEachRow: true, body: /;\s*$/.test(t.body) ? t.body : `${t.body};` };
}

/** The CREATE TRIGGER text SQLite stores for `t`. */
export function createSqliteTriggerSql(t: TriggerIR): string {
  const n = normalizeSqliteTrigger(t);
  const timing = n.timing === 'insteadOf' ? 'INSTEAD OF' : n.timing.toUpperCase();
  const event = n.events[0]!.toUpperCase() + (n.updateOf !== undefined ? ` OF ${n.updateOf.map(quoteId).join(', ')}` : '');
  return `CREATE TRIGGER ${quoteId(n.name)} ${timing} ${event} ON ${quoteId(n.table)} FOR EACH ROW${n.when !== undefined ? ` WHEN ${n.when}` : ''}\nBEGIN\n${n.body}\nEND`;
}

/** `declared` with each trigger whose WHEN and body compare equal to the live one's taking the live text. */
export function canonicalSqliteTriggers(declared: SchemaIR, live: SchemaIR): SchemaIR {
  if (declared.triggers === undefined || live.triggers === undefined) return declared;
  const key = (t: TriggerIR) => `${asciiLower(t.table)}\u0000${asciiLower(t.name)}`;
  const liveByKey = new Map(live.triggers.map((t) => [key(t), t]));
  const same = (a: string | undefined, b: string | undefined) => (a === undefined) === (b === undefined) && comparableQuery(a ?? '') === comparableQuery(b ?? '');
  return {
    ...declared,
    triggers: declared.triggers.map((t) => {
      const l = liveByKey.get(key(t));
      if (l === undefined || !same(t.when, l.when) || !same(t.body, l.body)) return t;
      return { ...t, ...(l.when !== undefined ? { when: l.when } : {}), ...(l.body !== undefined ? { body: l.body } : {}) };
    }),
  };
}

/** The key of a view or trigger in the compiler's map of the batch's objects: one namespace per type, without ASCII case. */
export function objectKey(type: string, name: string): string {
  return `${type}:${name.toLowerCase()}`;
}

/**
 * The statements of a trigger operation, noting the trigger in `objects` (what the batch created or dropped, which
 * a later table rebuild must carry or leave out); a function operation is refused: SQLite has no stored functions.
 */
export function compileSqliteRoutine(o: OperationOf<'createTrigger' | 'dropTrigger' | 'createFunction' | 'dropFunction' | 'replaceFunction'>, objects: Map<string, SchemaObject | null>): string[] {
  switch (o.kind) {
    case 'createTrigger': {
      const sql = createSqliteTriggerSql(o.trigger);
      objects.set(objectKey('trigger', o.trigger.name), { type: 'trigger', name: o.trigger.name, tbl_name: o.trigger.table, sql });
      return [sql];
    }
    case 'dropTrigger':
      objects.set(objectKey('trigger', o.name), null);
      return [`DROP TRIGGER ${quoteId(o.name)}`];
    default: {
      const name = o.kind === 'dropFunction' ? o.name : o.function.name;
      throw new RetortError('UNSUPPORTED', `op.${o.kind}('${name}'): SQLite has no stored functions`, { hint: 'remove the call from the revision, or run it against PostgreSQL' });
    }
  }
}
