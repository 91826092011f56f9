/**
 * The bad-input catalogue: each mistake gives one clear line, a non-zero exit
 * code, no stack trace, and leaves the database as it was.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createProject, DIALECTS, revisionSource, writeModels, type TestProject } from './helpers/project.js';
import { retortBin, runCli } from './helpers/cli.js';
import { spawnSync } from 'node:child_process';
import type { CliResult } from './helpers/cli.js';

function assertCleanError(r: CliResult, message: RegExp, code = 1): void {
  assert.equal(r.code, code, `exit code; stderr: ${r.stderr}`);
  assert.match(r.stderr, message);
  assert.doesNotMatch(r.stderr, /\n\s+at .+:\d+:\d+/, `no stack trace in: ${r.stderr}`);
  const errorLines = r.stderr.split('\n').filter((l) => l.startsWith('error:'));
  assert.equal(errorLines.length, 1, `one error line in: ${r.stderr}`);
}

for (const dialect of DIALECTS) {
  describe(`bad input on ${dialect}`, () => {
    let p: TestProject;
    before(async () => {
      p = await createProject(dialect);
      const r = await p.retort('upgrade', 'head');
      assert.equal(r.code, 0, r.stderr);
    });
    after(async () => {
      await p.cleanup();
    });

    async function unchanged(): Promise<void> {
      const r = await p.retort('current');
      assert.match(r.stdout, /^e7b3a0d5c904/);
    }

    test('a revision file with a syntax error', async () => {
      p.writeRevision('aaaa00000001_bad.ts', revisionSource('aaaa00000001', 'e7b3a0d5c904', 'bad', '  op.createTable(;'));
      assertCleanError(await p.retort('upgrade', 'head'), /aaaa00000001_bad\.ts cannot be loaded/);
      await unchanged();
      assert.deepEqual(await p.tables(), ['comments', 'posts', 'profiles', 'users']);
    });

    test('a later revision file that does not compile stops the run before the first revision runs', async () => {
      // Alembic loads every script first; a run that applied the good revision and then met a merge conflict's
      // markers in the next one would leave the database part-way through what was asked.
      p.writeRevision('aaaa00000001_bad.ts', revisionSource('aaaa00000001', 'e7b3a0d5c904', 'good', "  op.execute('CREATE TABLE early_t (x integer)');"));
      p.writeRevision('aaaa00000002_bad.ts', revisionSource('aaaa00000002', 'aaaa00000001', 'conflicted', '<<<<<<< HEAD\n  op.dropTable(\'a\');\n=======\n  op.dropTable(\'b\');\n>>>>>>> feature'));
      try {
        for (const args of [['upgrade', 'head'], ['upgrade', '+2'], ['upgrade', 'e7b3a0d5c904:head', '--sql']]) {
          const r = await p.retort(...args);
          assertCleanError(r, /aaaa00000002_bad\.ts cannot be loaded: syntax error at line 9, .*nothing was run/);
          assert.doesNotMatch(r.stdout, /CREATE TABLE early_t/, args.join(' '));
          await unchanged();
          assert.deepEqual(await p.tables(), ['comments', 'posts', 'profiles', 'users'], args.join(' '));
        }
      } finally {
        rmSync(path.join(p.dir, 'migrations', 'aaaa00000002_bad.ts'));
      }
    });

    test('a revision file without an upgrade function', async () => {
      p.writeRevision('aaaa00000001_bad.ts', `export const revision = 'aaaa00000001';\nexport const downRevision = 'e7b3a0d5c904';\nexport const message = 'no upgrade';\n`);
      assertCleanError(await p.retort('upgrade', 'head'), /has no exported function `upgrade`/);
      await unchanged();
    });

    test('duplicate revision ids name both files', async () => {
      p.writeRevision('aaaa00000001_bad.ts', revisionSource('e7b3a0d5c904', 'c2d9e1f4a703', 'dup', ''));
      const r = await p.retort('history');
      assertCleanError(r, /e7b3a0d5c904/);
      assert.match(r.stderr, /aaaa00000001_bad\.ts/);
      assert.match(r.stderr, /e7b3a0d5c904_add_post_slug\.ts/);
    });

    test('a downRevision that points at no file', async () => {
      p.writeRevision('aaaa00000001_bad.ts', revisionSource('aaaa00000001', 'ffffffffffff', 'orphan', ''));
      const r = await p.retort('upgrade', 'head');
      assertCleanError(r, /ffffffffffff/);
      assert.match(r.stderr, /aaaa00000001_bad\.ts/);
    });

    test('a cycle names its files', async () => {
      p.writeRevision('aaaa00000001_bad.ts', revisionSource('aaaa00000001', 'aaaa00000002', 'one', ''));
      p.writeRevision('aaaa00000002_bad.ts', revisionSource('aaaa00000002', 'aaaa00000001', 'two', ''));
      const r = await p.retort('heads');
      assertCleanError(r, /cycle/i);
      assert.match(r.stderr, /aaaa00000001/);
      renameSync(path.join(p.dir, 'migrations', 'aaaa00000002_bad.ts'), path.join(p.dir, 'aaaa00000002_bad.ts.off'));
    });

    test('an ambiguous prefix lists the candidates; several heads refuse `upgrade head`', async () => {
      p.writeRevision('aaaa00000001_bad.ts', revisionSource('c2d9e1f4a7ff', '8a4e0c7b52d2', 'side branch', ''));
      const amb = await p.retort('upgrade', 'c2d9');
      assertCleanError(amb, /ambiguous|multiple/i);
      assert.match(amb.stderr, /c2d9e1f4a703/);
      assert.match(amb.stderr, /c2d9e1f4a7ff/);
      const heads = await p.retort('upgrade', 'head');
      assertCleanError(heads, /heads/);
      assert.match(heads.stderr, /merge/);
      await unchanged();
    });

    test('an unknown target', async () => {
      for (const f of readdirSync(path.join(p.dir, 'migrations'))) if (f.startsWith('aaaa')) renameSync(path.join(p.dir, 'migrations', f), path.join(p.dir, `${f}.off`));
      assertCleanError(await p.retort('upgrade', '0123abc'), /Can't locate revision identified by '0123abc'/);
      await unchanged();
    });

    test('the migrations folder missing', async () => {
      const r = await runCli(['--url', p.url, '-c', path.join(p.dir, 'retort.config.ts'), 'history'], { cwd: p.dir, env: {} });
      assert.equal(r.code, 0, r.stderr);
      renameSync(path.join(p.dir, 'migrations'), path.join(p.dir, 'migrations.off'));
      try {
        assertCleanError(await p.retort('upgrade', 'head'), /migrations folder .*migrations does not exist/);
      } finally {
        renameSync(path.join(p.dir, 'migrations.off'), path.join(p.dir, 'migrations'));
      }
    });
  });
}

describe('config and URL errors', () => {
  test('run from a folder that has been deleted', async () => {
    const p = await createProject('sqlite');
    try {
      const gone = path.join(p.dir, 'gone');
      mkdirSync(gone);
      for (const command of ['history', 'current', 'upgrade head']) {
        const r = spawnSync('bash', ['-c', `cd "$1" && rmdir "$1" && node "$2" ${command}`, 'sh', gone, retortBin], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
        assertCleanError({ code: r.status, signal: null, stdout: r.stdout, stderr: r.stderr }, /^error: the current folder no longer exists \(ENOENT\)/m);
        mkdirSync(gone);
      }
    } finally {
      await p.cleanup();
    }
  });

  test('output that cannot be written: a full disk or a read-only descriptor is one error line, a closed pipe is quiet', async () => {
    const p = await createProject('sqlite');
    try {
      for (const quick of ['1', '0']) {
        const env = { ...process.env, NO_COLOR: '1', RETORT_QUICK: quick };
        const sh = (script: string) => spawnSync('bash', ['-c', script, 'sh', retortBin], { cwd: p.dir, encoding: 'utf8', env });
        const full = sh('node "$1" history > /dev/full');
        assertCleanError({ code: full.status, signal: null, stdout: full.stdout, stderr: full.stderr }, /^error: cannot write the output \(ENOSPC/m);
        // Standard output opened for reading only.
        const closed = sh('node "$1" heads 1</dev/null');
        assertCleanError({ code: closed.status, signal: null, stdout: closed.stdout, stderr: closed.stderr }, /^error: cannot write the output \(EBADF/m);
        const piped = sh('node "$1" history | head -c 10 > /dev/null; echo "exit=${PIPESTATUS[0]}"');
        assert.equal(piped.stdout, 'exit=0\n');
        assert.equal(piped.stderr, '');
        // A command that failed keeps its exit code when its reader is gone (`check | head` under pipefail): check
        // prints that the database is behind head, to a pipe whose reader has exited.
        writeModels(p, 'export {};\n');
        const plain = spawnSync('bash', ['-c', 'node "$1" --url "$2" check', 'sh', retortBin, p.url], { cwd: p.dir, encoding: 'utf8', env });
        assert.equal(plain.status, 1, plain.stderr);
        assert.match(plain.stdout, /not up to date/);
        const failed = spawnSync('bash', ['-c', 'node "$1" --url "$2" check | true; echo "exit=${PIPESTATUS[0]}"', 'sh', retortBin, p.url], { cwd: p.dir, encoding: 'utf8', env });
        assert.equal(failed.stdout, 'exit=1\n', failed.stderr);
      }
    } finally {
      await p.cleanup();
    }
  });

  test('a config with a syntax error, an unknown key, a missing -c file', async () => {
    const p = await createProject('sqlite');
    try {
      writeFileSync(path.join(p.dir, 'retort.config.ts'), 'export default {\n');
      assertCleanError(await p.retort('history'), /config .*retort\.config\.ts cannot be loaded/);
      writeFileSync(path.join(p.dir, 'retort.config.ts'), 'export default { migratons: "m" };\n');
      assertCleanError(await p.retort('history'), /unknown key "migratons"/);
      assertCleanError(await p.retort('-c', 'nope.ts', 'history'), /config file .*nope\.ts does not exist/);
      assertCleanError(await p.retort('-c', 'migrations', 'history'), /config file .*migrations is a folder/);
    } finally {
      await p.cleanup();
    }
  });

  test('URLs: malformed, unknown scheme, refused, unknown user, missing database, none at all', async () => {
    const p = await createProject('sqlite');
    try {
      const run = (url: string) => runCli(['--url', url, 'current'], { cwd: p.dir });
      const cases: [string, RegExp][] = [
        ['postgresql://u:hunter2@127.0.0.1:port/db', /malformed/],
        ['mysql://u:hunter2@localhost/db', /unknown scheme "mysql:"/],
        ['postgresql://u:hunter2@127.0.0.1:1/db', /connection refused.*127\.0\.0\.1:1/],
        ['postgresql://no_such_role_x:hunter2@127.0.0.1:5432/postgres', /no_such_role_x/],
        ['postgresql://postgres:hunter2@127.0.0.1:5432/no_such_db_x', /database "no_such_db_x" does not exist/],
        ['sqlite:///no/such/folder/app.db', /folder|director/i],
      ];
      for (const [url, message] of cases) {
        const r = await run(url);
        assertCleanError(r, message);
        assert.doesNotMatch(r.stderr, /hunter2/, 'password masked');
      }
      // A folder outside any project (the config is looked for in parent folders too, so not inside p.dir).
      const empty = mkdtempSync(path.join(os.tmpdir(), 'retort-no-project-'));
      try {
        const none = await runCli(['current'], { cwd: empty });
        assertCleanError(none, /no database URL is configured/);
        assert.match(none.stderr, /^hint: there is no retort\.config\.ts in .*retort-no-project-\w+ or any folder above it: run `retort init` there/m);
        // Outside any project (no config, no migrations/), said before connecting, so no SQLite file is created for nothing.
        const noFolder = await runCli(['--url', 'sqlite:./x.db', 'check'], { cwd: empty });
        assertCleanError(noFolder, /there is no retort\.config\.ts in .* or any folder above it/);
        assert.deepEqual(readdirSync(empty), []);
      } finally {
        rmSync(empty, { recursive: true, force: true });
      }
    } finally {
      await p.cleanup();
    }
  });

  test('upgrade and current with a revision file they cannot read: a refused connection is still the error reported, a working one names the file', async () => {
    // upgrade reads the revision graph while the connection opens (Project.readGraphSoon): the order of errors stays.
    for (const dialect of DIALECTS) {
      const p = await createProject(dialect);
      try {
        writeFileSync(path.join(p.dir, 'migrations', '0000_broken.ts'), `export const message = 'no id';\nexport function upgrade() {}\n`);
        const refused = dialect === 'postgresql' ? 'postgresql://u@127.0.0.1:1/db' : `sqlite:///${path.join(p.dir, 'no', 'such', 'x.db')}`;
        assertCleanError(await runCli(['--url', refused, 'upgrade', 'head'], { cwd: p.dir }), dialect === 'postgresql' ? /connection refused/ : /does not exist/);
        assertCleanError(await p.retort('upgrade', 'head'), /0000_broken\.ts: no `export const revision = '\.\.\.'` found/);
        // current reads the graph while its connection opens too (currentHeads' whileConnecting).
        assertCleanError(await runCli(['--url', refused, 'current'], { cwd: p.dir }), dialect === 'postgresql' ? /connection refused/ : /does not exist/);
        assertCleanError(await p.retort('current'), /0000_broken\.ts: no `export const revision = '\.\.\.'` found/);
      } finally {
        await p.cleanup();
      }
    }
  });

  test('usage errors exit 2', async () => {
    const r = await runCli(['upgrade']);
    assert.equal(r.code, 2);
    const unknown = await runCli(['frobnicate']);
    assert.equal(unknown.code, 2);
    const help = await runCli(['upgrade', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /--sql/);
    // downgrade --sql needs the range (its start cannot be read offline): its help says so, as the command does.
    const down = await runCli(['downgrade', '--help']);
    assert.match(down.stdout.replace(/\s+/g, ' '), /--sql print the SQL instead of running it \(no connection; needs a range from:to\)/);
    assert.doesNotMatch(down.stdout, /sets the start/);
  });
});

for (const dialect of DIALECTS) {
  test(`model mistakes inside references() arrows and sql\`\` are the user's, named with file and line, not reported as Retort bugs (${dialect})`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      mkdirSync(path.join(p.dir, 'models'));
      const m = path.join(p.dir, 'models', 'm.ts');
      // A misspelled table inside the arrow (declared later, so TypeScript is not asked): a ReferenceError at collect time.
      writeFileSync(m, `import { integer, serial, table } from 'retort-migrate';\nexport const users = table('users', { id: serial().primaryKey() });\nexport const posts = table('posts', { id: serial().primaryKey(), user_id: integer().references(() => (globalThis as any).usr.columns.id) });\n`);
      let r = await p.retort('check');
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^error: .*m\.ts: posts\.user_id: references\(\(\) => …\) threw: Cannot read properties of undefined \(reading 'columns'\) \(line 3\)$/m);
      assert.doesNotMatch(r.stderr, /bug in Retort/);
      // A column put into sql``: its quoted name; an undefined one: a one-line error.
      writeFileSync(m, `import { check, table, varchar, sql } from 'retort-migrate';\nexport const ev = table('ev', { k2: varchar(30) }, (t) => [check('ev_k2_check', sql\`\${t.k2} IN ('a', 'b')\`)]);\n`);
      await p.query(`CREATE TABLE ev (k2 varchar(30), CONSTRAINT ev_k2_check CHECK (k2 IN ('a', 'b')))`);
      r = await p.retort('check');
      assert.equal(r.code, 0, r.stdout + r.stderr);
      writeFileSync(m, `import { check, table, varchar, sql } from 'retort-migrate';\nexport const ev = table('ev', { k2: varchar(30) }, (t: any) => [check('ev_k2_check', sql\`\${t.k3} IN ('a', 'b')\`)]);\n`);
      r = await p.retort('check');
      assert.equal(r.code, 1);
      assert.match(r.stderr, /^error: model file .*m\.ts cannot be loaded: sql`…\$\{…\}`: the value put there is undefined \(a column that does not exist\?\), which cannot be written into SQL \(line 2\)$/m);
    } finally {
      await p.cleanup();
    }
  });
}

for (const dialect of DIALECTS) {
  test(`an exception in a model or revision file names its line (${dialect})`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      mkdirSync(path.join(p.dir, 'models'));
      writeFileSync(path.join(p.dir, 'models', 'm.ts'), `import { integer, table } from 'retort-migrate';\nconst y: any = undefined;\n\nexport const t = table('t', { id: integer().primaryKey(), v: y.col });\n`);
      const check = await p.retort('check');
      assert.equal(check.code, 1);
      assert.match(check.stderr, /^error: model file .*m\.ts cannot be loaded: Cannot read properties of undefined \(reading 'col'\) \(line 4\)$/m);
      const source = revisionSource('b00000000001', null, 'boom', `  const x: any = null;\n  console.log(x.foo);`);
      p.writeRevision('b00000000001_boom.ts', source);
      const line = source.split('\n').findIndex((l) => l.includes('x.foo')) + 1;
      const up = await p.retort('upgrade', 'head');
      assert.equal(up.code, 1);
      assert.match(up.stderr, new RegExp(`error: Cannot read properties of null \\(reading 'foo'\\) \\(.*b00000000001_boom\\.ts, line ${line}\\)`));
      assert.doesNotMatch(up.stderr, /\n\s+at /, 'no stack trace');
    } finally {
      await p.cleanup();
    }
  });
}

test('a version table name longer than the database keeps is refused before connecting on PostgreSQL, and works on SQLite', async () => {
  const long = `v_${'x'.repeat(70)}`;
  for (const dialect of DIALECTS) {
    const p = await createProject(dialect);
    try {
      writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', versionTable: '${long}' });\n`);
      const r = await p.retort('upgrade', 'head');
      if (dialect === 'postgresql') {
        assertCleanError(r, new RegExp(`retort\\.config\\.ts: "versionTable" is 72 bytes long; PostgreSQL would silently cut it to 63$`, 'm'));
        assert.deepEqual(await p.tables(), [], 'nothing was run');
      } else {
        assert.equal(r.code, 0, r.stderr);
      }
    } finally {
      await p.cleanup();
    }
  }
});
