/**
 * Lets PostgreSQL spell declared expressions and custom types its own way.
 * PostgreSQL rewrites what it stores (`x IN ('a','b')` becomes
 * `x::text = ANY (ARRAY[...])`, `interval '30 days'` becomes
 * `'30 days'::interval`, `lower('A')` becomes `lower('A'::text)`, a column
 * declared `timestamptz(3)` reads back `timestamp(3) with time zone`, `float`
 * reads back `double precision`), so no textual normaliser can be complete. For the
 * declared tables whose expressions still differ from the live ones after
 * normalisation, and only those, this creates the declared enum types and
 * tables as temporary objects inside a transaction that is always rolled back,
 * reads them back with the introspector, and uses the server's spelling
 * wherever it matches the live one. A matching schema pays nothing.
 */
import type { Connection } from '../dialect.js';
import type { ColumnIR, ColumnType, EnumIR, IndexIR, SchemaIR, TableIR } from '../../ir/ir.js';
import { enumNameOf, isGeneratedType } from '../../ir/ir.js';
import { sameIR } from '../../ir/ir-util.js';
import { compileOne } from './postgres-compiler.js';
import { introspectPostgres } from './postgres-introspector.js';
import { typeSql } from './postgres-sql.js';
import { liveNames, scratchNames } from './postgres-scratch-names.js';
import { canonicalViews } from './postgres-canonicalize-views.js';
import { canonicalRoutines } from './postgres-canonicalize-routines.js';
import { canonicalDomains } from './postgres-canonicalize-domains.js';
import { canonicalPolicies } from './postgres-canonicalize-policies.js';
import { renamePrelude } from './postgres-follow-renames.js';
import type { Operation } from '../../operations/operations.js';

/** Options for canonicalizePostgres. */
export interface CanonicalizeOptions {
  /** The schema `live` was read from (for messages only: the scratch objects live in the session's temporary schema). */
  readonly schema?: string;
  /** The models' renames, run first where a scratch object reads the real tables (views, policies, trigger conditions). */
  readonly renames?: readonly Operation[];
}

/** canonicalizePostgres returns `declared` with each expression PostgreSQL merely respells replaced by the live spelling. */
export async function canonicalizePostgres(conn: Connection, declared: SchemaIR, live: SchemaIR, options: CanonicalizeOptions = {}): Promise<SchemaIR> {
  const tables = await canonicalTables(conn, declared, live, options);
  const prelude = renamePrelude(options.renames ?? []);
  const views = await canonicalViews(conn, declared, live, prelude);
  const routines = await canonicalRoutines(conn, declared, live, prelude);
  const domains = await canonicalDomains(conn, declared, live);
  const policies = await canonicalPolicies(conn, declared, live, prelude);
  // Nothing that needed the server: the declared schema itself, as it came.
  if (views === undefined && domains === undefined && policies === undefined && Object.keys(routines).length === 0) return tables;
  return { ...tables, ...(views !== undefined ? { views } : {}), ...routines, ...(domains !== undefined ? { domains } : {}), ...(policies !== undefined ? { policies } : {}) };
}

async function canonicalTables(conn: Connection, declared: SchemaIR, live: SchemaIR, _options: CanonicalizeOptions): Promise<SchemaIR> {
  const liveTables = new Map(live.tables.map((t) => [t.name, t]));
  const affected = declared.tables.filter((t) => {
    const l = liveTables.get(t.name);
    return l !== undefined && hasExpressionMismatch(t, l);
  });
  if (affected.length === 0) return declared;
  // A partition is built in the scratch under a scratch copy of its parent (a temporary table cannot be a partition of a permanent one).
  const names = new Set(affected.map((t) => t.name));
  const parents = declared.tables.filter((p) => !names.has(p.name) && affected.some((t) => t.partitionOf?.parent === p.name));
  const canonical = await serverSpelling(conn, [...parents, ...affected].sort((a, b) => Number(a.partitionOf !== undefined) - Number(b.partitionOf !== undefined)), declared.enums);
  if (canonical === null) return declared;
  return {
    ...declared,
    enums: declared.enums,
    tables: declared.tables.map((t) => {
      const c = canonical.get(t.name);
      const l = liveTables.get(t.name);
      return c && l ? adoptLiveSpelling(t, c, l) : t;
    }),
  };
}

