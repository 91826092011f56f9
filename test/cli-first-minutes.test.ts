/**
 * What a new user meets first (issue 23): the config is found from a subfolder
 * of the project, model globs take braces, hints name the config actually in
 * use, and `current` says when nothing is applied.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createProject, DIALECTS } from './helpers/project.js';
import { repoRoot, runCli } from './helpers/cli.js';
import { createPgDatabase, pgAdminUrl, pgQuery } from './helpers/db.js';
import { spawnSync } from 'node:child_process';
import { expandBraces } from '../src/config/glob.js';

test('expandBraces expands groups like a shell, nested and several, and leaves lone braces alone', () => {
  assert.deepEqual(expandBraces('m/*.{ts,mts}'), ['m/*.ts', 'm/*.mts']);
  assert.deepEqual(expandBraces('{a,b}/{x,y}.ts'), ['a/x.ts', 'a/y.ts', 'b/x.ts', 'b/y.ts']);
  assert.deepEqual(expandBraces('m/{a,{b,c}d}.ts'), ['m/a.ts', 'm/bd.ts', 'm/cd.ts']);
  assert.deepEqual(expandBraces('m/{a}.ts'), ['m/{a}.ts'], 'one alternative is literal, as in a shell');
  assert.deepEqual(expandBraces('m/{a,b.ts'), ['m/{a,b.ts']);
});

for (const dialect of DIALECTS) {
  describe(`the first minutes on ${dialect}`, () => {
    test('commands run from a subfolder use the project config above it, with paths relative to that config', async () => {
      const p = await createProject(dialect);
      try {
        const sub = path.join(p.dir, 'src', 'db');
        mkdirSync(sub, { recursive: true });
        const up = await runCli(['--url', p.url, 'upgrade', 'head'], { cwd: sub });
        assert.equal(up.code, 0, up.stderr);
        assert.match(up.stderr, /Running upgrade/);
        const cur = await runCli(['--url', p.url, 'current'], { cwd: path.join(p.dir, 'migrations') });
        assert.equal(cur.code, 0, cur.stderr);
        assert.match(cur.stdout, /^e7b3a0d5c904 \(head\)/);
        const history = await runCli(['history'], { cwd: sub });
        assert.equal(history.code, 0, history.stderr);
        assert.match(history.stdout, /e7b3a0d5c904/);
        assert.ok(!existsSync(path.join(sub, 'migrations')), 'nothing is created in the subfolder');
      } finally {
        await p.cleanup();
      }
    });

    test('current at base says no revision is applied; a brace glob reads .ts and .mts model files', async () => {
      const p = await createProject(dialect, { empty: true });
      try {
        const cur = await p.retort('current');
        assert.equal(cur.code, 0, cur.stderr);
        assert.equal(cur.stdout, 'base (no revision applied)\n');
        writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/**/*.{ts,mts}'] });\n`);
        mkdirSync(path.join(p.dir, 'models', 'more'), { recursive: true });
        writeFileSync(path.join(p.dir, 'models', 'users.ts'), `import { serial, table } from 'retort-migrate';\nexport const users = table('users', { id: serial().primaryKey() });\n`);
        writeFileSync(path.join(p.dir, 'models', 'more', 'tags.mts'), `import { serial, table } from 'retort-migrate';\nexport const tags = table('tags', { id: serial().primaryKey() });\n`);
        const gen = await p.retort('revision', '--autogenerate', '-m', 'both');
        assert.equal(gen.code, 0, gen.stderr);
        assert.match(gen.stderr, /^  \+ table tags$/m);
        assert.match(gen.stderr, /^  \+ table users$/m);
      } finally {
        await p.cleanup();
      }
    });
  });
}

