/**
 * Real databases for tests: a throwaway PostgreSQL database per test file
 * (dropped afterwards) and SQLite files in a temporary folder. test/run.mjs
 * makes sure a PostgreSQL server is reachable and passes its admin URL in
 * RETORT_TEST_PG_ADMIN_URL; a test never skips PostgreSQL silently.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export function pgAdminUrl(): string {
  const url = process.env.RETORT_TEST_PG_ADMIN_URL;
  if (!url) throw new Error('RETORT_TEST_PG_ADMIN_URL is not set: run the tests with `npm test`, which starts or finds a PostgreSQL server');
  return url;
}

export interface PgDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** Creates an empty PostgreSQL database with a unique name. */
export async function createPgDatabase(prefix = 'retort_test'): Promise<PgDatabase> {
  const admin = pgAdminUrl();
  const name = `${prefix}_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE "${name}"`);
  } finally {
    await client.end();
  }
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}

/** Runs one query on a PostgreSQL URL and returns the rows. */
export async function pgQuery<R = Record<string, unknown>>(url: string, sql: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql, params)).rows as R[];
  } finally {
    await client.end();
  }
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'retort-test-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Which of `wanted` (extensions the random schemas may declare) the PostgreSQL server at `url` can create, read once
 * from pg_available_extensions; each missing one is said in the test output (its kind is left out, not the test).
 */
export async function availableExtensions(url: string, wanted: readonly string[] = ['pgcrypto', 'citext', 'btree_gist']): Promise<string[]> {
  const rows = await pgQuery<{ name: string }>(url, 'SELECT name FROM pg_available_extensions WHERE name = ANY($1)', [wanted]);
  const have = new Set(rows.map((r) => r.name));
  for (const name of wanted) if (!have.has(name)) console.log(`# extension ${name} is not available on this server: random schemas declare no ${name} (nor what needs it)`);
  return wanted.filter((name) => have.has(name));
}