/**
 * True when a check, a server default or an index's expressions differ textually between two versions of a
 * table, or a column declared with a custom type (`customType('timestamptz(3)')`) reads back spelled otherwise.
 */
export function hasExpressionMismatch(declared: TableIR, live: TableIR): boolean {
  if (partitioningDiffers(declared, live)) return true;
  const liveChecks = new Map(live.checks.map((c) => [c.name, c.expression]));
  if (declared.checks.some((c) => liveChecks.has(c.name) && liveChecks.get(c.name) !== c.expression)) return true;
  const liveColumns = new Map(live.columns.map((c) => [c.name, c]));
  if (declared.columns.some((c) => defaultsDiffer(c, liveColumns.get(c.name)) || customTypeDiffers(c, liveColumns.get(c.name)))) return true;
  const liveIndexes = new Map(live.indexes.map((ix) => [ix.name, ix]));
  return declared.indexes.some((ix) => {
    const l = liveIndexes.get(ix.name);
    return l !== undefined && hasExpressions(ix, declared) && !sameExpressions(ix, l);
  });
}

/** A partition key, a bound or an exclusion constraint of the same name spelled otherwise (`'2022-01-01'` against `'2022-01-01 00:00:00+00'`). */
function partitioningDiffers(declared: TableIR, live: TableIR): boolean {
  if (declared.partitionBy && live.partitionBy && !sameIR(declared.partitionBy, live.partitionBy)) return true;
  if (declared.partitionOf && live.partitionOf && !sameIR(declared.partitionOf, live.partitionOf)) return true;
  const liveExcludes = new Map((live.excludes ?? []).map((x) => [x.name, x]));
  return (declared.excludes ?? []).some((x) => { const l = liveExcludes.get(x.name); return l !== undefined && !sameIR({ ...x, autoNamed: undefined }, { ...l, autoNamed: undefined }); });
}

function defaultsDiffer(declared: ColumnIR, live: ColumnIR | undefined): boolean {
  return live !== undefined && declared.serverDefault !== null && live.serverDefault !== null && declared.serverDefault !== live.serverDefault;
}

// Only custom types: the types Retort knows are already in one spelling on both sides.
function customTypeDiffers(declared: ColumnIR, live: ColumnIR | undefined): boolean {
  return live !== undefined && hasCustomType(declared.type) && typeSql(declared.type) !== typeSql(live.type);
}

function hasCustomType(type: ColumnType): boolean {
  return type.kind === 'custom' || (type.kind === 'array' && hasCustomType(type.element));
}

function hasExpressions(ix: IndexIR, t: TableIR): boolean {
  return ix.where !== null || ix.columns.some((c) => !t.columns.some((col) => col.name === c));
}

function sameExpressions(a: IndexIR, b: IndexIR): boolean {
  return a.where === b.where && a.columns.length === b.columns.length && a.columns.every((c, i) => c === b.columns[i]);
}

/**
 * The declared tables as PostgreSQL stores them, or null when the scratch transaction
 * could not start. A table whose DDL fails (an expression naming another table's
 * function that does not exist yet, say) is left out and keeps its declared spelling.
 */
// Tables per scratch transaction. Each temporary table holds a few locks until its transaction ends, in
// PostgreSQL's shared lock table (max_locks_per_transaction x max_connections slots, 6400 by default): thousands in
// one transaction fill it, and then no session of the server can even connect. A few hundred at a time cannot.
const TABLES_PER_SCRATCH = 200;

