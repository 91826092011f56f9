/**
 * A PostgreSQL session is closed without waiting for the server's side of the socket (postgres-driver.ts close()):
 * the command ends its session properly (Terminate, so the server ends it at once, not when it notices a dropped
 * socket), leaves nothing behind, and the next command finds the lock free.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPgDatabase, pgQuery } from './helpers/db.js';
import { connectPostgres } from '../src/dialects/postgres/postgres-driver.js';
import { parseDatabaseUrl } from '../src/config/url.js';
import { createProject, retortOk as ok, writeModels } from './helpers/project.js';

/** Retort's sessions on the database `name` (application_name 'retort'), other than the asking one. */
async function retortSessions(admin: string, name: string): Promise<number> {
  const rows = await pgQuery<{ n: string | number }>(admin, `SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND application_name = 'retort' AND pid <> pg_backend_pid()`, [name]);
  return Number(rows[0]!.n);
}

/** Waits until Retort has no session left on the database (a liveness bound, not a timing). */
async function noSessionsLeft(admin: string, name: string): Promise<void> {
  for (let waited = 0; (await retortSessions(admin, name)) > 0; waited += 20) {
    assert.ok(waited < 10_000, 'Retort\'s session ended');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('postgresql: each command ends its session, and commands run back to back find the lock free', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    const name = new URL(p.url).pathname.slice(1);
    writeModels(p, `import { integer, table, text } from 'retort-migrate';\nexport const notes = table('notes', { id: integer().primaryKey(), body: text() });\n`);
    await ok(p, 'revision', '--autogenerate', '-m', 'init');
    // Back to back: each finds the previous one's advisory lock released, though its session may still be ending.
    for (let i = 0; i < 5; i++) {
      await ok(p, 'upgrade', 'head');
      assert.match(await ok(p, 'check'), /No changes detected/);
      await ok(p, 'downgrade', 'base');
    }
    await noSessionsLeft(p.url, name);
  } finally {
    await p.cleanup();
  }
});

test('postgresql: close() resolves once the session end is sent, and the server then ends the session', async () => {
  const db = await createPgDatabase();
  try {
    const conn = await connectPostgres(parseDatabaseUrl(db.url, process.cwd()));
    assert.equal(await retortSessions(db.url, db.name), 1);
    await conn.query('SELECT 1');
    await conn.close();
    await noSessionsLeft(db.url, db.name);
    // A closed connection refuses further statements instead of hanging.
    await assert.rejects(conn.query('SELECT 1'));
  } finally {
    await db.drop();
  }
});
