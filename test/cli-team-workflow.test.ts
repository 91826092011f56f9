/**
 * Team workflows through the CLI on both dialects: branching off an older revision with autogenerate, a revision
 * rebased after it was applied, a database whose revision file is gone (a branch switch), and their messages.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createProject, DIALECTS, retortOk, writeModels, type TestProject } from './helpers/project.js';

const TABLE = `import { serial, table, text } from 'retort-migrate';
export const t = table('t', { id: serial().primaryKey() });
`;
const WITH_C = TABLE.replace('serial().primaryKey() }', 'serial().primaryKey(), c: text() }');

function revisionFile(p: TestProject, rev: string): string {
  const file = readdirSync(path.join(p.dir, 'migrations')).find((f) => f.startsWith(`${rev}_`));
  assert.ok(file, `a file for ${rev}`);
  return readFileSync(path.join(p.dir, 'migrations', file), 'utf8');
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
  });
}