async function serverSpelling(conn: Connection, tables: readonly TableIR[], enums: readonly EnumIR[]): Promise<Map<string, TableIR> | null> {
  const out = new Map<string, TableIR>();
  for (let i = 0; i < tables.length; i += TABLES_PER_SCRATCH) {
    // Objects of named schemas are built under scratch names (postgres-scratch-names.ts) and read back under their own.
    const scratch = scratchNames(tables.slice(i, i + TABLES_PER_SCRATCH), enums);
    const part = await scratchSpelling(conn, scratch.tables, scratch.enums);
    if (part === null) return i === 0 ? null : out;
    for (const t of part.values()) { const named = liveNames(t); out.set(named.name, named); }
  }
  return out;
}

async function scratchSpelling(conn: Connection, tables: readonly TableIR[], enums: readonly EnumIR[]): Promise<Map<string, TableIR> | null> {
  const used = new Set(tables.flatMap((t) => t.columns.map((c) => enumNameOf(c.type)).filter((n): n is string => n !== null)));
  try {
    await conn.query('BEGIN');
  } catch {
    return null;
  }
  try {
    // Temporary objects need no CREATE privilege, and pg_temp first in search_path makes the scratch enum types
    // shadow the live ones, so casts read back unqualified ('a'::mood) exactly as the live catalog prints them.
    await conn.query(`SELECT set_config('search_path', 'pg_temp, ' || current_setting('search_path'), true)`);
    for (const e of enums.filter((x) => used.has(x.name))) await runAll(conn, compileOne({ kind: 'createEnum', enum: e }));
    // Only what carries an expression is built: no keys (each an index), no sequences, no plain indexes, which
    // would make PostgreSQL create a thousand objects that nothing here reads.
    const bareOf = (t: TableIR): TableIR => ({
      ...t,
      primaryKey: null,
      uniques: [],
      foreignKeys: [],
      indexes: t.indexes.filter((ix) => hasExpressions(ix, t)),
      comment: null,
      columns: t.columns.map((c) => ({ ...c, autoIncrement: false, comment: null })),
    });
    // Every table in one round trip first: a thousand tables would otherwise cost three thousand. Only when
    // PostgreSQL refuses something is each table tried on its own.
    const all = tables.flatMap((t) => compileOne({ kind: 'createTable', table: bareOf(t) }).map((st) => (typeof st === 'string' ? st : st.sql)));
    const together = all.length > 0 && (await attempt(conn, [all.join(';\n')]));
    for (const t of together ? [] : tables) {
      const bare = bareOf(t);
      if (await attempt(conn, compileOne({ kind: 'createTable', table: bare }))) continue;
      // Refused: the table alone (columns and their defaults, keys), then each check and index on its own, so one
      // expression PostgreSQL refuses (an index on a function that is not IMMUTABLE, say) leaves out only itself
      // and keeps its declared spelling (the migration will report it), not every expression of its table.
      if (!(await attempt(conn, compileOne({ kind: 'createTable', table: { ...bare, checks: [], indexes: [], excludes: [] } })))) {
        // Refused still (a default naming a sequence that does not exist): the plain columns alone, then each
        // default and each generated column on its own, so only the refused one keeps its declared spelling.
        if (!(await attempt(conn, compileOne({ kind: 'createTable', table: { ...bare, checks: [], indexes: [], columns: bare.columns.filter((c) => !isGeneratedType(c.type)).map((c) => ({ ...c, serverDefault: null })) } })))) continue;
        for (const c of bare.columns) {
          if (isGeneratedType(c.type)) await attempt(conn, compileOne({ kind: 'addColumn', table: t.name, column: c }));
          else if (c.serverDefault !== null) await attempt(conn, compileOne({ kind: 'alterColumn', table: t.name, column: c.name, to: { serverDefault: c.serverDefault }, from: { serverDefault: null } }));
        }
      }
      for (const def of t.checks) await attempt(conn, compileOne({ kind: 'addConstraint', table: t.name, constraint: { kind: 'check', def } }));
      for (const def of t.excludes ?? []) await attempt(conn, compileOne({ kind: 'addConstraint', table: t.name, constraint: { kind: 'exclude', def } }));
      for (const index of t.indexes) await attempt(conn, compileOne({ kind: 'createIndex', table: t.name, index }));
    }
    const [row] = await conn.query<{ name: string | null }>('SELECT nspname AS name FROM pg_namespace WHERE oid = pg_my_temp_schema()');
    if (!row?.name) return new Map();
    const scratch = await introspectPostgres(conn, { schema: row.name, exclude: () => false });
    return new Map(scratch.tables.map((t) => [t.name, t]));
  } catch {
    return null;
  } finally {
    await conn.query('ROLLBACK');
  }
}

