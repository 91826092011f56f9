/**
 * Writing a revision takes the migrations folder's revision lock (a file created exclusively), so runs that
 * overlap write one after the other and never leave two heads behind. The test holds the lock itself, by
 * creating the file, to make the runs overlap deterministically.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { retortBin, runCli, type CliResult } from './helpers/cli.js';
import { tempDir } from './helpers/db.js';
import { createProject, DIALECTS, revisionSource, type TestProject } from './helpers/project.js';

const LOCK = '.retort-revision.lock';

/** A retort run in the background: its output so far, a wait for a line on stderr, and its end. */
interface Running {
  waitForStderr(pattern: RegExp): Promise<void>;
  readonly done: Promise<CliResult>;
}

function startCli(p: TestProject, args: readonly string[]): Running {
  const env: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', RETORT_DATABASE_URL: undefined, DATABASE_URL: undefined };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const child = spawn(process.execPath, [retortBin, '--url', p.url, ...args], { cwd: p.dir, env: env as NodeJS.ProcessEnv });
  let stdout = '';
  let stderr = '';
  const listeners = new Set<() => void>();
  child.stdout.on('data', (d) => (stdout += d));
  child.stderr.on('data', (d) => {
    stderr += d;
    for (const l of listeners) l();
  });
  child.stdin.end();
  const done = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
  return {
    done,
    // Resolves when stderr shows `pattern`; fails if the run ends first (it never waited).
    waitForStderr: (pattern) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!pattern.test(stderr)) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        check();
        void done.then((r) => {
          if (!pattern.test(stderr)) reject(new Error(`the run ended (exit ${r.code}) without printing ${pattern}: ${r.stderr}`));
        });
      }),
  };
}

/** Holds the project's revision lock as a live process (this one) would. */
function holdLock(p: TestProject, pid = process.pid): () => void {
  const file = path.join(p.dir, 'migrations', LOCK);
  writeFileSync(file, JSON.stringify({ pid, host: os.hostname() }), { flag: 'wx' });
  return () => unlinkSync(file);
}

function revisionFiles(p: TestProject): string[] {
  return readdirSync(path.join(p.dir, 'migrations')).filter((f) => f.endsWith('.ts')).sort();
}

function downRevisionOf(p: TestProject, file: string): string {
  return /export const downRevision = (.*);/.exec(readFileSync(path.join(p.dir, 'migrations', file), 'utf8'))![1]!;
}

async function heads(p: TestProject): Promise<string[]> {
  const r = await p.retort('heads');
  assert.equal(r.code, 0, r.stderr);
  return r.stdout.trim().split('\n').filter(Boolean);
}

