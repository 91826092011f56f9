// Property test of autogenerate against real databases, on both dialects: random
// model pairs A and B (test/helpers/random-schema.ts); on a database at A holding
// rows, the diff towards B runs, the database then introspects as B and a second
// diff is empty; the inverse runs, the database introspects as A again, and the
// rows of the columns on both sides are still there, and a diff against A is empty.
// A second property (issue 18): B changes the type of a column of A (or removes a
// value from its enum) that a view, a trigger and (PostgreSQL) a policy depend on;
// the same round trip, and the schema dump after the downgrade equals A's.
// 100 and 40 cases per dialect under CI=true, 10 locally; RETORT_PROPERTY_RUNS sets
// both, RETORT_PROPERTY_SEED picks another seed, RETORT_PROPERTY_PATH replays one case.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import fc from 'fast-check';
import { diffLines } from 'diff';
import { liveCatalog, type Connection, type Dialect } from '../src/dialects/dialect.js';
import { postgresDialect } from '../src/dialects/postgres/postgres-dialect.js';
import { sqliteDialect } from '../src/dialects/sqlite/sqlite-dialect.js';
import { parseDatabaseUrl } from '../src/config/url.js';
import { compareSchemas } from '../src/diff/compare.js';
import { canonicalSchema, sameIR } from '../src/ir/ir-util.js';
import { inverseAll, type Operation } from '../src/operations/operations.js';
import { emptySchema, type ColumnIR, type SchemaIR, type TableIR } from '../src/ir/ir.js';
import { Chooser, describeSpec, mutate, randomSchema, retypeUnderDependents, toSchemaIR, type KindOptions, type SchemaSpec } from './helpers/random-schema.js';
import { MODEL_TARGET } from './helpers/models.js';
import { availableExtensions, createPgDatabase, tempDir, type PgDatabase } from './helpers/db.js';
import { pgSchemaDump, sqliteSchemaDump } from './helpers/pull-roundtrip.js';
import { splitTopLevel } from '../src/dialects/sqlite/sqlite-sql-text.js';

/**
 * SQLite's schema dump with each table's constraints sorted: their order in CREATE TABLE means nothing, and a CHECK
 * that B drops (a type change drops its column's) comes back last in the downgrade's rebuild. Columns keep their order.
 */
function sqliteDumpConstraintsSorted(file: string): string {
  return sqliteSchemaDump(file).split('\n').map((line) => {
    const open = line.indexOf('(');
    if (!/^table /.test(line) || open < 0 || !line.endsWith(')')) return line;
    const parts = splitTopLevel(line.slice(open + 1, -1)).map((x) => x.trim());
    const constraints = parts.filter((x) => /^CONSTRAINT /i.test(x)).sort();
    return `${line.slice(0, open + 1)}${[...parts.filter((x) => !/^CONSTRAINT /i.test(x)), ...constraints].join(', ')})`;
  }).join('\n');
}

const RUNS = Number(process.env.RETORT_PROPERTY_RUNS ?? (process.env.CI === 'true' ? 100 : 10));
// The type-change property draws from a narrower space (one change under known dependents): 40 cases in CI keep the file's time down.
const RETYPE_RUNS = Number(process.env.RETORT_PROPERTY_RUNS ?? (process.env.CI === 'true' ? 40 : 10));
const SEED = Number(process.env.RETORT_PROPERTY_SEED ?? 20240611);

interface Pair { a: SchemaSpec; b: SchemaSpec }

// Both dialects' pairs hold views and triggers; PostgreSQL's also materialized views, functions, row-level security,
// policies, sequences, identity keys, domains, extensions, partitioned tables, exclusion constraints and comments.
const pairArb = (o: KindOptions): fc.Arbitrary<Pair> => fc.array(fc.nat(), { minLength: 400, maxLength: 400 }).map((xs) => {
  const c = new Chooser(xs);
  const a = randomSchema(c, o);
  return { a, b: mutate(c, a, o) };
});

