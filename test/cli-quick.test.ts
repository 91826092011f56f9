/**
 * The quick path (dist/quick.cjs) runs `history`, `heads`, `branches` and `current`
 * without commander or the ES module loader. It must read argv exactly as commander
 * does, print exactly what the full CLI prints, and hand every other form, every
 * listing that needs the database and every error before the database is asked to
 * the full CLI.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildProgram } from '../src/cli/main.js';
import { parseQuickArgs, quickMain } from '../src/cli/quick.js';
import { rangeNeedsDatabase } from '../src/cli/commands/listing.js';
import { retortBin, runCli } from './helpers/cli.js';
import { createProject, DIALECTS, revisionSource, type TestProject } from './helpers/project.js';

/** Forms the quick path takes. */
const TAKEN: string[][] = [
  ['history'],
  ['heads'],
  ['branches'],
  ['history', '-v'],
  ['history', '--verbose'],
  ['history', '-r', 'a1:m1'],
  ['history', '--rev-range', 'c1'],
  ['history', '--rev-range=base:b1', '--verbose'],
  ['-c', 'retort.config.ts', 'history'],
  ['--config=retort.config.ts', '--url', 'sqlite:///x.db', 'heads', '-v'],
  ['heads', '--debug'],
  ['branches', '--verbose', '-c', 'retort.config.ts'],
  ['history', '-i'],
  ['current'],
  ['current', '-v'],
  ['--url', 'sqlite:///x.db', 'current', '--debug'],
];

/** Forms it leaves to commander (help, version, errors, anything unusual). */
const DECLINED: string[][] = [
  [],
  ['--help'],
  ['history', '--help'],
  ['history', '-h'],
  ['-V'],
  ['current', '-r', 'x'],
  ['upgrade', 'head'],
  ['history', '-vi'],
  ['history', '-r'],
  ['history', '-r', '-1:'],
  ['history', '-rbase:'],
  ['history', '-r=base:'],
  ['history', '--verbose=yes'],
  ['history', 'extra'],
  ['history', '--', '-v'],
  ['history', '-v', '-v'],
  ['history', '--unknown'],
  ['heads', '-r', 'x'],
  ['--config'],
  ['--config=', 'history'],
  ['--nope', 'history'],
];

test('a range needs the database when a side names current or steps from where the database is', () => {
  for (const r of ['current:', ':current', 'base: current', ' current:', '-1:', ' -1:', ':+2', 'feature@-1:', 'feature@+1:', 'current-1:', 'x:feature@current']) {
    assert.equal(rangeNeedsDatabase(r), true, r);
  }
  for (const r of ['base:head', 'head-1:', 'a1b2+1:head', 'feature@head', 'feature@base:', 'current_work:', 'recurrent:', ':heads']) {
    assert.equal(rangeNeedsDatabase(r), false, r);
  }
});

describe('quick path: reading argv', () => {
  test('every form it takes means what commander makes of it', async () => {
    for (const argv of TAKEN) {
      const quick = parseQuickArgs(argv);
      assert.ok(quick, `takes ${argv.join(' ')}`);
      const program = buildProgram();
      let seen: { command: string; options: unknown; global: unknown } | null = null;
      for (const sub of program.commands) {
        sub.action((options: unknown) => {
          seen = { command: sub.name(), options, global: program.opts() };
        });
      }
      await program.parseAsync(['node', 'retort', ...argv]);
      assert.deepEqual(seen, { command: quick.command, options: quick.options, global: quick.global }, argv.join(' '));
    }
  });

  test('help, version, unknown or doubled options, joined flags and extra arguments go to commander', () => {
    for (const argv of DECLINED) assert.equal(parseQuickArgs(argv), null, argv.join(' '));
  });
});

