/**
 * Hardening of `revision` and `merge` through the CLI: revision ids, branch labels and targets are plain
 * tokens that never become a path outside the migrations folder, messages make safe file names, and ids read
 * from revision files follow the same rule.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createProject, DIALECTS, revisionSource, type TestProject } from './helpers/project.js';

function migrationFiles(p: TestProject): string[] {
  return readdirSync(path.join(p.dir, 'migrations')).sort();
}

/** A refused command: the exit code, one error line and a hint, no stack trace. */
function assertRefused(r: { code: number | null; stderr: string }, code: number, message: RegExp): void {
  assert.equal(r.code, code, r.stderr);
  const lines = r.stderr.trimEnd().split('\n');
  assert.equal(lines.filter((l) => l.startsWith('error: ')).length, 1, r.stderr);
  assert.match(lines[0]!, message);
  assert.ok(!/\n\s+at /.test(r.stderr), `no stack trace: ${r.stderr}`);
}

describe('revision ids and messages', () => {
  test('--rev-id is a token: a path, shell text, a control character or 33 characters is a usage error that writes nothing', async () => {
    const p = await createProject('sqlite', { empty: true });
    try {
      const bad = ['../../outside/x', 'a/b', 'a.b', '..', '$(touch pwned)', 'a\nb', 'a\u001b[31mb', 'é', 'x'.repeat(33), ''];
      for (const id of bad) {
        const r = await p.retort('revision', '-m', 't', '--rev-id', id);
        assertRefused(r, 2, /^error: --rev-id: the revision id (is empty|".*" (contains ".*": use only letters, digits and _|is longer than 32 characters))$/);
        assert.ok(!r.stderr.includes('\u001b'), 'the id is shown escaped');
      }
      // A token, but an object's prototype key: such a revision was written and then never listed or run.
      assertRefused(await p.retort('revision', '-m', 't', '--rev-id', '__proto__'), 2, /^error: --rev-id: '__proto__' cannot be a revision id: choose another id$/);
      assertRefused(await p.retort('revision', '-m', 't', '--branch-label', '__proto__'), 2, /__proto__' cannot be a branch label/);
      assert.deepEqual(migrationFiles(p), []);
      assert.ok(!existsSync(path.join(p.dir, '..', 'outside')), 'nothing outside the migrations folder');
      assert.ok(!existsSync(path.join(p.dir, 'pwned')));
    } finally {
      await p.cleanup();
    }
  });

  test('--branch-label is a token too, and --head, --depends-on and merge take only revisions that exist', async () => {
    const p = await createProject('sqlite', { empty: true });
    try {
      assert.equal((await p.retort('revision', '-m', 'root', '--rev-id', 'aaaa')).code, 0);
      for (const label of ['../x', 'a.b', 'x'.repeat(33)]) {
        assertRefused(await p.retort('revision', '-m', 't', '--branch-label', label), 2, /^error: --branch-label: the branch label ".*" (contains ".*": use only letters, digits and _|is longer than 32 characters)$/);
      }
      assertRefused(await p.retort('revision', '-m', 't', '--head', '../../x'), 1, /^error: Can't locate revision identified by '\.\.\/\.\.\/x'$/);
      assertRefused(await p.retort('revision', '-m', 't', '--depends-on', '../x'), 1, /^error: Can't locate revision identified by '\.\.\/x'$/);
      assertRefused(await p.retort('merge', '-m', 't', 'aaaa', '../x'), 1, /^error: Can't locate revision identified by '\.\.\/x'$/);
      assert.deepEqual(migrationFiles(p), ['aaaa_root.ts']);
    } finally {
      await p.cleanup();
    }
  });

  for (const dialect of DIALECTS) {
    test(`label@head and label@-1 follow the labelled branch, not a revision that only dependsOn it (${dialect})`, async () => {
      const p = await createProject(dialect, { empty: true });
      try {
        for (const args of [['--rev-id', 'a1'], ['--rev-id', 'a2'], ['--rev-id', 'b1', '--head', 'a1', '--splice', '--branch-label', 'feat'], ['--rev-id', 'b2', '--head', 'feat@head'], ['--rev-id', 'c1', '--head', 'a2', '--depends-on', 'b1']]) {
          const r = await p.retort('revision', '-m', args[1]!, ...args);
          assert.equal(r.code, 0, r.stderr);
        }
        const shown = await p.retort('show', 'feat@head');
        assert.equal(shown.code, 0, shown.stderr);
        assert.match(shown.stdout, /b2/);
        assert.equal((await p.retort('upgrade', 'heads')).code, 0);
        const down = await p.retort('downgrade', 'feat@-1');
        assert.equal(down.code, 0, down.stderr);
        // b2 went; b1 stays applied, as c1's dependency (so current names c1 alone).
        const current = (await p.retort('current')).stdout;
        assert.doesNotMatch(current, /b2/);
        assert.match(current, /^c1 \(head\)$/m);
      } finally {
        await p.cleanup();
      }
    });

    test(`a revision id that is a branch label, or a label that is a revision id, is refused before anything is written (${dialect})`, async () => {
      const p = await createProject(dialect, { empty: true });
      try {
        assert.equal((await p.retort('revision', '-m', 'root', '--rev-id', 'a1', '--branch-label', 'feat')).code, 0);
        assertRefused(await p.retort('revision', '-m', 'x', '--rev-id', 'feat'), 2, /^error: revision id feat is already the branch label of revision a1$/);
        assertRefused(await p.retort('revision', '-m', 'x', '--rev-id', 'b1', '--branch-label', 'a1'), 2, /^error: branch label "a1" is a revision id \(.*a1_root\.ts\)$/);
        assertRefused(await p.retort('revision', '-m', 'x', '--rev-id', 'b1', '--branch-label', 'b1'), 2, /^error: branch label "b1" is a revision id \(this revision's\)$/);
        assert.deepEqual(migrationFiles(p), ['a1_root.ts']);
        // The project still reads: every command works.
        assert.equal((await p.retort('heads')).code, 0);
        assert.equal((await p.retort('upgrade', 'feat@head')).code, 0);
      } finally {
        await p.cleanup();
      }
    });
  }

  test('a message makes a file name inside the migrations folder; a carriage return or other control character is refused', async () => {
    const p = await createProject('sqlite', { empty: true });
    try {
      assert.equal((await p.retort('revision', '-m', '../../x', '--rev-id', 'r1')).code, 0);
      assert.equal((await p.retort('revision', '-m', 'a\nb/c', '--rev-id', 'r2')).code, 0);
      assert.deepEqual(migrationFiles(p), ['r1_x.ts', 'r2_a_b_c.ts']);
      assert.match(readFileSync(path.join(p.dir, 'migrations', 'r2_a_b_c.ts'), 'utf8'), /export const message = 'a\\nb\/c';/);
      // psql ends a `--` comment at a carriage return: in a --sql script's `-- Running upgrade` line, the rest would run.
      for (const message of ['x\rDROP TABLE users;', 'a\u0007b', 'a\u2028b']) {
        assertRefused(await p.retort('revision', '-m', message, '--rev-id', 'r3'), 2, /^error: -m: the revision message contains a control character \(U\+[0-9A-F]{4}\)$/);
      }
      assert.deepEqual(migrationFiles(p), ['r1_x.ts', 'r2_a_b_c.ts']);
    } finally {
      await p.cleanup();
    }
  });

  test('a revision file whose id, parent, dependency or label is not a token is an error naming the file', async () => {
    const p = await createProject('sqlite', { empty: true });
    try {
      p.writeRevision('a1_ok.ts', revisionSource('a1', null, 'ok', ''));
      const cases: [string, string, RegExp][] = [
        ['b2_bad.ts', revisionSource('../b2', 'a1', 'bad', ''), /cannot read `revision`: the revision id "\.\.\/b2" contains ".*": use only letters, digits and _/],
        ['b2_bad.ts', revisionSource('b2', '../a1', 'bad', ''), /cannot read `downRevision`: the revision id "\.\.\/a1" contains "/],
        ['b2_bad.ts', revisionSource('b2', 'a1', 'bad', '', '', "export const dependsOn = ['a.1'];"), /cannot read `dependsOn`: the revision id "a\.1" contains "/],
        ['b2_bad.ts', revisionSource('b2', 'a1', 'bad', '', '', "export const branchLabels = ['x/y'];"), /cannot read `branchLabels`: the branch label "x\/y" contains "/],
      ];
      for (const [name, source, message] of cases) {
        p.writeRevision(name, source);
        for (const command of [['heads'], ['revision', '-m', 'next']]) {
          const r = await p.retort(...command);
          assertRefused(r, 1, message);
          assert.ok(r.stderr.startsWith(`error: ${path.join(p.dir, 'migrations', name)}: `), r.stderr);
        }
      }
      assert.deepEqual(migrationFiles(p), ['a1_ok.ts', 'b2_bad.ts']);
    } finally {
      await p.cleanup();
    }
  });

  for (const dialect of DIALECTS) {
    test(`a revision file whose message has a carriage return is refused before a --sql script is printed, on ${dialect}`, async () => {
      const p = await createProject(dialect);
      try {
        // Written into the script's `-- Running upgrade` line, the text after \r would run in psql.
        p.writeRevision('f1_bad.ts', revisionSource('f1', 'e7b3a0d5c904', "x\\rDROP TABLE users; --", ''));
        const r = await p.retort('upgrade', 'head', '--sql');
        assertRefused(r, 1, /cannot read `message`: it contains a control character \(U\+000D\)$/);
        assert.ok(r.stderr.startsWith(`error: ${path.join(p.dir, 'migrations', 'f1_bad.ts')}: `), r.stderr);
        assert.equal(r.stdout, '');
      } finally {
        await p.cleanup();
      }
    });

    test(`a 32-character id is written, applied and reported on ${dialect}`, async () => {
      const p = await createProject(dialect);
      try {
        const id = `Aa_${'0'.repeat(29)}`;
        const r = await p.retort('revision', '-m', 'long id', '--rev-id', id);
        assert.equal(r.code, 0, r.stderr);
        const up = await p.retort('upgrade', 'head');
        assert.equal(up.code, 0, up.stderr);
        assert.match((await p.retort('current')).stdout, new RegExp(`^${id} \\(head\\)`));
        assertRefused(await p.retort('revision', '-m', 'too long', '--rev-id', `${id}9`), 2, /is longer than 32 characters/);
      } finally {
        await p.cleanup();
      }
    });
  }
});
