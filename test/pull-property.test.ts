// Property test of `retort pull` on both dialects: a database built from a random schema
// (test/helpers/random-schema.ts) is pulled into model files, `check` finds no difference between them,
// and an empty database built from the pulled models by autogenerate and upgrade dumps the same as the
// original (pg_dump --schema-only; SQLite's CREATE texts). RETORT_PROPERTY_RUNS sets the number of cases
// (as for autogenerate's property tests), RETORT_PROPERTY_SEED the seed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, rmSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import pg from 'pg';
import { compareSchemas } from '../src/diff/compare.js';
import { emptySchema } from '../src/ir/ir.js';
import { parseDatabaseUrl } from '../src/config/url.js';
import { postgresDialect } from '../src/dialects/postgres/postgres-dialect.js';
import { sqliteDialect } from '../src/dialects/sqlite/sqlite-dialect.js';
import type { Dialect } from '../src/dialects/dialect.js';
import { Chooser, describeSpec, randomSchema, toSchemaIR, type KindOptions, type SchemaSpec } from './helpers/random-schema.js';
import { availableExtensions } from './helpers/db.js';
import { createPgDatabase, tempDir, type PgDatabase } from './helpers/db.js';
import { migrateWith } from './helpers/dialect-migrate.js';
import { buildFromModels, differences, pgSchemaDump, projectFolder, pullInto, sqliteSchemaDump } from './helpers/pull-roundtrip.js';
import { MODEL_TARGET } from './helpers/models.js';

const RUNS = Number(process.env.RETORT_PROPERTY_RUNS ?? (process.env.CI === 'true' ? 100 : 10));
const SEED = Number(process.env.RETORT_PROPERTY_SEED ?? 20261206);

// Both dialects' schemas hold views and triggers; PostgreSQL's also materialized views, functions, row-level
// security, policies, sequences, identity keys, domains, extensions, partitioned tables, exclusion constraints and
// comments (test/helpers/random-schema*.ts).
const specArb = (o: KindOptions): fc.Arbitrary<SchemaSpec> => fc.array(fc.nat(), { minLength: 300, maxLength: 300 }).map((xs) => randomSchema(new Chooser(xs), o));

interface Side {
  url: string;
  reset(): Promise<void>;
  dump(): string;
}

/** Runs `sql` on the PostgreSQL database at `url` and returns its rows. */
async function pgRun<R>(url: string, sql: string): Promise<R[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows as R[];
  } finally {
    await c.end();
  }
}

/** Builds the spec's schema in the database at `url` with the dialect's own compiler (no Retort project involved). */
async function build(dialect: Dialect, url: string, spec: SchemaSpec): Promise<void> {
  const ops = compareSchemas(emptySchema, dialect.normalize(toSchemaIR(spec, { ...MODEL_TARGET, spelling: dialect.sqlSpelling })), dialect.enumPlanner);
  const conn = await dialect.connect(parseDatabaseUrl(url, process.cwd()));
  try {
    await migrateWith(dialect, conn, ops);
  } finally {
    await conn.close();
  }
}

for (const name of ['sqlite', 'postgresql'] as const) {
  describe(`pull round trip on random schemas (${name})`, () => {
    const dialect = name === 'sqlite' ? sqliteDialect : postgresDialect;
    const dbs: PgDatabase[] = [];
    const { dir: root, cleanup } = tempDir('retort-pull-prop-');
    let original: Side;
    let rebuilt: Side;

    before(async () => {
      const side = async (label: string): Promise<Side> => {
        if (name === 'sqlite') {
          const file = path.join(root, `${label}.db`);
          return {
            url: `sqlite:///${file}`, reset: async () => rmSync(file, { force: true }), dump: () => sqliteSchemaDump(file),
          };
        }
        const db = await createPgDatabase('retort_pull');
        dbs.push(db);
        return {
          url: db.url,
          reset: async () => void (await pgRun(db.url, 'DROP SCHEMA public CASCADE; CREATE SCHEMA public')),
          dump: () => pgSchemaDump(db.url),
        };
      };
      original = await side('original');
      rebuilt = await side('rebuilt');
    });
    after(async () => {
      for (const db of dbs) await db.drop();
      cleanup();
    });

    test(`${RUNS} random schemas: pull, check clean, rebuilt from the models dumps the same`, async () => {
      const options: KindOptions = name === 'postgresql' ? { postgres: true, extensions: await availableExtensions(original.url) } : { postgres: false };
      let n = 0;
      const result = await fc.check(
        fc.asyncProperty(specArb(options), async (spec) => {
          n++;
          await original.reset();
          await rebuilt.reset();
          const a = path.join(root, `a${n}`);
          const b = path.join(root, `b${n}`);
          projectFolder(a, original.url);
          projectFolder(b, rebuilt.url);
          try {
            await build(dialect, original.url, spec).catch((e: Error) => assert.fail(`building the schema: ${e.message}`));
            const report = await pullInto(a, { split: n % 2 === 0 ? 'table' : 'single' });
            // Every table and every view declared (pull writes views), nothing excluded.
            assert.deepEqual(report.excludedTables, [], 'every table and view declared');
            assert.equal(report.views, (spec.views ?? []).length, 'every view declared');
            assert.deepEqual(await differences(a), [], `check after pull, schema:\n${describeSpec(spec)}`);
            // The same model files, in a project whose database is empty.
            rmSync(path.join(b, 'models'), { recursive: true, force: true });
            cpSync(path.join(a, 'models'), path.join(b, 'models'), { recursive: true });
            await buildFromModels(b);
            assert.equal(rebuilt.dump(), original.dump(), `dump after rebuilding from the pulled models, schema:\n${describeSpec(spec)}`);
          } finally {
            rmSync(a, { recursive: true, force: true });
            rmSync(b, { recursive: true, force: true });
          }
        }),
        { numRuns: RUNS, seed: SEED, endOnFailure: true },
      );
      // The failing schema and the error in full (fast-check's own report leaves the error out).
      if (result.failed) {
        const [spec] = result.counterexample ?? [];
        const error = result.errorInstance instanceof Error ? result.errorInstance.message : String(result.errorInstance);
        assert.fail(`case ${result.numRuns} of seed ${result.seed} failed (replay: RETORT_PROPERTY_SEED=${result.seed}, path ${result.counterexamplePath})\n${error}\n--- schema:\n${spec ? describeSpec(spec) : '?'}`);
      }
    });
  });
}
