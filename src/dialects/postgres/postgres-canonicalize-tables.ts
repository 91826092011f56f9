/**
 * The scratch half of postgres-canonicalize.ts: the declared tables whose expressions differ from the live ones
 * after normalisation, created as temporary objects in a transaction that is always rolled back, read back, and
 * the server's spelling adopted wherever it equals the live one. Loaded only when some table needs it.
 */
import type { Connection } from '../dialect.js';
import type { EnumIR, TableIR } from '../../ir/ir.js';
import { enumNameOf, isGeneratedType } from '../../ir/ir.js';
import { sameIR } from '../../ir/ir-util.js';
import { compileOne } from './postgres-compiler.js';
import { introspectPostgres } from './postgres-introspector.js';
import { typeSql } from './postgres-sql.js';
import { liveNames, scratchNames } from './postgres-scratch-names.js';
import { inRolledBack, inSavepoint } from '../read-transaction.js';
import { hasCustomType, hasExpressions, sameExpressions } from './postgres-expression-match.js';

/**
 * The declared tables as PostgreSQL stores them, or null when the scratch transaction
 * could not start. A table whose DDL fails (an expression naming another table's
 * function that does not exist yet, say) is left out and keeps its declared spelling.
 */
// Tables per scratch transaction. Each temporary table holds a few locks until its transaction ends, in
// PostgreSQL's shared lock table (max_locks_per_transaction x max_connections slots, 6400 by default): thousands in
// one transaction fill it, and then no session of the server can even connect. A few hundred at a time cannot.
const TABLES_PER_SCRATCH = 200;

export async function serverSpelling(conn: Connection, tables: readonly TableIR[], enums: readonly EnumIR[]): Promise<Map<string, TableIR> | null> {
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
  return inRolledBack(conn, async () => {
    // Temporary objects need no CREATE privilege, and pg_temp first in search_path makes the scratch enum types
    // shadow the live ones, so casts read back unqualified ('a'::mood) exactly as the live catalog prints them.
    await conn.query(`SELECT set_config('search_path', 'pg_temp, ' || current_setting('search_path'), true)`);
    for (const e of enums.filter((x) => used.has(x.name))) for (const st of sqlOf(compileOne({ kind: 'createEnum', enum: e }))) await conn.query(st);
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
    const all = tables.flatMap((t) => sqlOf(compileOne({ kind: 'createTable', table: bareOf(t) })));
    const together = all.length > 0 && (await attempt(conn, [all.join(';\n')]));
    for (const t of together ? [] : tables) {
      const bare = bareOf(t);
      if (await attempt(conn, sqlOf(compileOne({ kind: 'createTable', table: bare })))) continue;
      // Refused: the table alone (columns and their defaults, keys), then each check and index on its own, so one
      // expression PostgreSQL refuses (an index on a function that is not IMMUTABLE, say) leaves out only itself
      // and keeps its declared spelling (the migration will report it), not every expression of its table.
      if (!(await attempt(conn, sqlOf(compileOne({ kind: 'createTable', table: { ...bare, checks: [], indexes: [], excludes: [] } }))))) {
        // Refused still (a default naming a sequence that does not exist): the plain columns alone, then each
        // default and each generated column on its own, so only the refused one keeps its declared spelling.
        if (!(await attempt(conn, sqlOf(compileOne({ kind: 'createTable', table: { ...bare, checks: [], indexes: [], columns: bare.columns.filter((c) => !isGeneratedType(c.type)).map((c) => ({ ...c, serverDefault: null })) } }))))) continue;
        for (const c of bare.columns) {
          if (isGeneratedType(c.type)) await attempt(conn, sqlOf(compileOne({ kind: 'addColumn', table: t.name, column: c })));
          else if (c.serverDefault !== null) await attempt(conn, sqlOf(compileOne({ kind: 'alterColumn', table: t.name, column: c.name, to: { serverDefault: c.serverDefault }, from: { serverDefault: null } })));
        }
      }
      for (const def of t.checks) await attempt(conn, sqlOf(compileOne({ kind: 'addConstraint', table: t.name, constraint: { kind: 'check', def } })));
      for (const def of t.excludes ?? []) await attempt(conn, sqlOf(compileOne({ kind: 'addConstraint', table: t.name, constraint: { kind: 'exclude', def } })));
      for (const index of t.indexes) await attempt(conn, sqlOf(compileOne({ kind: 'createIndex', table: t.name, index })));
    }
    const [row] = await conn.query<{ name: string | null }>('SELECT nspname AS name FROM pg_namespace WHERE oid = pg_my_temp_schema()');
    if (!row?.name) return new Map<string, TableIR>();
    const scratch = await introspectPostgres(conn, { schema: row.name, exclude: () => false });
    return new Map(scratch.tables.map((t) => [t.name, t]));
  });
}

/** Runs statements under a savepoint; false (and nothing left of them) when PostgreSQL refuses one. */
function attempt(conn: Connection, statements: readonly string[]): Promise<boolean> {
  return inSavepoint(conn, 'retort_canon', ...statements);
}

const sqlOf = (statements: readonly (string | { sql: string })[]): string[] => statements.map((s) => (typeof s === 'string' ? s : s.sql));

/**
 * `declared` with each expression and custom type whose server spelling equals the live one replaced by it;
 * real differences keep the user's text.
 */
export function adoptLiveSpelling(declared: TableIR, canonical: TableIR, live: TableIR): TableIR {
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
