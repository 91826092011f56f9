/**
 * Team workflows through the CLI on both dialects: branching off an older revision with autogenerate, a revision
 * rebased after it was applied, a database whose revision file is gone (a branch switch), and their messages.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createProject, DIALECTS, retortOk, revisionSource, writeModels, type TestProject } from './helpers/project.js';

const TABLE = `import { serial, table, text } from 'retort-migrate';
export const t = table('t', { id: serial().primaryKey() });
`;
const WITH_C = TABLE.replace('serial().primaryKey() }', 'serial().primaryKey(), c: text() }');

function revisionPath(p: TestProject, rev: string): string {
  const file = readdirSync(path.join(p.dir, 'migrations')).find((f) => f.startsWith(`${rev}_`));
  assert.ok(file, `a file for ${rev}`);
  return path.join(p.dir, 'migrations', file);
}

function revisionFile(p: TestProject, rev: string): string {
  return readFileSync(revisionPath(p, rev), 'utf8');
}

for (const dialect of DIALECTS) {
  describe(`team workflows on ${dialect}`, () => {
    let p: TestProject;
    before(async () => {
      p = await createProject(dialect, { empty: true });
    });
    after(async () => {
      await p.cleanup();
    });

    test('autogenerate --head REV --splice compares the database at REV, not at the heads', async () => {
      writeModels(p, TABLE);
      await retortOk(p, 'revision', '--autogenerate', '-m', 's4', '--rev-id', 's4');
      await retortOk(p, 'upgrade', 'head');
      await retortOk(p, 'revision', '-m', 's5', '--rev-id', 's5');
      await retortOk(p, 'upgrade', 'head');
      writeModels(p, WITH_C);
      // At s5, a branch off s4 would be diffed against s5's schema: wrong on any database at s4.
      const past = await p.retort('revision', '--autogenerate', '-m', 'b', '--head', 's4', '--splice');
      assert.equal(past.code, 1, past.stdout + past.stderr);
      assert.match(past.stderr, /^error: the database is at s5, past s4 \(the revision the new one starts from\)/m);
      assert.match(past.stderr, /^hint: run `retort downgrade s4` first, or build on the database's revision with --head s5$/m);
      assert.doesNotMatch(past.stderr, /\n\s+at /, 'no stack trace');
      // a1 on s5, not applied: the database stands at s5, which is where the new revision starts.
      await retortOk(p, 'revision', '-m', 'a1', '--rev-id', 'a1');
      await retortOk(p, 'revision', '--autogenerate', '-m', 'x', '--head', 's5', '--splice', '--rev-id', 'x1');
      const x1 = revisionFile(p, 'x1');
      assert.match(x1, /export const downRevision = 's5';/);
      assert.match(x1, /op\.addColumn\('t', 'c'/);
      // Behind REV: upgrade to it first.
      await retortOk(p, 'downgrade', 's4');
      const behind = await p.retort('revision', '--autogenerate', '-m', 'y', '--head', 's5', '--splice');
      assert.equal(behind.code, 1, behind.stdout + behind.stderr);
      assert.match(behind.stderr, /^error: the database is at s4, behind s5 /m);
      assert.match(behind.stderr, /^hint: run `retort upgrade s5` first$/m);
      await retortOk(p, 'upgrade', 'heads');
    });

    test('a revision rebased onto a parent that never ran is refused, --allow-changed too, with the way out', async () => {
      const q = await createProject(dialect, { empty: true });
      try {
        writeModels(q, TABLE);
        await retortOk(q, 'revision', '--autogenerate', '-m', 'base', '--rev-id', 'c5c0');
        await retortOk(q, 'upgrade', 'head');
        writeModels(q, TABLE.replace('serial().primaryKey() }', 'serial().primaryKey(), b: text() }'));
        await retortOk(q, 'revision', '--autogenerate', '-m', 'bob', '--rev-id', '07a0');
        await retortOk(q, 'upgrade', 'head');
        // Main gained e23d on c5c0; Bob rebased: 07a0 now revises e23d (downRevision and its docstring).
        const asApplied = revisionFile(q, '07a0');
        q.writeRevision('e23d_main.ts', revisionSource('e23d', 'c5c0', 'main', "  op.addColumn('t', 'e', text());", "  op.dropColumn('t', 'e');"));
        const rebased = asApplied.replace(/\bc5c0\b/g, 'e23d');
        writeFileSync(revisionPath(q, '07a0'), rebased);
        for (const args of [['upgrade', 'head'], ['upgrade', 'head', '--allow-changed']]) {
          const r = await q.retort(...args);
          assert.equal(r.code, 1, r.stdout + r.stderr);
          assert.match(r.stderr, /^error: revision 07a0 ran on c5c0, but its file now revises e23d \(rebased\?\): e23d never ran on this database, and upgrade would skip it/m);
          assert.match(r.stderr, /^hint: put back 07a0's file as it ran .*`retort downgrade 07a0-1`.*`retort upgrade head`$/m);
          assert.doesNotMatch(r.stderr, /--allow-changed/, 'accepting the file would leave e23d unrun for good');
        }
        const check = await q.retort('check');
        assert.match(check.stdout, /^ {2}its parents changed: ran on c5c0, now revises e23d; e23d never ran here/m);
        // The way out: the file as it ran, down past it, the rebased file back, and up: e23d runs, then 07a0.
        writeFileSync(revisionPath(q, '07a0'), asApplied);
        await retortOk(q, 'downgrade', '07a0-1');
        writeFileSync(revisionPath(q, '07a0'), rebased);
        const up = await retortOk(q, 'upgrade', 'head');
        assert.match(up, /Running upgrade c5c0 -> e23d[\s\S]*Running upgrade e23d -> 07a0/);
        await q.query('SELECT b, e FROM t');
      } finally {
        await q.cleanup();
      }
    });

    test('current shows a database revision whose file is gone, with the way out; upgrade refuses with it', async () => {
      const q = await createProject(dialect, { empty: true });
      try {
        await retortOk(q, 'revision', '-m', 'one', '--rev-id', 'r1');
        await retortOk(q, 'revision', '-m', 'two', '--rev-id', 'r2');
        await retortOk(q, 'upgrade', 'head');
        // A branch switch: r2's file is gone, the database still names it.
        const file = revisionPath(q, 'r2');
        renameSync(file, `${file}.away`);
        for (const args of [['current'], ['current', '-v']]) {
          const r = await q.retort(...args);
          assert.equal(r.code, 0, r.stdout + r.stderr);
          assert.match(r.stdout, /^r2 \(no revision file has it\)$/m);
          assert.match(r.stderr, /^warning: the database is at r2, which no file in .* has \(a branch switched or a revert\?\): check out the branch that has r2's file and downgrade there .*`retort stamp <rev> --purge` \(stamp rewrites the version table only and leaves the schema as it is\)$/m);
        }
        const json = JSON.parse((await q.retort('current', '--json')).stdout) as { heads: string[]; missing: string[] };
        assert.deepEqual([json.heads, json.missing], [['r2'], ['r2']]);
        const listed = await q.retort('history', '-i');
        assert.equal(listed.code, 0, listed.stdout + listed.stderr);
        assert.match(listed.stderr, /^warning: the database is at r2, which no file/m);
        const up = await q.retort('upgrade', 'head');
        assert.equal(up.code, 1, up.stdout + up.stderr);
        assert.match(up.stderr, /^error: Can't locate revision identified by 'r2'/m);
        assert.match(up.stderr, /^hint: check out the branch that has r2's file/m);
      } finally {
        await q.cleanup();
      }
    });

    test('history -r across two branches says so; a branch label already used has a hint', async () => {
      const q = await createProject(dialect, { empty: true });
      try {
        await retortOk(q, 'revision', '-m', 'one', '--rev-id', 'b1');
        await retortOk(q, 'revision', '-m', 'a', '--rev-id', 'a1', '--branch-label', 'billing');
        await retortOk(q, 'revision', '-m', 'x', '--rev-id', 'x1', '--head', 'b1', '--splice');
        const across = await q.retort('history', '-r', 'a1:x1');
        assert.equal(across.code, 1, across.stdout + across.stderr);
        assert.match(across.stderr, /^error: 'a1:x1' lists nothing: a1 is not an ancestor of x1 \(they are on different branches: neither is an ancestor of the other\)$/m);
        assert.match(across.stderr, /^hint: they part at b1: list both with -r b1:, or one with -r b1:x1$/m);
        const backwards = await q.retort('history', '-r', 'x1:b1');
        assert.match(backwards.stderr, /^hint: write the older revision first: from:to$/m);
        const taken = await q.retort('revision', '-m', 'again', '--head', 'x1', '--branch-label', 'billing');
        assert.equal(taken.code, 2, taken.stdout + taken.stderr);
        assert.match(taken.stderr, /^error: branch label "billing" is already used by revision a1$/m);
        assert.match(taken.stderr, /^hint: choose another --branch-label, or build on that branch with --head billing@head$/m);
      } finally {
        await q.cleanup();
      }
    });
  });
}
