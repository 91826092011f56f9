// `retort pull` leaves out a view that reads a table or view it leaves out (in the config's exclude, given with
// --exclude, or a table the DSL cannot declare), and a view over such a view, transitively: each is added to the
// config's exclude under a comment saying why, check stays clean, and the baseline builds a fresh database (a view
// declared over a table the models do not create would fail there). On both dialects. Also the shape of pull's
// --json report, every field of it (docs/reference/cli.md).
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createProject, DIALECTS, type TestProject } from './helpers/project.js';
import { createPgDatabase, pgQuery, type PgDatabase } from './helpers/db.js';
import { repoRoot, runCli } from './helpers/cli.js';
import Database from 'better-sqlite3';

const projects: TestProject[] = [];
const databases: PgDatabase[] = [];
after(async () => {
  for (const p of projects) await p.cleanup();
  for (const d of databases) await d.drop();
});

function ok(r: { code: number | null; stdout: string; stderr: string }, what: string): void {
  assert.equal(r.code, 0, `${what}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
}

const SCHEMA = [
  'CREATE TABLE audit_log (id integer PRIMARY KEY, what text)',
  'CREATE TABLE users (id integer PRIMARY KEY, name text)',
  // The DSL cannot declare this table exactly: pull leaves it out on its own.
  'CREATE TABLE odd ("__proto__" integer PRIMARY KEY)',
  'CREATE VIEW recent_audit AS SELECT id, what FROM audit_log WHERE id > 10',
  'CREATE VIEW recent_audit_names AS SELECT what FROM recent_audit',
  'CREATE VIEW hidden AS SELECT id FROM users',
  'CREATE VIEW over_hidden AS SELECT id FROM hidden',
  'CREATE VIEW odd_users AS SELECT u.name FROM users u JOIN odd o ON o."__proto__" = u.id',
  'CREATE VIEW user_names AS SELECT name FROM users',
];

const CONFIG = `import { defineConfig } from 'retort-migrate';
export default defineConfig({
  migrations: 'migrations',
  models: ['models/*.ts'],
  exclude: ['audit_log', 'hidden'],
});
`;

/** The names of the database's views. */
async function views(dialect: string, url: string): Promise<string[]> {
  if (dialect === 'postgresql') return (await pgQuery<{ n: string }>(url, `SELECT viewname AS n FROM pg_views WHERE schemaname = 'public' ORDER BY 1`)).map((r) => r.n);
  const db = new Database(url.replace(/^sqlite:\/\/\//, ''));
  try {
    return (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name`).all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

describe('retort pull: views over what it leaves out', () => {
  for (const dialect of DIALECTS) {
    test(`${dialect}: left out with the tables and views they read, transitively; exclude says why; check clean; the baseline builds a fresh database`, async () => {
      const p = await createProject(dialect, { empty: true });
      projects.push(p);
      writeFileSync(path.join(p.dir, 'retort.config.ts'), CONFIG);
      for (const s of SCHEMA) await p.query(s);

      const r = await p.retort('pull', '--baseline', '-m', 'baseline');
      ok(r, 'pull --baseline');
      for (const v of ['recent_audit', 'recent_audit_names', 'over_hidden', 'odd_users']) assert.match(r.stderr, new RegExp(`not declared: view ${v}, which reads`), v);
      const models = readFileSync(path.join(p.dir, 'models', 'schema.ts'), 'utf8');
      assert.match(models, /export const userNames = view\('user_names'/);
      assert.match(models, /export const users = table\('users'/);
      for (const gone of ["view('recent_audit'", "view('recent_audit_names'", "view('hidden'", "view('over_hidden'", "view('odd_users'", "table('odd'", "table('audit_log'"]) assert.ok(!models.includes(gone), gone);
      assert.match(models, /view over a table or view left out .*: recent_audit_names \(reads recent_audit\)/);

      // Each added under a comment saying why; the names the config had are kept, once.
      const config = readFileSync(path.join(p.dir, 'retort.config.ts'), 'utf8');
      const list = /exclude: \[([^\]]*)\]/.exec(config)![1]!;
      assert.deepEqual([...list.matchAll(/'([^']+)'/g)].map((m) => m[1]), ['audit_log', 'hidden', 'odd', 'odd_users', 'over_hidden', 'recent_audit', 'recent_audit_names']);
      assert.match(list, /\/\/ a table the models cannot declare exactly\n\s+'odd',/);
      assert.match(list, /\/\/ a view over audit_log, which the models leave out\n\s+'recent_audit',/);
      assert.match(list, /\/\/ a view over recent_audit, which the models leave out\n\s+'recent_audit_names',/);
      assert.match(list, /\/\/ a view over hidden, which the models leave out\n\s+'over_hidden',/);

      const check = await p.retort('check');
      ok(check, 'check');
      assert.match(check.stdout, /No changes detected/);

      // The baseline on a fresh database: only what the models declare, and the view over users with it.
      let fresh: string;
      if (dialect === 'postgresql') {
        const db = await createPgDatabase();
        databases.push(db);
        fresh = db.url;
      } else fresh = `sqlite:///${path.join(p.dir, 'fresh.db')}`;
      ok(await runCli(['--url', fresh, 'upgrade', 'head'], { cwd: p.dir }), 'upgrade head on a fresh database');
      assert.deepEqual(await views(dialect, fresh), ['user_names']);
    });
  }

  test('--exclude leaves out tables and the views over them, adds them to the config\'s exclude; --json carries every field of the report', async () => {
    const p = await createProject('sqlite', { empty: true });
    projects.push(p);
    for (const s of [...SCHEMA.filter((s) => !/odd/.test(s)), 'CREATE TABLE kept (id integer PRIMARY KEY)', 'CREATE TRIGGER kept_touch AFTER UPDATE ON kept BEGIN SELECT 1; END']) await p.query(s);
    const r = await p.retort('pull', '--exclude', 'audit_*', 'users', '--json');
    ok(r, 'pull --exclude --json');
    const doc = JSON.parse(r.stdout) as Record<string, unknown>;
    // Every field, and no other: docs/reference/cli.md lists them.
    assert.deepEqual(Object.keys(doc).sort(), [
      'alembic', 'alsoDeclared', 'baseline', 'command', 'dryRun', 'enums', 'excludeOption', 'excludeWritten', 'excludedTables', 'excludedViews',
      'files', 'formatter', 'notDeclared', 'otherModelFiles', 'outDir', 'schemaVersion', 'tables', 'unreadFiles', 'views', 'warnings',
    ]);
    assert.equal(doc.command, 'pull');
    assert.equal(doc.tables, 1);
    assert.equal(doc.views, 0);
    assert.deepEqual(doc.excludeOption, ['audit_*', 'users']);
    assert.deepEqual(doc.excludedTables, []);
    assert.deepEqual(doc.excludedViews, [
      { name: 'hidden', reads: ['users'] },
      { name: 'over_hidden', reads: ['hidden'] },
      { name: 'recent_audit', reads: ['audit_log'] },
      { name: 'recent_audit_names', reads: ['recent_audit'] },
      { name: 'user_names', reads: ['users'] },
    ]);
    assert.equal(doc.excludeWritten, true);
    assert.deepEqual(doc.alsoDeclared, [{ kind: 'trigger', count: 1 }]);
    assert.deepEqual(doc.notDeclared, []);
    assert.equal(doc.baseline, null);
    assert.equal(doc.alembic, null);
    assert.equal(doc.dryRun, false);
    const files = doc.files as { file: string; replaced: boolean; content: string }[];
    assert.deepEqual(files.map((f) => [path.basename(f.file), f.replaced]), [['schema.ts', false]]);
    assert.match(files[0]!.content, /^\/\/ Written by `retort pull`/);
    // The reference documents every field of the report, and no other.
    const reference = readFileSync(path.join(repoRoot, 'docs', 'reference', 'cli.md'), 'utf8');
    const section = reference.slice(reference.indexOf('### Pull report'));
    const table = section.slice(section.indexOf('| field | meaning |'), section.indexOf('\n\n', section.indexOf('| field | meaning |')));
    const documented = table.split('\n').slice(2).flatMap((row) => [...row.split('|')[1]!.matchAll(/`(\w+)`/g)].map((m) => m[1]!));
    assert.deepEqual(documented.sort(), Object.keys(doc).filter((k) => k !== 'schemaVersion' && k !== 'command').sort());
    const config = readFileSync(path.join(p.dir, 'retort.config.ts'), 'utf8');
    assert.match(config, /\/\/ left out with --exclude\n\s+'audit_\*',\n\s+'users',/);
    ok(await p.retort('check'), 'check');
  });
});
