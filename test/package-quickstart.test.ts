/**
 * The package as a user gets it: packed (with the manifest trimmed as `npm pack` trims it), installed into an
 * empty folder, and the README's Quick start run literally, its commands read from the README so that this
 * test breaks when the README drifts. On SQLite (the default `init` writes) and on PostgreSQL (DATABASE_URL).
 *
 * Installing runs no install scripts and takes the packages from npm's cache when it has them; the one
 * native module, better-sqlite3, gets the build this checkout already compiled (the same locked version),
 * since compiling it again would add minutes and test node-gyp rather than Retort.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { repoRoot } from './helpers/cli.js';
import { createPgDatabase, pgQuery } from './helpers/db.js';

/** The Quick start's commands: the `npx retort ...` lines of the first sh block under `## Quick start`. */
export function quickStartCommands(readme: string): string[][] {
  const section = readme.split(/^## Quick start$/m)[1]?.split(/^## /m)[0] ?? '';
  const block = /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  assert.ok(block, 'README has a Quick start with an sh block');
  return block
    .split('\n')
    .map((line) => line.replace(/\s+#.*$/, '').trim())
    .filter((line) => line.startsWith('npx retort '))
    .map(shellWords);
}

/** Splits a command line as sh does for plain words and double or single quotes (all the Quick start uses). */
function shellWords(line: string): string[] {
  const words: string[] = [];
  for (const m of line.matchAll(/"([^"]*)"|'([^']*)'|(\S+)/g)) words.push(m[1] ?? m[2] ?? m[3]!);
  return words;
}

function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DATABASE_URL: undefined, RETORT_DATABASE_URL: undefined, ...env } });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

let work: string;
let tarball: string;

before(() => {
  work = mkdtempSync(path.join(os.tmpdir(), 'retort-pack-'));
  // A copy of what `files` may take, so packing never touches this checkout's package.json or dist/.
  const stage = path.join(work, 'stage');
  for (const entry of ['bin', 'dist/src', 'dist/quick.cjs', 'docs', 'scripts', 'package.json', 'README.md']) {
    if (existsSync(path.join(repoRoot, entry))) cpSync(path.join(repoRoot, entry), path.join(stage, entry), { recursive: true });
  }
  const trim = run(process.execPath, ['scripts/pack-manifest.mjs', 'trim'], stage);
  assert.equal(trim.code, 0, trim.stderr);
  const pack = run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], stage);
  assert.equal(pack.code, 0, pack.stderr);
  tarball = path.join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
});

after(() => rmSync(work, { recursive: true, force: true }));

/** An empty project with the packed package installed, as `npm install --save-dev retort-migrate` leaves it. */
function installInto(name: string): string {
  const app = path.join(work, name);
  mkdirSync(app);
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
  const install = run('npm', ['install', '--save-dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', tarball], app);
  assert.equal(install.code, 0, install.stderr);
  cpSync(path.join(repoRoot, 'node_modules', 'better-sqlite3', 'build'), path.join(app, 'node_modules', 'better-sqlite3', 'build'), { recursive: true });
  return app;
}

/** Runs the Quick start in `app`; `npm install` is the install above, each `npx retort` runs the installed bin. */
function quickStart(app: string, env: NodeJS.ProcessEnv): void {
  const commands = quickStartCommands(readFileSync(path.join(repoRoot, 'README.md'), 'utf8'));
  assert.ok(commands.length >= 4, 'the Quick start runs several retort commands');
  for (const words of commands) {
    const r = run(path.join(app, 'node_modules', '.bin', 'retort'), words.slice(2), app, env);
    assert.equal(r.code, 0, `${words.join(' ')}\n${r.stderr}`);
    assert.doesNotMatch(r.stderr, /^\s+at /m, `${words.join(' ')} printed a stack`);
  }
}

describe('the packed package and the README Quick start', () => {
  test('the packed manifest has no development scripts, dev dependencies or install approvals, and both bin names', () => {
    const list = run('tar', ['-xzf', tarball, '-O', 'package/package.json'], work);
    const pkg = JSON.parse(list.stdout) as Record<string, unknown>;
    assert.equal(pkg.scripts, undefined);
    assert.equal(pkg.devDependencies, undefined);
    assert.equal(pkg.allowScripts, undefined);
    assert.deepEqual(pkg.bin, { retort: 'bin/retort.cjs', 'retort-migrate': 'bin/retort.cjs' });
    const files = run('tar', ['-tzf', tarball], work).stdout.split('\n');
    assert.ok(files.includes('package/dist/src/cli/main.js'), 'the compiled CLI is in the package');
    assert.ok(!files.some((f) => f.startsWith('package/dist/test/') || f.startsWith('package/src/')), 'no tests or sources');
  });

  test('on SQLite: the Quick start, literally, creates the users table and takes it back down', () => {
    const app = installInto('sqlite-app');
    quickStart(app, {});
    const db = new Database(path.join(app, 'app.db'), { readonly: true });
    try {
      const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'users'").all();
      assert.deepEqual(tables, [], 'downgrade -1, the last step, removed the table');
    } finally {
      db.close();
    }
    const versions = readdirSync(path.join(app, 'migrations')).filter((f) => f.endsWith('.ts'));
    assert.equal(versions.length, 1, 'one autogenerated revision');
    assert.match(readFileSync(path.join(app, 'migrations', versions[0]!), 'utf8'), /op\.createTable\('users'/);
    const again = run(path.join(app, 'node_modules', '.bin', 'retort-migrate'), ['upgrade', 'head'], app);
    assert.equal(again.code, 0, again.stderr);
    assert.match(run(path.join(app, 'node_modules', '.bin', 'retort'), ['check'], app).stdout, /matches the models|No changes/i);
  });

  test('on PostgreSQL: the same Quick start with DATABASE_URL set', async () => {
    const pg = await createPgDatabase();
    try {
      const app = installInto('pg-app');
      quickStart(app, { DATABASE_URL: pg.url });
      assert.deepEqual(await pgQuery(pg.url, "SELECT tablename FROM pg_tables WHERE tablename = 'users'"), []);
      const up = run(path.join(app, 'node_modules', '.bin', 'retort'), ['upgrade', 'head'], app, { DATABASE_URL: pg.url });
      assert.equal(up.code, 0, up.stderr);
      assert.deepEqual(await pgQuery(pg.url, "SELECT tablename FROM pg_tables WHERE tablename = 'users'"), [{ tablename: 'users' }]);
    } finally {
      await pg.drop();
    }
  });
});
