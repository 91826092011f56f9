/**
 * Declared functions and triggers in PostgreSQL's own spelling, as views are (postgres-canonicalize-views.ts):
 * PostgreSQL prints argument and result types its own way (`int` reads back `integer`, `varchar` `character
 * varying`), and a trigger's WHEN as its parsed expression. For each declared function that differs from every live
 * one of its name, and only those, this creates it in the session's temporary schema (under a scratch name, bodies
 * unchecked) inside a transaction that is always rolled back and reads it back; a trigger whose WHEN differs is
 * created on a temporary copy of its table's columns. Where the server's spelling equals a live object, the live
 * one is adopted (formatting is no change); otherwise the server's spelling stays, so overloads match by their
 * identity arguments. A body is compared as written (PostgreSQL keeps the source text), without the blanks around
 * it; where only those differ the live body is adopted.
 */
import type { Connection } from '../dialect.js';
import { inRolledBack, inSavepoint } from '../read-transaction.js';
import type { FunctionIR, SchemaIR, TriggerIR } from '../../ir/ir.js';
import { functionsDiffer, triggerKey } from '../../ir/routine.js';
import { quoteIdentifier as q, quoteQualified as qn } from './postgres-sql.js';
import { buildFunction, buildTrigger, FUNCTION_COLUMNS, triggersSql, type FunctionRow, type TriggerRow } from './postgres-routines-read.js';
import { createFunctionSql, createTriggerSql } from './postgres-routines.js';

/** `declared`'s functions and triggers, each in the live spelling where the server spells it the same (see the module comment). */
export async function canonicalRoutines(conn: Connection, declared: SchemaIR, live: SchemaIR, prelude: readonly string[] = []): Promise<Pick<SchemaIR, 'functions' | 'triggers'>> {
  const functions = declared.functions === undefined ? undefined : await canonicalFunctions(conn, declared.functions, live.functions ?? []);
  const triggers = declared.triggers === undefined ? undefined : await canonicalTriggers(conn, declared.triggers, live.triggers ?? [], prelude);
  return { ...(functions !== undefined ? { functions } : {}), ...(triggers !== undefined ? { triggers } : {}) };
}

async function canonicalFunctions(conn: Connection, declared: readonly FunctionIR[], live: readonly FunctionIR[]): Promise<FunctionIR[]> {
  const sameAsLive = (f: FunctionIR) => live.find((l) => l.name === f.name && !functionsDiffer(f, l));
  const differing = declared.filter((f) => sameAsLive(f) === undefined && live.some((l) => l.name === f.name));
  const scratch = differing.length === 0 ? new Map<FunctionIR, FunctionIR>() : await scratchFunctions(conn, differing);
  // What orders the declared function (what it calls, what calls it) stays the declared one's.
  const users = (f: FunctionIR) => (f.usedBy !== undefined ? { usedBy: f.usedBy } : {});
  const ordered = ({ usedBy: _u, ...x }: FunctionIR, f: FunctionIR): FunctionIR => ({ ...x, dependsOn: f.dependsOn ?? [], ...users(f) });
  return declared.map((f) => {
    const adopted = sameAsLive(f);
    if (adopted !== undefined) return ordered(adopted, f);
    const s = scratch.get(f);
    if (s === undefined) return f;
    // The server's reading, with the declared name and body (the scratch one has another name; bodies are kept as sent).
    const { usedBy: _u, ...read } = s;
    const spelled: FunctionIR = { ...read, name: f.name, body: f.body, ...(f.dependsOn !== undefined ? { dependsOn: f.dependsOn } : {}), ...users(f) };
    const l = sameAsLive(spelled);
    return l !== undefined ? ordered(l, f) : spelled;
  });
}

async function scratchFunctions(conn: Connection, functions: readonly FunctionIR[]): Promise<Map<FunctionIR, FunctionIR>> {
  const out = new Map<FunctionIR, FunctionIR>();
  await inRolledBack(conn, async () => {
    await conn.query('SET LOCAL check_function_bodies = off');
    for (const [i, f] of functions.entries()) {
      await inSavepoint(conn, 'retort_routine', `CREATE ${createFunctionSql(f, false, `pg_temp.${q(`retort_scratch_${i}`)}`).slice('CREATE '.length)}`);
    }
    const rows = await conn.query<FunctionRow>(`${FUNCTION_COLUMNS}\nWHERE p.pronamespace = pg_my_temp_schema()`);
    for (const r of rows) {
      const i = Number(/^retort_scratch_(\d+)$/.exec(r.name)?.[1] ?? -1);
      const f = functions[i];
      if (f !== undefined) out.set(f, buildFunction(r));
    }
  });
  return out;
}

async function canonicalTriggers(conn: Connection, declared: readonly TriggerIR[], live: readonly TriggerIR[], prelude: readonly string[]): Promise<TriggerIR[]> {
  const liveByKey = new Map(live.map((t) => [triggerKey(t), t]));
  const differing = declared.filter((t) => {
    const l = liveByKey.get(triggerKey(t));
    return l !== undefined && t.when !== undefined && l.when !== undefined && t.when !== l.when;
  });
  const scratch = differing.length === 0 ? new Map<TriggerIR, string>() : await scratchWhens(conn, differing, prelude);
  return declared.map((t) => {
    const when = scratch.get(t);
    return when === undefined ? t : { ...t, when };
  });
}

// Each trigger on a temporary table with its table's columns (LIKE reads the table's definition, under ACCESS SHARE).
async function scratchWhens(conn: Connection, triggers: readonly TriggerIR[], prelude: readonly string[]): Promise<Map<TriggerIR, string>> {
  const out = new Map<TriggerIR, string>();
  await inRolledBack(conn, async () => {
    // The declared renames first, so LIKE copies the columns by their new names (postgres-follow-renames.ts).
    for (const s of prelude) await conn.query(s);
    for (const [i, t] of triggers.entries()) {
      const table = `retort_scratch_${i}`;
      await inSavepoint(conn, 'retort_routine', `CREATE TEMPORARY TABLE ${q(table)} (LIKE ${qn(t.table)})`, createTriggerSql({ ...t, table }));
    }
    // The temporary schema stands for the default one ($1), so the scratch tables read back by their bare names.
    const rows = await conn.query<TriggerRow>(triggersSql('c.relnamespace = pg_my_temp_schema()').split('$1').join('(SELECT nspname FROM pg_namespace WHERE oid = pg_my_temp_schema())'));
    for (const r of rows) {
      const t = triggers[Number(/^retort_scratch_(\d+)$/.exec(r.table_name)?.[1] ?? -1)];
      const when = buildTrigger(r).when;
      if (t !== undefined && when !== undefined) out.set(t, when);
    }
  });
  return out;
}