/** A graph with a branch point, a branch label, a merge and a cross-branch dependency. */
function writeBranchedHistory(p: TestProject): void {
  const rev = (id: string, down: string | string[] | null, extra = '') =>
    p.writeRevision(`${id}_r.ts`, revisionSource(id, down, `step ${id}`, '', '', extra));
  rev('a1', null);
  rev('a2', 'a1');
  rev('b1', 'a2', "export const branchLabels = ['feature'];");
  rev('c1', 'a2');
  rev('c2', 'c1', "export const dependsOn = 'b1';");
  rev('m1', ['b1', 'c2']);
  rev('z9', null, "export const branchLabels = ['other'];");
}

test('the quick path prints exactly what the full CLI prints, in colour and without', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    writeBranchedHistory(p);
    for (const argv of [...TAKEN.filter((a) => !a.includes('-i') && !a.includes('current')), ['history', '-r', 'feature@head'], ['history', '-r', ':c1']]) {
      for (const colour of [{ NO_COLOR: '1' }, { NO_COLOR: undefined, FORCE_COLOR: '1' }]) {
        const quick = await runCli(argv, { cwd: p.dir, env: colour });
        const full = await runCli(argv, { cwd: p.dir, env: { ...colour, RETORT_QUICK: '0' } });
        assert.equal(quick.code, 0, `${argv.join(' ')}: ${quick.stderr}`);
        assert.deepEqual(quick, full, argv.join(' '));
      }
    }
    // And the quick path did the work itself rather than handing it on.
    let written = '';
    assert.equal(await quickMain(['node', 'retort', 'history'], (t) => (written += t), p.dir), 0);
    assert.match(written, /^<base> -> z9 \(head\) \(other\), step z9$/m);
    assert.match(written, /^\(b1, c2\) -> m1 \(head\) \(feature\) \(mergepoint\), step m1$/m);
  } finally {
    await p.cleanup();
  }
});