test('with -c another config and no URL, the hint names that config file', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    writeFileSync(path.join(p.dir, 'other.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations' });\n`);
    const r = await runCli(['-c', 'other.config.ts', 'current'], { cwd: p.dir, env: { DATABASE_URL: undefined, RETORT_DATABASE_URL: undefined } });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^error: no database URL is configured/m);
    assert.match(r.stderr, /add `url` to .*other\.config\.ts/);
    assert.doesNotMatch(r.stderr, /retort init/);
  } finally {
    await p.cleanup();
  }
});

test('an option cut short is answered with the one option it begins; an unrelated one gets no guess', async () => {
  const p = await createProject('sqlite');
  try {
    const cut = await p.retort('history', '--indicate');
    assert.equal(cut.code, 2);
    assert.match(cut.stderr, /^error: unknown option '--indicate'\n\(Did you mean --indicate-current\?\)$/m);
    const global = await p.retort('upgrade', 'head', '--lock');
    assert.equal(global.code, 2);
    assert.match(global.stderr, /\(Did you mean --lock-timeout\?\)/);
    const other = await p.retort('history', '--zzz');
    assert.equal(other.code, 2);
    assert.match(other.stderr, /^error: unknown option '--zzz'$/m);
    assert.doesNotMatch(other.stderr, /Did you mean/);
  } finally {
    await p.cleanup();
  }
});

test('model mistakes are told in the user\'s terms: a misspelled method, a syntax error, a missing import', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    mkdirSync(path.join(p.dir, 'models'));
    const model = path.join(p.dir, 'models', 'm.ts');
    const head = `import { serial, table, varchar } from 'retort-migrate';\n`;
    const cases: [string, RegExp][] = [
      [`${head}export const users = table('users', {\n  id: serial().primaryKey(),\n  email: varchar(255).notNul(),\n});\n`, /cannot be loaded: notNul is not a function \(misspelled, or not a method of what it follows\?\) \(line 4\)$/m],
      [`${head}export const users = table('users', { id: serial().primaryKey( });\n`, /cannot be loaded: syntax error at line 2, column 64: Unexpected token$/m],
      [`${head}import { tags } from './tags';\nexport const users = tags;\n`, /cannot be loaded: Cannot find module '\.\/tags' \(line 2\)$/m],
    ];
    for (const [source, message] of cases) {
      writeFileSync(model, source);
      const r = await p.retort('check');
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /_retortmigrate|Require stack|ParseError|\n\s+at /);
    }
  } finally {
    await p.cleanup();
  }
});

test('init inside a project refuses to split it, unless --nested', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    const sub = path.join(p.dir, 'models');
    mkdirSync(sub, { recursive: true });
    const r = await runCli(['init'], { cwd: sub });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /^error: .*models is inside the Retort project of .*retort\.config\.ts; commands run from here already use that project$/m);
    assert.match(r.stderr, /--nested/);
    assert.ok(!existsSync(path.join(sub, 'retort.config.ts')), 'nothing written');
    const nested = await runCli(['init', 'inner', '--nested'], { cwd: sub });
    assert.equal(nested.code, 0, nested.stderr);
    assert.ok(existsSync(path.join(sub, 'inner', 'retort.config.ts')));
  } finally {
    await p.cleanup();
  }
});

test('a PostgreSQL --sql script runs silently under psql -f and psql -1 -f alike, each revision its own transaction', async () => {
  const p = await createProject('postgresql');
  try {
    const script = await p.retort('upgrade', 'head', '--sql');
    assert.equal(script.code, 0, script.stderr);
    const file = path.join(p.dir, 'upgrade.sql');
    writeFileSync(file, script.stdout);
    for (const single of [false, true]) {
      const db = await createPgDatabase();
      try {
        const r = spawnSync('psql', ['-X', '-v', 'ON_ERROR_STOP=1', ...(single ? ['-1'] : []), '-d', db.url, '-f', file], { encoding: 'utf8' });
        const how = single ? 'psql -1 -f' : 'psql -f';
        assert.equal(r.status, 0, `${how}: ${r.stderr}`);
        assert.equal(r.stderr, '', `${how} printed no warning`);
        assert.doesNotMatch(r.stdout, /set_config|\(\d+ rows?\)/, `${how} printed no result table`);
        assert.deepEqual(await pgQuery(db.url, 'SELECT version_num FROM retort_version'), [{ version_num: 'e7b3a0d5c904' }]);
        assert.equal((await pgQuery<{ n: number }>(db.url, 'SELECT count(*)::int AS n FROM retort_history')).at(0)?.n, 4);
      } finally {
        await db.drop();
      }
    }
    // A script for a range, run on a database that already has the version and history tables, is silent too (their
    // CREATE TABLE IF NOT EXISTS would each print a NOTICE).
    const db = await createPgDatabase();
    try {
      for (const range of ['base:c2d9e1f4a703', 'c2d9e1f4a703:head']) {
        const part = await p.retort('upgrade', range, '--sql');
        assert.equal(part.code, 0, part.stderr);
        writeFileSync(file, part.stdout);
        const r = spawnSync('psql', ['-X', '-v', 'ON_ERROR_STOP=1', '-d', db.url, '-f', file], { encoding: 'utf8' });
        assert.equal(r.status, 0, `${range}: ${r.stderr}`);
        assert.equal(r.stderr, '', `${range}: psql printed no notice`);
      }
      assert.deepEqual(await pgQuery(db.url, 'SELECT version_num FROM retort_version'), [{ version_num: 'e7b3a0d5c904' }]);
    } finally {
      await db.drop();
    }
  } finally {
    await p.cleanup();
  }
});

test('init makes git ignore the SQLite lock file, appending to a .gitignore the folder already has', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'retort-init-'));
  try {
    const fresh = await runCli(['init', 'a'], { cwd: dir });
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.match(readFileSync(path.join(dir, 'a', '.gitignore'), 'utf8'), /^\.\*\.retort-lock$/m);
    mkdirSync(path.join(dir, 'b'));
    writeFileSync(path.join(dir, 'b', '.gitignore'), 'node_modules');
    const kept = await runCli(['init', 'b'], { cwd: dir });
    assert.equal(kept.code, 0, kept.stderr);
    // And the development database the config names (app.db and its -wal, -shm and journal files), never committed.
    assert.equal(readFileSync(path.join(dir, 'b', '.gitignore'), 'utf8'), 'node_modules\n# Retort: lock files a run keeps beside a SQLite database\n.*.retort-lock\n# Retort: the SQLite database the config names, a local file\n/app.db\n/app.db-*\n');
    // A database outside the project is not the project's to ignore; PostgreSQL has no file.
    for (const [sub, url] of [['c', 'sqlite:////tmp/elsewhere.db'], ['d', 'postgresql://u@h/db']] as const) {
      assert.equal((await runCli(['init', sub, '--url', url], { cwd: dir })).code, 0);
      assert.equal(readFileSync(path.join(dir, sub, '.gitignore'), 'utf8'), '# Retort: lock files a run keeps beside a SQLite database\n.*.retort-lock\n');
    }
    // The lock file a run leaves is of that form.
    mkdirSync(path.join(dir, 'a', 'node_modules'));
    symlinkSync(repoRoot, path.join(dir, 'a', 'node_modules', 'retort-migrate'), 'dir');
    assert.equal((await runCli(['revision', '-m', 'first'], { cwd: path.join(dir, 'a') })).code, 0);
    const up = await runCli(['upgrade', 'head'], { cwd: path.join(dir, 'a') });
    assert.equal(up.code, 0, up.stderr);
    const locks = readdirSync(path.join(dir, 'a')).filter((f) => f.endsWith('.retort-lock'));
    assert.ok(locks.length > 0, 'the run left its lock file');
    assert.ok(locks.every((f) => /^\.[^/]*\.retort-lock$/.test(f)), `lock files ${locks.join(', ')} match .*.retort-lock`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('init --url writes that URL into the config, the option written before or after the command', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'retort-init-url-'));
  try {
    const after = await runCli(['init', 'a', '--url', 'postgresql://me@db.example/shop'], { cwd: dir });
    assert.equal(after.code, 0, after.stderr);
    assert.match(readFileSync(path.join(dir, 'a', 'retort.config.ts'), 'utf8'), /url: 'postgresql:\/\/me@db\.example\/shop'/);
    const before = await runCli(['--url', 'postgresql://me@db.example/b', 'init', 'b'], { cwd: dir });
    assert.equal(before.code, 0, before.stderr);
    assert.match(readFileSync(path.join(dir, 'b', 'retort.config.ts'), 'utf8'), /url: 'postgresql:\/\/me@db\.example\/b'/);
    assert.equal((await runCli(['init', 'c'], { cwd: dir })).code, 0);
    assert.match(readFileSync(path.join(dir, 'c', 'retort.config.ts'), 'utf8'), /url: 'sqlite:\/\/\/app\.db'/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('init refuses a URL no command could use and writes nothing; a failed init --from-db leaves nothing behind', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'retort-init-'));
  try {
    const mysql = await runCli(['init', '--url', 'mysql://x/y'], { cwd: dir });
    assert.equal(mysql.code, 1, mysql.stderr);
    assert.match(mysql.stderr, /^error: database URL "mysql:\/\/x\/y" has an unknown scheme "mysql:"$/m);
    assert.deepEqual(readdirSync(dir), [], 'nothing written');
    const empty = await runCli(['init', '--url', ''], { cwd: dir });
    assert.equal(empty.code, 2, 'an empty --url is a usage error, as for every command');
    assert.match(empty.stderr, /^error: the database URL \(from --url\) is empty$/m);
    assert.deepEqual(readdirSync(dir), []);
    const missing = new URL(pgAdminUrl());
    missing.pathname = '/retort_no_such_database';
    const adopt = await runCli(['init', '--from-db', missing.toString()], { cwd: dir });
    assert.equal(adopt.code, 1, adopt.stderr);
    assert.match(adopt.stderr, /database "retort_no_such_database" does not exist/);
    assert.deepEqual(readdirSync(dir), [], 'not even the .gitignore init wrote');
    // A .gitignore of the user's own keeps its lines (init only appended to it).
    writeFileSync(path.join(dir, '.gitignore'), 'dist/\n');
    assert.equal((await runCli(['init', '--from-db', missing.toString()], { cwd: dir })).code, 1);
    assert.deepEqual(readdirSync(dir), ['.gitignore']);
    assert.match(readFileSync(path.join(dir, '.gitignore'), 'utf8'), /^dist\/\n/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('outside any project, listings and check say there is no config, not that a migrations folder is missing', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'retort-none-'));
  try {
    for (const args of [['history'], ['heads'], ['check', '--url', 'sqlite:///x.db'], ['revision', '-m', 'x']]) {
      const r = await runCli(args, { cwd: dir });
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, new RegExp(`^error: there is no retort\\.config\\.ts in ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} or any folder above it$`, 'm'), args.join(' '));
      assert.match(r.stderr, /^hint: run retort from your project's folder, or `retort init` to set one up here$/m);
    }
    assert.deepEqual(readdirSync(dir).filter((f) => f !== 'x.db' && !f.endsWith('.retort-lock')), []);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