// A column that views, triggers (and on PostgreSQL a policy) depend on changes its type, or its enum loses a value.
const retypeArb = (o: KindOptions): fc.Arbitrary<Pair> => fc.array(fc.nat(), { minLength: 400, maxLength: 400 }).map((xs) => {
  const c = new Chooser(xs);
  return retypeUnderDependents(c, randomSchema(c, o), o);
});

/** A database of one dialect that the cases share, emptied between them. */
interface Target {
  readonly dialect: Dialect;
  /** The random schemas' options for this database (the extensions it has). */
  readonly options: KindOptions;
  reset(): Promise<Connection>;
  /** The schema as its dump tool prints it (pg_dump --schema-only; SQLite's CREATE texts). */
  dump(): string;
  close(): Promise<void>;
}

/**
 * Runs operations the way the runner runs a generated revision: one transaction, foreign keys
 * checked before COMMIT, except that each addEnumValue runs on its own outside it (the revision
 * file wraps it in op.autocommitBlock, as PostgreSQL cannot use a value added in the same transaction).
 */
async function run(dialect: Dialect, conn: Connection, ops: readonly Operation[]): Promise<void> {
  const segments: { autocommit: boolean; ops: Operation[] }[] = [];
  for (const o of ops) {
    const autocommit = o.kind === 'addEnumValue';
    const last = segments[segments.length - 1];
    if (last && last.autocommit === autocommit && !autocommit) last.ops.push(o);
    else segments.push({ autocommit, ops: [o] });
  }
  const exec = async (sql: string, params?: readonly unknown[]) => {
    try {
      await conn.query(sql, params);
    } catch (e) {
      throw new Error(`${(e as Error).message}\n  statement: ${sql}`);
    }
  };
  await dialect.beforeRun?.(conn);
  try {
    await conn.query(dialect.beginSql);
    try {
      for (const segment of segments) {
        const statements = await dialect.compile(segment.ops, liveCatalog(dialect, conn));
        if (segment.autocommit) {
          await dialect.beforeCommit?.(conn);
          await conn.query('COMMIT');
          for (const s of statements) await exec(s.sql, s.params);
          await conn.query(dialect.beginSql);
        } else {
          for (const s of statements) await exec(s.sql, s.params);
        }
      }
      await dialect.beforeCommit?.(conn);
      await conn.query('COMMIT');
    } catch (e) {
      await conn.query('ROLLBACK').catch(() => undefined);
      throw e;
    }
  } finally {
    await dialect.afterRun?.(conn);
  }
}

const introspect = (dialect: Dialect, conn: Connection) => dialect.introspect(conn, { exclude: () => false });

function pretty(s: SchemaIR): string {
  return JSON.stringify(canonicalSchema(s), null, 1);
}

/** Fails with a line diff of the two schemas when they differ (order-insensitively). */
function assertSameSchema(live: SchemaIR, expected: SchemaIR, what: string): void {
  // An extension's schema and version are compared only where declared (as the differ does): the live ones go where not.
  const declaredExt = new Map((expected.extensions ?? []).map((e) => [e.name, e]));
  const actual: SchemaIR = live.extensions === undefined ? live : {
    ...live,
    extensions: live.extensions.map((e) => ({ name: e.name, ...(declaredExt.get(e.name)?.schema !== undefined ? { schema: e.schema } : {}), ...(declaredExt.get(e.name)?.version !== undefined ? { version: e.version } : {}) })),
  };
  if (sameIR(canonicalSchema(actual), canonicalSchema(expected))) return;
  const diff = diffLines(pretty(expected), pretty(actual))
    .filter((p) => p.added || p.removed)
    .map((p) => p.value.split('\n').filter(Boolean).map((l) => `${p.added ? '+ actual  ' : '- expected'} ${l}`).join('\n'))
    .join('\n');
  assert.fail(`${what}:\n${diff}`);
}

// ---- rows -----------------------------------------------------------------

