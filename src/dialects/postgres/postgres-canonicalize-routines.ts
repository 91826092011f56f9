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
import { quoteIdentifier as q, quoteLiteral, quoteQualified as qn } from './postgres-sql.js';
import { bareName } from '../../ir/qualified.js';
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
  const { scratch, sameTypes } = differing.length === 0 ? { scratch: new Map<FunctionIR, FunctionIR>(), sameTypes: new Map<FunctionIR, string>() } : await scratchFunctions(conn, differing, live);
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
    // Only an argument's name changed: the live function's identity, so the two compare as one function (dropped and created again).
    const identity = sameTypes.get(f) ?? read.identity;
    const spelled: FunctionIR = { ...read, ...(identity !== undefined ? { identity } : {}), name: f.name, body: f.body, ...(f.dependsOn !== undefined ? { dependsOn: f.dependsOn } : {}), ...users(f) };
    const l = sameAsLive(spelled);
    return l !== undefined ? ordered(l, f) : spelled;
  });
}

/**
 * The server's reading of each of `functions` (created under scratch names), and, for those whose identity arguments
 * no live function of their name has, the identity of the live one with the same argument types (`c text` for a
 * declared `s text`): PostgreSQL tells functions apart by their types, and an argument renamed is the same function,
 * which CREATE cannot make a second time.
 */
async function scratchFunctions(conn: Connection, functions: readonly FunctionIR[], live: readonly FunctionIR[]): Promise<{ scratch: Map<FunctionIR, FunctionIR>; sameTypes: Map<FunctionIR, string> }> {
  const scratch = new Map<FunctionIR, FunctionIR>();
  const sameTypes = new Map<FunctionIR, string>();
  await inRolledBack(conn, async () => {
    await conn.query('SET LOCAL check_function_bodies = off');
    for (const [i, f] of functions.entries()) {
      await inSavepoint(conn, 'retort_routine', `CREATE ${createFunctionSql(f, false, `pg_temp.${q(`retort_scratch_${i}`)}`).slice('CREATE '.length)}`);
    }
    const at = (name: string) => functions[Number(/^retort_scratch_(\d+)$/.exec(name)?.[1] ?? -1)];
    const rows = await conn.query<FunctionRow & { types: string }>(`${FUNCTION_COLUMNS.replace('SELECT ', 'SELECT oidvectortypes(p.proargtypes) AS types, ')}\nWHERE p.pronamespace = pg_my_temp_schema()`);
    const renamedArgs = new Map<FunctionIR, string>();
    for (const r of rows) {
      const f = at(r.name);
      if (f === undefined) continue;
      scratch.set(f, buildFunction(r));
      if (!live.some((l) => l.name === f.name && l.identity === r.identity)) renamedArgs.set(f, r.types);
    }
    if (renamedArgs.size === 0) return;
    // The live functions of those names with their types (the session's search_path is the default schema).
    const names = [...new Set([...renamedArgs.keys()].map((f) => f.name))];
    const liveTypes = await conn.query<{ name: string; identity: string; types: string }>(`SELECT CASE WHEN n.nspname = current_schema() THEN p.proname::text ELSE n.nspname || '.' || p.proname END AS name,
        pg_get_function_identity_arguments(p.oid) AS identity, oidvectortypes(p.proargtypes) AS types
      FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.proname IN (${names.map((n) => quoteLiteral(bareName(n))).join(', ')})`);
    for (const [f, types] of renamedArgs) {
      const l = liveTypes.find((x) => x.name === f.name && x.types === types && live.some((y) => y.name === x.name && y.identity === x.identity));
      if (l !== undefined) sameTypes.set(f, l.identity);
    }
  });
  return { scratch, sameTypes };
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