/** Runs statements under a savepoint; false (and nothing left of them) when PostgreSQL refuses one. */
async function attempt(conn: Connection, statements: readonly (string | { sql: string })[]): Promise<boolean> {
  await conn.query('SAVEPOINT retort_canon');
  try {
    await runAll(conn, statements);
    await conn.query('RELEASE SAVEPOINT retort_canon');
    return true;
  } catch {
    await conn.query('ROLLBACK TO SAVEPOINT retort_canon');
    return false;
  }
}

async function runAll(conn: Connection, statements: readonly (string | { sql: string })[]): Promise<void> {
  for (const s of statements) await conn.query(typeof s === 'string' ? s : s.sql);
}

/**
 * `declared` with each expression and custom type whose server spelling equals the live one replaced by it;
 * real differences keep the user's text.
 */
function adoptLiveSpelling(declared: TableIR, canonical: TableIR, live: TableIR): TableIR {
  const find = <T extends { name: string }>(xs: readonly T[], name: string) => xs.find((x) => x.name === name);
  return {
    ...declared,
    columns: declared.columns.map((c) => {
      const canon = find(canonical.columns, c.name);
      const l = find(live.columns, c.name);
      if (!canon || !l) return c;
      let out = c;
      if (c.serverDefault !== null && canon.serverDefault !== null && canon.serverDefault === l.serverDefault) out = { ...out, serverDefault: l.serverDefault };
      if (hasCustomType(c.type) && typeSql(canon.type) === typeSql(l.type)) out = { ...out, type: l.type };
      return out;
    }),
    checks: declared.checks.map((c) => {
      const canon = find(canonical.checks, c.name);
      const l = find(live.checks, c.name);
      return canon && l && canon.expression === l.expression ? { ...c, expression: l.expression } : c;
    }),
    indexes: declared.indexes.map((ix) => {
      const l = find(live.indexes, ix.name);
      const canon = find(canonical.indexes, ix.name);
      return l && canon && sameExpressions(canon, l) ? { ...ix, columns: l.columns, where: l.where } : ix;
    }),
    ...(declared.excludes !== undefined ? { excludes: declared.excludes.map((x) => {
      const l = find(live.excludes ?? [], x.name);
      const canon = find(canonical.excludes ?? [], x.name);
      return l && canon && sameIR({ ...canon, name: '' }, { ...l, name: '' }) ? { ...l, ...(x.autoNamed ? { autoNamed: x.autoNamed } : {}) } : x;
    }) } : {}),
    ...(declared.partitionBy && canonical.partitionBy && live.partitionBy && sameIR(canonical.partitionBy, live.partitionBy) ? { partitionBy: live.partitionBy } : {}),
    // The bound as the server prints it (a timestamptz bound in the session's time zone); the parent compared as declared.
    ...(declared.partitionOf && canonical.partitionOf && live.partitionOf && sameIR(canonical.partitionOf.bound, live.partitionOf.bound) ? { partitionOf: { parent: declared.partitionOf.parent, bound: live.partitionOf.bound } } : {}),
  };
}