/** A value of row `r` (0 or 1) fitting a column of A; never NULL, distinct between the two rows. */
function valueFor(col: ColumnIR, r: number, sqlite: boolean, enumValues: (name: string) => readonly string[], fkColumns: ReadonlySet<string>): unknown {
  const t = col.type;
  if (fkColumns.has(col.name)) return r + 1;
  switch (t.kind) {
    case 'smallint': case 'integer': case 'bigint': case 'numeric': return r + 1;
    case 'real': case 'double': return r + 0.5;
    case 'boolean': return r === 0;
    case 'text': case 'varchar': case 'char': return `v${r}`;
    case 'date': return `2024-01-0${r + 1}`;
    case 'time': return t.withTimezone ? `10:00:0${r}+00` : `10:00:0${r}`;
    case 'timestamp': return t.withTimezone ? `2024-01-02 03:04:0${r}+00` : `2024-01-02 03:04:0${r}`;
    case 'uuid': return `00000000-0000-0000-0000-00000000000${r}`;
    case 'json': case 'jsonb': return `{"k": ${r}}`;
    case 'bytea': return Buffer.from([r, 255]);
    case 'array': {
      const v = t.element.kind === 'integer' ? [r, 10] : t.element.kind === 'enum' ? [['a', 'b'][r], 'a'] : [`s${r}`, "it's"];
      return sqlite ? JSON.stringify(v) : v;
    }
    // On SQLite the normalised column is TEXT: its CHECK holds the enum's values, 'a' and 'b' among them.
    case 'enum': return enumValues(t.name)[0] === undefined ? null : ['a', 'b'][r];
    case 'custom': case 'domain': return null;
  }
}

/** Table order in which every referenced table comes first (A has no foreign-key cycles). */
function insertOrder(s: SchemaIR): TableIR[] {
  const done = new Set<string>();
  const out: TableIR[] = [];
  const visit = (t: TableIR) => {
    if (done.has(t.name)) return;
    done.add(t.name);
    for (const fk of t.foreignKeys) {
      const target = s.tables.find((x) => x.name === fk.refTable);
      if (target) visit(target);
    }
    out.push(t);
  };
  s.tables.forEach(visit);
  return out;
}

async function insertRows(dialect: Dialect, conn: Connection, declared: SchemaIR, sqlite: boolean): Promise<void> {
  const q = dialect.quoteIdentifier;
  const enumValues = (name: string) => declared.enums.find((e) => e.name === name)?.values ?? [];
  // A column of a domain takes a value of the domain's type.
  const typed = (c: ColumnIR): ColumnIR => (c.type.kind === 'domain' ? { ...c, type: declared.domains?.find((d) => d.name === (c.type as { name: string }).name)?.type ?? c.type } : c);
  // A partition's rows are its parent's: they go into the parent, which routes them.
  for (const t of insertOrder(declared).filter((x) => !x.partitionOf)) {
    const fkColumns = new Set(t.foreignKeys.flatMap((f) => f.columns));
    for (const r of [0, 1]) {
      const values = t.columns.map((c) => valueFor(typed(c), r, sqlite, enumValues, fkColumns));
      const marks = values.map((_, i) => (sqlite ? '?' : `$${i + 1}`));
      await conn.query(`INSERT INTO ${q(t.name)} (${t.columns.map((c) => q(c.name)).join(', ')}) VALUES (${marks.join(', ')})`, values);
    }
  }
}

/** Rows of every table, keyed by table, each row reduced to the columns `keep` names. */
async function readRows(dialect: Dialect, conn: Connection, tables: readonly TableIR[], keep: (table: string, column: string) => boolean): Promise<Record<string, unknown[]>> {
  const q = dialect.quoteIdentifier;
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    const cols = t.columns.filter((c) => keep(t.name, c.name)).map((c) => c.name);
    if (cols.length === 0) continue;
    const order = (t.primaryKey?.columns ?? ['id']).map(q).join(', ');
    out[t.name] = await conn.query(`SELECT ${cols.map(q).join(', ')} FROM ${q(t.name)} ORDER BY ${order}`);
  }
  return out;
}

// ---- the property -----------------------------------------------------------

