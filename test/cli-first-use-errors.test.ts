/**
 * First-use traps found by a probe, each through the CLI: a command that only reads or fails leaves no empty SQLite
 * file at a mistyped path, and adopting a database (`init --from-db`, `pull`) refuses a SQLite file that does not
 * exist instead of adopting an empty one it creates; a PostgreSQL URL with no database is refused instead of
 * migrating the server's `postgres` database; a config with only named exports says it has no default export, and a
 * config that fails to load says so once, in a folder with a space in its name; autogenerate with two heads points at
 * `upgrade heads` or `merge`; `downgrade -0` hints at -1; a missing folder's mkdir hint is quoted for the shell.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from './helpers/cli.js';
import { createProject, retortOk as ok, revisionSource, writeModels } from './helpers/project.js';
import { tempDir } from './helpers/db.js';

test('read-only and failing commands leave no SQLite file at a path that does not exist; adopting one refuses it', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    p.writeRevision('fe0000000001_init.ts', revisionSource('fe0000000001', null, 'init', "  op.createTable('t', { id: integer().primaryKey() });", "  op.dropTable('t');"));
    writeModels(p, `import { integer, table } from 'retort-migrate';\nexport const t = table('t', { id: integer().primaryKey() });\n`);
    const typo = path.join(p.dir, 'typo.db');
    const url = `sqlite:///${typo}`;
    const run = (...args: string[]) => runCli(['--url', url, ...args], { cwd: p.dir });
    const check = await run('check');
    assert.equal(check.code, 1, check.stderr);
    assert.match(check.stdout + check.stderr, /not up to date: the database is at base/);
    const down = await run('downgrade', 'base');
    assert.equal(down.code, 0, down.stderr);
    const gen = await run('revision', '--autogenerate', '-m', 'x');
    assert.equal(gen.code, 1, gen.stderr);
    assert.equal(existsSync(typo), false, 'no empty database file left behind');
    const elsewhere = tempDir();
    for (const args of [['pull'], ['init', '--from-db', url, 'adopted']]) {
      const r = await runCli(args[0] === 'pull' ? ['--url', url, ...args] : args, { cwd: args[0] === 'pull' ? p.dir : elsewhere.dir });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`cannot open SQLite database "${url.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}": the file ${typo.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} does not exist`));
      assert.match(r.stderr, /hint: fix the path in the database URL/);
      assert.equal(existsSync(typo), false, `${args[0]}: nothing created`);
    }
    assert.deepEqual(readdirSync(elsewhere.dir), [], 'init --from-db wrote no project');
    elsewhere.cleanup();
    // The upgrade creates it, as it should.
    await ok(p, '--url', url, 'upgrade', 'head');
    assert.equal(existsSync(typo), true);
  } finally {
    await p.cleanup();
  }
});

test('a PostgreSQL URL that names no database is refused, naming the fix', async () => {
  const { dir, cleanup } = tempDir();
  try {
    for (const url of ['postgresql://postgres@127.0.0.1', 'postgres://postgres@127.0.0.1:5432/']) {
      const r = await runCli(['--url', url, 'current'], { cwd: dir, env: { PGDATABASE: undefined } });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /error: database URL "postgres(ql)?:\/\/postgres@127\.0\.0\.1(:5432)?\/?" names no database\nhint: add it after the host: postgres(ql)?:\/\/postgres@127\.0\.0\.1(:5432)?\/mydb/);
    }
  } finally {
    cleanup();
  }
});

test('config mistakes: named exports only, a syntax error in a folder with a space; hints for -0 and for a missing folder', async () => {
  const { dir: base, cleanup } = tempDir();
  try {
    const dir = path.join(base, 'my proj');
    mkdirSync(path.join(dir, 'migrations'), { recursive: true });
    writeFileSync(path.join(dir, 'retort.config.ts'), `export const cfg = { url: 'sqlite:///app.db', migrations: 'migrations' };\n`);
    let r = await runCli(['current'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /retort\.config\.ts has no default export \(it exports cfg\)\nhint: write export default defineConfig\(\{ \.\.\. \}\)/);
    writeFileSync(path.join(dir, 'retort.config.ts'), `export default { url: 'sqlite:///app.db', migrations: 'migrations',, };\n`);
    r = await runCli(['current'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.equal(r.stderr.match(/cannot be loaded/g)?.length, 1, r.stderr);
    writeFileSync(path.join(dir, 'retort.config.ts'), `export default { url: 'sqlite:///app.db', migrations: 'migrations' };\n`);
    r = await runCli(['downgrade', '-0'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /moves zero steps\nhint: use -1 or less/);
    r = await runCli(['--url', `sqlite:///${path.join(dir, 'no such dir', 'app.db')}`, 'upgrade', 'head'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /hint: create it \(mkdir -p '[^']*\/my proj\/no such dir'\)/);
  } finally {
    cleanup();
  }
});

test('autogenerate on a database behind two heads points at upgrade heads or merge (sqlite)', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    p.writeRevision('fe0000000011_a.ts', revisionSource('fe0000000011', null, 'a', "  op.createTable('a', { id: integer().primaryKey() });"));
    await ok(p, 'upgrade', 'head');
    p.writeRevision('fe0000000012_b.ts', revisionSource('fe0000000012', 'fe0000000011', 'b', "  op.createTable('b', { id: integer().primaryKey() });"));
    p.writeRevision('fe0000000013_c.ts', revisionSource('fe0000000013', 'fe0000000011', 'c', "  op.createTable('c', { id: integer().primaryKey() });"));
    const r = await p.retort('revision', '--autogenerate', '-m', 'x');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /heads are fe0000000012, fe0000000013/);
    assert.match(r.stderr, /hint: run `retort upgrade heads` first, or join the branches with `retort merge -m "merge"`/);
    assert.deepEqual(readdirSync(path.join(p.dir, 'migrations')).length, 3);
  } finally {
    await p.cleanup();
  }
});

test('retort help with an unknown command says so, exit 2; help for a known one prints it', async () => {
  const { dir, cleanup } = tempDir();
  try {
    const r = await runCli(['help', 'nope'], { cwd: dir });
    assert.equal(r.code, 2);
    assert.equal(r.stderr, "error: unknown command 'nope'\nhint: run `retort --help` for the commands\n");
    assert.equal(r.stdout, '');
    const known = await runCli(['help', 'upgrade'], { cwd: dir });
    assert.equal(known.code, 0, known.stderr);
    assert.match(known.stdout, /^Usage: retort upgrade/);
  } finally {
    cleanup();
  }
});