test('a config that reads its URL from process.env keeps the quick path, and prints what the full CLI prints', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    writeBranchedHistory(p);
    writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({\n  url: process.env.APP_DATABASE_URL ?? 'sqlite:///dev.db',\n  migrations: 'migrations',\n});\n`);
    let written = '';
    assert.equal(await quickMain(['node', 'retort', 'heads'], (t) => (written += t), p.dir), 0);
    const full = await runCli(['heads'], { cwd: p.dir, env: { RETORT_QUICK: '0', NO_COLOR: '1' } });
    assert.equal(full.code, 0, full.stderr);
    assert.equal(written.replace(/\x1b\[[0-9;]*m/g, ''), full.stdout);
  } finally {
    await p.cleanup();
  }
});

for (const dialect of DIALECTS) {
  describe(`quick path on ${dialect}`, () => {
    test('listings that read the database, and every error, are left to the full CLI', async () => {
      const p = await createProject(dialect, { empty: true });
      try {
        writeBranchedHistory(p);
        const up = await p.retort('upgrade', 'heads');
        assert.equal(up.code, 0, up.stderr);
        const none = (t: string) => assert.fail(`wrote ${t}`);
        const declined = (argv: string[]) => quickMain(['node', 'retort', '--url', p.url, ...argv], none, p.dir);
        assert.equal(await declined(['history', '-i']), null);
        assert.equal(await declined(['history', '-r', 'current:']), null);
        assert.equal(await declined(['history', '-r', '-1:']), null);
        // -v says when each revision ran, which only the database knows.
        assert.equal(await declined(['history', '-v']), null);
        // Spellings of the same range, read from the database on both paths.
        const byCurrent = await p.retort('history', '-r', 'base:current');
        assert.equal(byCurrent.code, 0, byCurrent.stderr);
        assert.match(byCurrent.stdout, /-> m1 /);
        for (const spelled of ['base: current', ' base :current ']) assert.deepEqual(await p.retort('history', '-r', spelled), byCurrent, spelled);
        // -1 from two applied heads is ambiguous: the database was read, on both spellings.
        const stepped = await p.retort('history', '-r', '-1:');
        assert.match(stepped.stderr, /relative revision '-1' is ambiguous: several heads are applied \(m1, z9\)/);
        assert.deepEqual(await p.retort('history', '-r', ' -1:'), stepped);
        const indicated = await p.retort('history', '-i');
        assert.match(indicated.stdout, /-> m1 \(head\) \(feature\) \(mergepoint\) \(current\), step m1/);
        const verbose = await p.retort('history', '-v');
        assert.match(verbose.stdout, /Applied: .* by Retort/);
        // A broken graph: quick declines, and the full CLI reports it as usual.
        p.writeRevision('e1_r.ts', revisionSource('e1', 'nope', 'dangling', ''));
        assert.equal(await declined(['history']), null);
        const broken = await p.retort('history');
        assert.equal(broken.code, 1);
        assert.match(broken.stderr, /^error: .*e1_r\.ts: `downRevision` names revision 'nope'/m);
        assert.doesNotMatch(broken.stderr, /\n\s+at /);
        assert.equal(await declined(['current']), null);
        assert.deepEqual(await p.retort('current'), { ...broken, stdout: '' });
      } finally {
        await p.cleanup();
      }
    });

    test('current runs on the quick path and prints what the full CLI prints, at base, at heads and on errors', async () => {
      const p = await createProject(dialect, { empty: true });
      try {
        writeBranchedHistory(p);
        const both = async (argv: string[], env: Record<string, string | undefined> = {}) => {
          const quick = await runCli(['--url', p.url, ...argv], { cwd: p.dir, env });
          const full = await runCli(['--url', p.url, ...argv], { cwd: p.dir, env: { ...env, RETORT_QUICK: '0' } });
          assert.deepEqual(quick, full, argv.join(' '));
          return quick;
        };
        assert.equal((await both(['current'])).stdout, 'base (no revision applied)\n');
        assert.equal((await p.retort('upgrade', 'heads')).code, 0);
        for (const colour of [{ NO_COLOR: '1' }, { NO_COLOR: undefined, FORCE_COLOR: '1' }]) await both(['current'], colour);
        assert.equal((await both(['current'], { NO_COLOR: '1' })).stdout, 'm1 (head) (feature) (mergepoint)\nz9 (head) (other)\n');
        await both(['current', '-v']);
        await both(['--json', 'current']);
        // The quick path did the work itself, with the dialect's connector alone.
        let written = '';
        assert.equal(await quickMain(['node', 'retort', '--url', p.url, 'current'], (t) => (written += t), p.dir), 0);
        assert.equal(written.replace(/\x1b\[[0-9;]*m/g, ''), 'm1 (head) (feature) (mergepoint)\nz9 (head) (other)\n');
        // A head no file has: left to the full CLI, which shows it with the way out.
        unlinkSync(path.join(p.dir, 'migrations', 'z9_r.ts'));
        const lost = await both(['current'], { NO_COLOR: '1' });
        assert.equal(lost.code, 0, lost.stderr);
        assert.equal(lost.stdout, 'm1 (head) (feature) (mergepoint)\nz9 (no revision file has it)\n');
        assert.match(lost.stderr, /^warning: the database is at z9, which no file in .* has/);
        assert.equal(await quickMain(['node', 'retort', '--url', p.url, 'current'], (t) => assert.fail(`wrote ${t}`), p.dir, (t) => assert.fail(`wrote ${t}`)), null);
      } finally {
        await p.cleanup();
      }
    });
  });
}

test('current reports an error from the database on the quick path itself, as the full CLI does, and asks only once', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    writeBranchedHistory(p);
    // A port nobody listens on: connection refused, quickly.
    const url = 'postgresql://postgres@127.0.0.1:1/nowhere';
    let errors = '';
    const code = await quickMain(['node', 'retort', '--url', url, 'current'], (t) => assert.fail(`wrote ${t}`), p.dir, (t) => (errors += t));
    assert.equal(code, 1);
    const full = await runCli(['--url', url, 'current'], { cwd: p.dir, env: { RETORT_QUICK: '0', NO_COLOR: '1' } });
    assert.equal(full.code, 1);
    assert.equal(errors.replace(/\x1b\[[0-9;]*m/g, ''), full.stderr);
    assert.match(full.stderr, /^error: cannot connect to postgresql:\/\/postgres@127\.0\.0\.1:1\/nowhere/);
    assert.deepEqual(await runCli(['--url', url, 'current'], { cwd: p.dir, env: { NO_COLOR: '1' } }), full);
  } finally {
    await p.cleanup();
  }
});

test('current and history -v on a SQLite file that does not exist print no revision and do not create the file', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    writeBranchedHistory(p);
    const url = `sqlite:///${path.join(p.dir, 'not-yet.db')}`;
    const current = await runCli(['--url', url, 'current'], { cwd: p.dir });
    assert.deepEqual([current.code, current.stdout, current.stderr], [0, 'base (no revision applied)\n', '']);
    const verbose = await runCli(['--url', url, 'history', '-v'], { cwd: p.dir });
    assert.equal(verbose.code, 0, verbose.stderr);
    assert.match(verbose.stdout, /Rev: m1/);
    assert.doesNotMatch(verbose.stdout, /Applied:/);
    const indicated = await runCli(['--url', url, 'history', '-i'], { cwd: p.dir });
    assert.equal(indicated.code, 0, indicated.stderr);
    assert.doesNotMatch(indicated.stdout, /\(current\)/);
    assert.equal(existsSync(path.join(p.dir, 'not-yet.db')), false);
  } finally {
    await p.cleanup();
  }
});