describe('the revision lock', () => {
  test('two revisions started while another run writes wait, then write one after the other: a single head', async () => {
    const p = await createProject('sqlite', { empty: true });
    try {
      const release = holdLock(p);
      const a = startCli(p, ['revision', '-m', 'a', '--rev-id', 'aaaa']);
      const b = startCli(p, ['revision', '-m', 'b', '--rev-id', 'bbbb']);
      const waiting = new RegExp(`^waiting for pid ${process.pid}, which is writing a revision \\(lock file migrations/${LOCK.replace('.', '\\.')}\\)$`, 'm');
      await Promise.all([a.waitForStderr(waiting), b.waitForStderr(waiting)]);
      assert.deepEqual(revisionFiles(p), [], 'nothing written while the lock is held');
      release();
      const [ra, rb] = await Promise.all([a.done, b.done]);
      assert.equal(ra.code, 0, ra.stderr);
      assert.equal(rb.code, 0, rb.stderr);
      assert.deepEqual(revisionFiles(p), ['aaaa_a.ts', 'bbbb_b.ts']);
      // Whichever went first is the base and the other its child.
      const parents = [downRevisionOf(p, 'aaaa_a.ts'), downRevisionOf(p, 'bbbb_b.ts')].sort();
      assert.ok(JSON.stringify(parents) === `["'aaaa'","null"]` || JSON.stringify(parents) === `["'bbbb'","null"]`, parents.join(' '));
      assert.equal((await heads(p)).length, 1);
      assert.ok(!existsSync(path.join(p.dir, 'migrations', LOCK)), 'the lock file is removed');
    } finally {
      await p.cleanup();
    }
  });

  test('a revision the lock holder writes meanwhile becomes the parent of the run that waited', async () => {
    const p = await createProject('sqlite', { empty: true });
    try {
      p.writeRevision('r0_root.ts', revisionSource('r0', null, 'root', ''));
      const release = holdLock(p);
      const next = startCli(p, ['revision', '-m', 'next', '--rev-id', 'r2']);
      await next.waitForStderr(/^waiting for pid \d+/m);
      // What the holder writes meanwhile: the run that waited reads the heads again once it has the lock.
      p.writeRevision('r1_holder.ts', revisionSource('r1', 'r0', 'holder', ''));
      release();
      const r = await next.done;
      assert.equal(r.code, 0, r.stderr);
      assert.equal(downRevisionOf(p, 'r2_next.ts'), "'r1'");
      assert.deepEqual(await heads(p), ['r2 (head)']);
    } finally {
      await p.cleanup();
    }
  });

  test('a lock left by a process that died is taken over; a held one times out with one line naming the file and its holder', async () => {
    const p = await createProject('sqlite', { empty: true });
    try {
      const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
      holdLock(p, Number(dead.stdout));
      const r = await p.retort('revision', '-m', 'after a crash', '--rev-id', 'e1');
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /waiting/);
      assert.ok(!existsSync(path.join(p.dir, 'migrations', LOCK)));

      writeFileSync(path.join(p.dir, 'retort.config.ts'), `export default { migrations: 'migrations', lockTimeout: 0.3 };\n`);
      const release = holdLock(p);
      const timedOut = await p.retort('revision', '-m', 'blocked', '--rev-id', 'e2');
      assert.equal(timedOut.code, 1, timedOut.stderr);
      const lines = timedOut.stderr.trimEnd().split('\n');
      assert.match(lines[0]!, /^waiting for pid \d+/);
      assert.equal(lines[1], `error: timed out after 0.3s waiting for the revision lock ${path.join(p.dir, 'migrations', LOCK)}, held by pid ${process.pid}`);
      assert.match(lines[2]!, /^hint: if no retort command is writing a revision there, delete the file/);
      assert.equal(lines.length, 3);
      assert.deepEqual(revisionFiles(p), ['e1_after_a_crash.ts']);
      assert.ok(existsSync(path.join(p.dir, 'migrations', LOCK)), "the holder's lock file is left alone");
      release();

      // A run that fails under the lock still removes it.
      const dup = await p.retort('revision', '-m', 'dup', '--rev-id', 'e1');
      assert.equal(dup.code, 2, dup.stderr);
      assert.ok(!existsSync(path.join(p.dir, 'migrations', LOCK)));
    } finally {
      await p.cleanup();
    }
  });

  test('a lock name that is a symbolic link to nothing is an error naming it, not a wait at full CPU for ever', { timeout: 60_000 }, async () => {
    const p = await createProject('sqlite', { empty: true });
    try {
      symlinkSync(path.join(p.dir, 'nowhere'), path.join(p.dir, 'migrations', LOCK));
      const r = await runCli(['--url', p.url, 'revision', '-m', 'x', '--lock-timeout', '2'], { cwd: p.dir });
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /^error: the revision lock .*\.retort-revision\.lock is a symbolic link \(to .*nowhere\), not a lock a retort command made\nhint: remove it/);
      assert.deepEqual(readdirSync(path.join(p.dir, 'migrations')).filter((f) => f.endsWith('.ts')), []);
    } finally {
      await p.cleanup();
    }
  });

  test('retort init makes git ignore the lock file', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const r = await runCli(['init', 'app'], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(readFileSync(path.join(dir, 'app', 'migrations', '.gitignore'), 'utf8'), `${LOCK}*\n`);
    } finally {
      cleanup();
    }
  });

  for (const dialect of DIALECTS) {
    test(`revision --autogenerate refuses to write when another revision appeared while it waited, on ${dialect}`, async () => {
      const p = await createProject(dialect);
      try {
        assert.equal((await p.retort('upgrade', 'head')).code, 0);
        mkdirSync(path.join(p.dir, 'models'));
        writeFileSync(path.join(p.dir, 'models', 'tags.ts'), `import { serial, table, text } from 'retort-migrate';\nexport const tags = table('tags', { id: serial().primaryKey(), name: text().notNull() });\n`);
        const before = revisionFiles(p);
        const release = holdLock(p);
        const auto = startCli(p, ['revision', '--autogenerate', '-m', 'add tags']);
        await auto.waitForStderr(/^waiting for pid \d+/m);
        p.writeRevision('f0000001_other.ts', revisionSource('f0000001', 'e7b3a0d5c904', 'other', ''));
        release();
        const r = await auto.done;
        assert.equal(r.code, 1, r.stderr);
        assert.match(r.stderr, /^error: another revision \(f0000001\) was written while this one was being generated, so its operations may repeat that one's; nothing was written$/m);
        assert.match(r.stderr, /^hint: apply it \(retort upgrade head\), then run the same `retort revision --autogenerate` again$/m);
        assert.deepEqual(revisionFiles(p), [...before, 'f0000001_other.ts'].sort());
        assert.equal((await heads(p)).length, 1);

        // Once applied, the same command builds on it.
        assert.equal((await p.retort('upgrade', 'head')).code, 0);
        const again = await p.retort('revision', '--autogenerate', '-m', 'add tags', '--rev-id', 'f0000002');
        assert.equal(again.code, 0, again.stderr);
        assert.equal(downRevisionOf(p, 'f0000002_add_tags.ts'), "'f0000001'");
      } finally {
        await p.cleanup();
      }
    });
  }
});