/** `dumpIdentical`: after the downgrade the dump must equal A's, as well as the introspection (no column moved). */
async function roundTrip(target: Target, pair: Pair, dumpIdentical = false): Promise<void> {
  const { dialect } = target;
  const sqlite = dialect === sqliteDialect;
  const modelTarget = { ...MODEL_TARGET, spelling: dialect.sqlSpelling };
  const declaredA = toSchemaIR(pair.a, modelTarget);
  const declaredB = toSchemaIR(pair.b, modelTarget);
  const compare = (from: SchemaIR, to: SchemaIR) => compareSchemas(from, to, dialect.enumPlanner);
  const conn = await target.reset();
  // As autogenerate does: the declared schema in the server's spelling of its views and policies, against what is live.
  const declared = async (s: SchemaIR) => {
    const live = await introspect(dialect, conn);
    return { live, wanted: dialect.canonicalize ? await dialect.canonicalize(conn, dialect.normalize(s), live, {}) : dialect.normalize(s) };
  };

  await run(dialect, conn, compare(emptySchema, dialect.normalize(declaredA)));
  let now = await declared(declaredA);
  const A = now.wanted;
  assertSameSchema(now.live, A, 'the database created from A does not introspect as A');
  assert.deepEqual(compare(now.live, A), [], 'a diff right after creating A is not empty');
  await insertRows(dialect, conn, declaredA, sqlite);
  const dumpA = dumpIdentical ? target.dump() : '';

  // Columns on both sides; `sameType` also asks that the type did not change (their rows must survive the upgrade as they are).
  const normalB = dialect.normalize(declaredB);
  const inB = (table: string, column: string, sameType: boolean) => {
    const a = A.tables.find((t) => t.name === table)?.columns.find((c) => c.name === column);
    const b = normalB.tables.find((t) => t.name === table)?.columns.find((c) => c.name === column);
    return a !== undefined && b !== undefined && (!sameType || sameIR(a.type, b.type));
  };
  const rowsA = await readRows(dialect, conn, A.tables, () => true);

  now = await declared(declaredB);
  const ops = compare(now.live, now.wanted);
  await run(dialect, conn, ops);
  now = await declared(declaredB);
  const B = now.wanted;
  assertSameSchema(now.live, B, 'after the upgrade the database does not introspect as B');
  assert.deepEqual(compare(now.live, B), [], 'a second autogenerate after the upgrade is not empty');
  const unchanged = (table: string, column: string) => inB(table, column, true);
  assert.deepEqual(
    await readRows(dialect, conn, A.tables.filter((t) => B.tables.some((x) => x.name === t.name)), unchanged),
    Object.fromEntries(Object.entries(await pick(rowsA, A.tables, unchanged)).filter(([k]) => B.tables.some((x) => x.name === k))),
    'rows of columns on both sides with the same type changed in the upgrade',
  );

  await run(dialect, conn, inverseAll(ops));
  assertSameSchema(await introspect(dialect, conn), A, 'after the downgrade the database does not introspect as A');
  now = await declared(declaredA);
  assert.deepEqual(compare(now.live, now.wanted), [], 'a diff against A after the downgrade is not empty');
  if (dumpIdentical) assert.equal(target.dump(), dumpA, 'the dump after the downgrade differs from A\'s');
  const survivingTables = A.tables.filter((t) => B.tables.some((x) => x.name === t.name));
  assert.deepEqual(await readRows(dialect, conn, survivingTables, unchanged), await pick(rowsA, survivingTables, unchanged), 'rows of columns on both sides changed in the round trip');
  // A column whose type went there and back holds the same values, up to their spelling (numeric(12, 2) turns 1 into 1.00).
  const retyped = (table: string, column: string) => inB(table, column, false) && !unchanged(table, column);
  assert.deepEqual(loose(await readRows(dialect, conn, survivingTables, retyped)), loose(await pick(rowsA, survivingTables, retyped)), 'rows of columns whose type changed and changed back are lost');
}

/** Rows with numeric strings as numbers and trailing blanks (char padding) trimmed. */
function loose(rows: Record<string, unknown[]>): unknown {
  return JSON.parse(JSON.stringify(rows), (_k, v: unknown) => {
    if (typeof v !== 'string') return v;
    const t = v.trimEnd();
    return /^-?\d+(\.\d+)?$/.test(t) ? Number(t) : t;
  });
}