test('a config that must be run (not plain data) goes to the full CLI, which reads it', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    writeBranchedHistory(p);
    writeFileSync(
      path.join(p.dir, 'retort.config.ts'),
      "import { defineConfig } from 'retort-migrate';\nconst folder = ['migr', 'ations'].join('');\nexport default defineConfig({ migrations: folder });\n",
    );
    assert.equal(await quickMain(['node', 'retort', 'heads'], (t) => assert.fail(`wrote ${t}`), p.dir), null);
    const r = await runCli(['heads'], { cwd: p.dir });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'm1 (head) (feature) (mergepoint)\nz9 (head) (other)\n');
  } finally {
    await p.cleanup();
  }
});

test('history sees an edit that keeps the file size and puts the modification time back, on both paths', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    writeBranchedHistory(p);
    const file = path.join(p.dir, 'migrations', 'c2_r.ts');
    const stamp = 1_700_000_000; // whole seconds, so that setting it again gives the very same mtime
    utimesSync(file, stamp, stamp);
    for (const quick of ['1', '0']) assert.match((await runCli(['history'], { cwd: p.dir, env: { RETORT_QUICK: quick } })).stdout, /, step c2$/m);
    writeFileSync(file, readFileSync(file, 'utf8').replace("message = 'step c2'", "message = 'step C2'"));
    utimesSync(file, stamp, stamp);
    for (const quick of ['1', '0']) assert.match((await runCli(['history'], { cwd: p.dir, env: { RETORT_QUICK: quick } })).stdout, /, step C2$/m);
  } finally {
    await p.cleanup();
  }
});

test('a closed pipe ends a quick listing quietly with exit code 0', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    for (let i = 1; i <= 3000; i++) {
      const id = `q${String(i).padStart(11, '0')}`;
      p.writeRevision(`${id}_r.ts`, revisionSource(id, i === 1 ? null : `q${String(i - 1).padStart(11, '0')}`, `a long message for step ${i} `.repeat(4), ''));
    }
    const r = spawnSync('bash', ['-c', 'node "$RETORT_BIN" history | head -n 1; echo "exit=${PIPESTATUS[0]}"'], { cwd: p.dir, encoding: 'utf8', env: { ...process.env, RETORT_BIN: retortBin, NO_COLOR: '1' } });
    assert.match(r.stdout, /^q00000002999 -> q00000003000 \(head\), a long message/);
    assert.match(r.stdout, /exit=0\n$/);
    assert.equal(r.stderr, '');
  } finally {
    await p.cleanup();
  }
});
