/**
 * Functions and triggers of the random schemas (random-schema.ts). PostgreSQL: an SQL function (f_double, which
 * views may call) and a plpgsql trigger function (f_guard), each in two versions so that a body can change in
 * place; triggers on the random tables executing f_guard, BEFORE or AFTER, row or statement, some with a WHEN or
 * UPDATE OF naming a column. SQLite: triggers with bodies naming a column, some with a WHEN. A trigger on a column
 * whose type B changes is the case issue 18 is about: it must be moved out of the way and back.
 */
import * as dsl from '../../src/models/builders.js';
import type { TriggerEvent } from '../../src/ir/routine.js';
import type { Chooser } from './random-schema-tables.js';
import type { KindOptions } from './random-schema-kinds.js';

export interface FunctionSpec { name: 'f_double' | 'f_guard'; variant: number }
/** `col`: the column its WHEN (or, on SQLite, its body) names, or null; `updateOf`: UPDATE OF that column. */
export interface TriggerSpec { name: string; table: string; timing: 'before' | 'after'; events: TriggerEvent[]; forEachRow: boolean; col: string | null; when: boolean; updateOf: boolean }

interface TableLike { name: string; columns: { name: string }[] }
interface SchemaLike { tables: TableLike[]; functions?: FunctionSpec[]; triggers?: TriggerSpec[] }

const TRIGGER_NAMES = ['trg_guard', 'Audit Trigger'];
const EVENT_SETS: TriggerEvent[][] = [['insert'], ['update'], ['delete'], ['insert', 'update'], ['update', 'delete'], ['insert', 'update', 'delete']];

function randomTrigger(c: Chooser, s: SchemaLike, name: string, o: KindOptions): TriggerSpec | null {
  if (s.tables.length === 0) return null;
  const t = c.pick(s.tables);
  // SQLite: one event, row triggers only.
  const events = o.postgres ? c.pick(EVENT_SETS) : [c.pick(['insert', 'update', 'delete'] as const)];
  const col = t.columns.length > 0 && c.int(3) > 0 ? c.pick(t.columns).name : null;
  const forEachRow = !o.postgres || c.int(3) > 0;
  return { name, table: t.name, timing: c.pick(['before', 'after'] as const), events, forEachRow, col, when: col !== null && c.chance(2), updateOf: col !== null && events.includes('update') && c.chance(3) };
}

export function randomRoutines(c: Chooser, s: SchemaLike, o: KindOptions): void {
  s.functions = o.postgres && c.chance(2) ? [{ name: 'f_double', variant: c.int(2) }] : [];
  s.triggers = TRIGGER_NAMES.flatMap((n) => (c.chance(3) ? [randomTrigger(c, s, n, o)].filter((x) => x !== null) : []));
  repairRoutines(s, o);
}

/** One random mutation of functions and triggers. */
export function mutateRoutines(c: Chooser, s: SchemaLike, o: KindOptions): void {
  s.triggers ??= [];
  s.functions ??= [];
  switch (c.int(o.postgres ? 4 : 2)) {
    case 0: { // a trigger appears, goes or is replaced
      const name = c.pick(TRIGGER_NAMES);
      const next = c.chance(3) ? null : randomTrigger(c, s, name, o);
      s.triggers = [...s.triggers.filter((x) => x.name !== name), ...(next ? [next] : [])];
      break;
    }
    case 1: { // a trigger's WHEN (or UPDATE OF) toggles, or its timing
      const t = s.triggers.length > 0 ? c.pick(s.triggers) : null;
      if (t && t.col !== null && c.chance(2)) t.when = !t.when;
      else if (t && t.col !== null && t.events.includes('update') && c.chance(2)) t.updateOf = !t.updateOf;
      else if (t) t.timing = t.timing === 'before' ? 'after' : 'before';
      break;
    }
    case 2: { // a function's body changes (CREATE OR REPLACE)
      const f = s.functions.length > 0 ? c.pick(s.functions) : null;
      if (f) f.variant = 1 - f.variant;
      break;
    }
    case 3: // f_double appears or goes (views calling it go with it)
      s.functions = s.functions.some((f) => f.name === 'f_double') ? s.functions.filter((f) => f.name !== 'f_double') : [...s.functions, { name: 'f_double', variant: c.int(2) }];
      break;
  }
}