/** The same rows reduced to the columns `keep` names, for tables with any. */
async function pick(rows: Record<string, unknown[]>, tables: readonly TableIR[], keep: (table: string, column: string) => boolean): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of tables) {
    const cols = t.columns.filter((c) => keep(t.name, c.name)).map((c) => c.name);
    if (cols.length === 0) continue;
    out[t.name] = (rows[t.name] ?? []).map((r) => Object.fromEntries(cols.map((c) => [c, (r as Record<string, unknown>)[c]])));
  }
  return out;
}

async function check(target: Target, retype = false): Promise<void> {
  const started = performance.now();
  const property = retype
    ? fc.asyncProperty(retypeArb(target.options), (pair) => roundTrip(target, pair, true))
    : fc.asyncProperty(pairArb(target.options), (pair) => roundTrip(target, pair));
  const runs = retype ? RETYPE_RUNS : RUNS;
  const result = await fc.check(property, {
    numRuns: runs,
    seed: SEED,
    // Shrinking reruns the databases many times: off by default, on with RETORT_PROPERTY_SHRINK=1.
    endOnFailure: process.env.RETORT_PROPERTY_SHRINK !== '1',
    // RETORT_PROPERTY_PATH (with the seed) replays the one case a failure names.
    ...(process.env.RETORT_PROPERTY_PATH ? { path: process.env.RETORT_PROPERTY_PATH } : {}),
  });
  if (result.failed) {
    const [pair] = result.counterexample ?? [];
    const error = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
    assert.fail(
      `${target.dialect.displayName}: case ${result.numRuns} of seed ${result.seed} failed (replay: RETORT_PROPERTY_SEED=${result.seed}, path ${result.counterexamplePath})\n` +
        `${error}\n--- A:\n${pair ? describeSpec(pair.a) : '?'}\n--- B:\n${pair ? describeSpec(pair.b) : '?'}`,
    );
  }
  console.log(`# ${target.dialect.displayName}${retype ? ' (type changes under dependents)' : ''}: ${runs} cases in ${Math.round(performance.now() - started)} ms (seed ${SEED})`);
}

describe('autogenerate round trip on real databases', () => {
  let pgDb: PgDatabase;
  let pgConn: Connection;
  const dir = tempDir('retort-roundtrip-');
  let sqliteConn: Connection | null = null;
  let fileNo = 0;
  let pgTarget: Target;
  const sqliteFile = () => path.join(dir.dir, `case${fileNo}.db`);
  const sqliteTarget: Target = {
    dialect: sqliteDialect,
    options: { postgres: false },
    async reset() {
      await sqliteConn?.close();
      fileNo++;
      sqliteConn = await sqliteDialect.connect(parseDatabaseUrl(`sqlite:${sqliteFile()}`, dir.dir));
      return sqliteConn;
    },
    dump: () => sqliteDumpConstraintsSorted(sqliteFile()),
    close: async () => undefined,
  };

  before(async () => {
    pgDb = await createPgDatabase('retort_roundtrip');
    pgConn = await postgresDialect.connect(parseDatabaseUrl(pgDb.url, process.cwd()));
    pgTarget = {
      dialect: postgresDialect,
      options: { postgres: true, extensions: await availableExtensions(pgDb.url) },
      async reset() {
        await pgConn.query('DROP SCHEMA public CASCADE');
        await pgConn.query('CREATE SCHEMA public');
        return pgConn;
      },
      dump: () => pgSchemaDump(pgDb.url),
      close: async () => undefined,
    };
  });
  after(async () => {
    await pgConn?.close();
    await pgDb?.drop();
    await sqliteConn?.close();
    dir.cleanup();
  });

  test(`PostgreSQL: A -> B -> A with rows (${RUNS} cases)`, () => check(pgTarget));
  test(`SQLite: A -> B -> A with rows (${RUNS} cases)`, () => check(sqliteTarget));
  test(`PostgreSQL: a column's type changes under views, triggers and policies, and back; dump identical (${RETYPE_RUNS} cases)`, () => check(pgTarget, true));
  test(`SQLite: a column's type changes under views and triggers, and back; dump identical (${RETYPE_RUNS} cases)`, () => check(sqliteTarget, true));
});
