/**
 * The remembered "no difference" (src/runtime/no-difference-memo.ts), from the CLI. On SQLite a second no-op
 * autogenerate or check of the same database and models does not read the live schema: shown by planting a wrong
 * table cache entry under the right key, which a read would believe and which the remembered verdict never reaches.
 * Every input of the verdict is then changed in turn (the database, the models, the config's `exclude`, another
 * database) and each is compared afresh; a difference is never remembered; an `include` function turns it off.
 * PostgreSQL has no cheap key for its catalog and never remembers.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { checkFinds, createProject, retortOk as ok, writeModels, type TestProject } from './helpers/project.js';

const MODELS = `import { integer, table, text } from 'retort-migrate';
export const users = table('users', { id: integer().primaryKey(), name: text() });
export const posts = table('posts', { id: integer().primaryKey(), title: text().notNull() });
`;

const cacheDir = (p: TestProject) => path.join(p.dir, 'node_modules', '.cache', 'retort');
const memoFile = (p: TestProject) => path.join(cacheDir(p), 'no-difference.txt');
const remembered = (p: TestProject): string[] => (existsSync(memoFile(p)) ? readFileSync(memoFile(p), 'utf8').split('\n').filter(Boolean) : []);

/**
 * Rewrites every SQLite table cache entry (each under its own key) to say its database has no tables at all: a live
 * read from now on believes it, and autogenerate would then create every table.
 */
function plantEmptyTableCache(p: TestProject): void {
  const files = readdirSync(cacheDir(p)).filter((f) => f.startsWith('sqlite-schema-') && f.endsWith('.json'));
  assert.ok(files.length > 0, 'the live read left a table cache entry');
  for (const file of files) {
    // The entry's first line holds its key and how many table lines follow; the last, the tables' dependencies.
    const head = JSON.parse(readFileSync(path.join(cacheDir(p), file), 'utf8').split('\n')[0]!) as { key: string };
    writeFileSync(path.join(cacheDir(p), file), `${JSON.stringify({ ...head, count: 0 })}\n[]`);
  }
}

async function autogenerate(p: TestProject): Promise<string> {
  return ok(p, 'revision', '--autogenerate', '-m', 'next');
}

test('sqlite: an unchanged database and unchanged models are not compared again; any change is', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    writeModels(p, MODELS);
    await ok(p, 'revision', '--autogenerate', '-m', 'init');
    await ok(p, 'upgrade', 'head');
    assert.deepEqual(remembered(p), []);
    assert.match(await autogenerate(p), /No changes detected/);
    assert.equal(remembered(p).length, 1);

    // Remembered: the live schema is not read (the planted entry would make autogenerate create both tables).
    plantEmptyTableCache(p);
    assert.match(await autogenerate(p), /No changes detected/);
    assert.match(await ok(p, 'check'), /No changes detected/);
    assert.equal(readdirSync(path.join(p.dir, 'migrations')).length, 1);

    // The models change: compared again, and the difference found (from the planted entry, which the live read now believes).
    writeModels(p, MODELS.replace("name: text() }", "name: text(), email: text() }"));
    await checkFinds(p, /\+ table users/);
    assert.equal(remembered(p).length, 1, 'a difference is never remembered');
  } finally {
    await p.cleanup();
  }
});

test('sqlite: a changed database, exclude or database file is compared again; include turns the memo off', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    writeModels(p, MODELS);
    await ok(p, 'revision', '--autogenerate', '-m', 'init');
    await ok(p, 'upgrade', 'head');
    assert.match(await autogenerate(p), /No changes detected/);

    // The database changes behind Retort's back: the live key changes, so the column is found.
    const db = new Database(path.join(p.dir, 'test.db'));
    db.exec('ALTER TABLE posts ADD COLUMN body TEXT');
    db.close();
    await checkFinds(p, /- column posts\.body/);
    const back = new Database(path.join(p.dir, 'test.db'));
    back.exec('ALTER TABLE posts DROP COLUMN body');
    back.close();
    assert.match(await ok(p, 'check'), /No changes detected/);

    // The config's exclude is part of the key: excluding a declared table is compared afresh (and still matches).
    const before = remembered(p);
    writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'], exclude: ['posts'] });\n`);
    assert.match(await ok(p, 'check'), /No changes detected/);
    assert.equal(remembered(p).length, before.length + 1);
    assert.ok(before.every((k) => remembered(p).includes(k)));

    // Another database file at the same schema has the same live key: its verdict is the one remembered.
    const copy = path.join(p.dir, 'copy.db');
    const source = new Database(path.join(p.dir, 'test.db'));
    await source.backup(copy);
    source.close();
    const other = await p.retort('--url', `sqlite:///${copy}`, 'check');
    assert.equal(other.code, 0, other.stdout + other.stderr);
    // A table another tool created makes that database differ, though the first is unchanged.
    const extra = new Database(copy);
    extra.exec('CREATE TABLE audit (id INTEGER PRIMARY KEY)');
    extra.close();
    await checkFinds(p, /- table audit/, '--url', `sqlite:///${copy}`);

    // An include function: nothing is remembered or used (its text does not say what it decides).
    writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'], include: () => true });\n`);
    const kept = readFileSync(memoFile(p), 'utf8');
    plantEmptyTableCache(p);
    await checkFinds(p, /\+ table posts/);
    assert.equal(readFileSync(memoFile(p), 'utf8'), kept);
  } finally {
    await p.cleanup();
  }
});

test('postgresql: no live key, so nothing is remembered and every check reads the catalog', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    writeModels(p, MODELS);
    await ok(p, 'revision', '--autogenerate', '-m', 'init');
    await ok(p, 'upgrade', 'head');
    assert.match(await ok(p, 'check'), /No changes detected/);
    assert.equal(existsSync(memoFile(p)), false);
    await p.query('ALTER TABLE posts ADD COLUMN body text');
    await checkFinds(p, /- column posts\.body/);
  } finally {
    await p.cleanup();
  }
});