/** Triggers lose the tables and columns that went; on PostgreSQL, a trigger needs f_guard (declared when missing). */
export function repairRoutines(s: SchemaLike, o: KindOptions): void {
  const tables = new Map(s.tables.map((t) => [t.name, t]));
  s.triggers = (s.triggers ?? []).filter((t) => tables.has(t.table));
  for (const t of s.triggers) {
    if (t.col !== null && !tables.get(t.table)!.columns.some((x) => x.name === t.col)) Object.assign(t, { col: null, when: false, updateOf: false });
    // WHEN names NEW or OLD: PostgreSQL allows it on row triggers only, and not both ways at once (INSERT has no OLD, DELETE no NEW).
    if (o.postgres && (!t.forEachRow || (t.events.includes('insert') && t.events.includes('delete')))) t.when = false;
    if (!t.events.includes('update')) t.updateOf = false;
  }
  s.functions = s.functions ?? [];
  if (o.postgres && s.triggers.length > 0 && !s.functions.some((f) => f.name === 'f_guard')) s.functions.push({ name: 'f_guard', variant: 0 });
  if (o.postgres && s.triggers.length === 0) s.functions = s.functions.filter((f) => f.name !== 'f_guard');
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

const BODIES: Record<FunctionSpec['name'], string[]> = {
  f_double: ['SELECT x * 2', 'SELECT x + x'],
  f_guard: [
    "\nBEGIN\n  IF TG_OP = 'DELETE' THEN\n    RETURN OLD;\n  END IF;\n  RETURN NEW;\nEND\n",
    "\nBEGIN\n  IF TG_LEVEL = 'ROW' AND TG_OP <> 'DELETE' THEN\n    IF NEW.id < 0 THEN\n      RAISE EXCEPTION 'negative id';\n    END IF;\n  END IF;\n  IF TG_OP = 'DELETE' THEN\n    RETURN OLD;\n  END IF;\n  RETURN NEW;\nEND\n",
  ],
};

function functionDecl(f: FunctionSpec): dsl.FunctionDecl {
  return f.name === 'f_double'
    ? dsl.fn('f_double', { args: 'x integer', returns: 'integer', language: 'sql', volatility: 'immutable' }, BODIES.f_double[f.variant]!)
    : dsl.fn('f_guard', { returns: 'trigger', language: 'plpgsql' }, BODIES.f_guard[f.variant]!);
}

function triggerDecl(t: TriggerSpec, on: dsl.TableDecl, guard: dsl.FunctionDecl | undefined): dsl.TriggerDecl {
  const row = t.events.includes('delete') && !t.events.includes('insert') ? 'OLD' : 'NEW';
  const when = t.when && t.col !== null ? { when: `${row}.${quote(t.col)} IS NOT NULL` } : {};
  const updateOf = t.updateOf && t.col !== null ? { updateOf: [t.col] } : {};
  if (guard) return dsl.trigger(t.name, { on, timing: t.timing, events: t.events, forEachRow: t.forEachRow, ...when, ...updateOf, execute: guard });
  const named = t.col === null ? `${row}.id` : `${row}.${quote(t.col)}`;
  return dsl.trigger(t.name, { on, timing: t.timing, events: t.events, forEachRow: true, ...when, ...updateOf, body: `SELECT ${named} WHERE ${row}.id > 0;` });
}

/** The DSL declarations; `tables` by name. */
export function routineExports(s: SchemaLike, tables: ReadonlyMap<string, dsl.TableDecl>, exports: Record<string, unknown>): void {
  const fns = new Map((s.functions ?? []).map((f) => [f.name, functionDecl(f)]));
  [...fns.values()].forEach((f, i) => { exports[`function${i}`] = f; });
  (s.triggers ?? []).forEach((t, i) => { exports[`trigger${i}`] = triggerDecl(t, tables.get(t.table)!, fns.get('f_guard')); });
}

export function describeRoutines(s: SchemaLike): string[] {
  const lines = (s.functions ?? []).map((f) => `function ${f.name} version ${f.variant}`);
  for (const t of s.triggers ?? []) {
    lines.push(`trigger ${JSON.stringify(t.name)} ${t.timing} ${t.events.join(' or ')}${t.updateOf ? ` of ${JSON.stringify(t.col)}` : ''} on ${JSON.stringify(t.table)}${t.forEachRow ? ' for each row' : ''}${t.when ? ` when ${JSON.stringify(t.col)} is not null` : t.col ? ` names ${JSON.stringify(t.col)}` : ''}`);
  }
  return lines;
}
