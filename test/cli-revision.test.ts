/** init, revision, merge, heads, branches, show, history: the revision-graph commands through the CLI. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createProject, DIALECTS, revisionSource, writeModels } from './helpers/project.js';
import { runCli } from './helpers/cli.js';
import { tempDir } from './helpers/db.js';

describe('revision commands', () => {
  test('init scaffolds a project that works, and refuses to overwrite', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const r = await runCli(['init', 'app'], { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      for (const f of ['retort.config.ts', 'models/index.ts', 'migrations']) assert.ok(existsSync(path.join(dir, 'app', f)), f);
      const again = await runCli(['init', 'app'], { cwd: dir });
      assert.equal(again.code, 2);
      assert.match(again.stderr, /already exists/);
    } finally {
      cleanup();
    }
  });

  test('revision, branches, merge and every listing', async () => {
    const p = await createProject('sqlite', { empty: true });
    try {
      const a = await p.retort('revision', '-m', 'first one', '--rev-id', 'aaaaaaaaaaaa');
      assert.equal(a.code, 0, a.stderr);
      const files = readdirSync(path.join(p.dir, 'migrations'));
      assert.deepEqual(files, ['aaaaaaaaaaaa_first_one.ts']);
      const text = readFileSync(path.join(p.dir, 'migrations', files[0]!), 'utf8');
      assert.match(text, /export const revision = 'aaaaaaaaaaaa';/);
      assert.match(text, /export const downRevision = null;/);
      assert.match(text, /first one/);

      assert.equal((await p.retort('revision', '-m', 'second', '--rev-id', 'bbbbbbbbbbbb')).code, 0);
      const dup = await p.retort('revision', '-m', 'dup', '--rev-id', 'bbbbbbbbbbbb');
      assert.equal(dup.code, 2);
      assert.match(dup.stderr, /already exists/);

      const splice = await p.retort('revision', '-m', 'side', '--rev-id', 'cccccccccccc', '--head', 'aaaaaaaaaaaa');
      assert.equal(splice.code, 1);
      assert.match(splice.stderr, /--splice/);
      const side = await p.retort('revision', '-m', 'side', '--rev-id', 'cccccccccccc', '--head', 'aaaaaaaaaaaa', '--splice', '--branch-label', 'side');
      assert.equal(side.code, 0, side.stderr);

      const heads = await p.retort('heads');
      assert.equal(heads.stdout.trim().split('\n').length, 2);
      const many = await p.retort('revision', '-m', 'where?');
      assert.equal(many.code, 1);
      assert.match(many.stderr, /2 heads/);

      const branches = await p.retort('branches');
      assert.match(branches.stdout, /aaaaaaaaaaaa/);
      assert.match(branches.stdout, /-> bbbbbbbbbbbb/);
      assert.match(branches.stdout, /-> cccccccccccc/);

      const up = await p.retort('upgrade', 'side@head');
      assert.equal(up.code, 0, up.stderr);
      const cur = await p.retort('current');
      assert.match(cur.stdout, /cccccccccccc/);
      // One of two heads applied: check names `upgrade heads` (`upgrade head` refuses several) and how to merge them.
      writeModels(p, `export {};\n`);
      const half = await p.retort('check');
      assert.equal(half.code, 1);
      assert.match(half.stdout, /^not up to date: .*\(run `retort upgrade heads`\)$/m);
      assert.match(half.stdout, /^2 heads: /m);
      const all = await p.retort('upgrade', 'heads');
      assert.equal(all.code, 0, all.stderr);
      const cur2 = await p.retort('current');
      assert.deepEqual(cur2.stdout.trim().split('\n').map((l) => l.split(' ')[0]), ['bbbbbbbbbbbb', 'cccccccccccc']);
      // Both heads applied and the schema as declared, check still fails: a new database's `upgrade head` would refuse.
      writeModels(p, `export {};\n`);
      const split = await p.retort('check');
      assert.equal(split.code, 1, split.stdout + split.stderr);
      assert.match(split.stdout, /^2 heads: bbbbbbbbbbbb, cccccccccccc \(`retort upgrade head` refuses them: join them with `retort merge -m "merge"`\)$/m);
      assert.match(split.stdout, /^The schema matches the models, but see above\.$/m);
      const splitRun = await p.retort('check', '--json');
      const splitJson = JSON.parse(splitRun.stdout) as { ok: boolean; matches: boolean; heads: string[]; warnings: string[] };
      assert.deepEqual([splitJson.ok, splitJson.matches, splitJson.heads.length], [false, true, 2]);
      assert.deepEqual(splitJson.warnings, ['2 heads: bbbbbbbbbbbb, cccccccccccc; `retort upgrade head` refuses them: join them with `retort merge -m "merge"`']);
      assert.match(splitRun.stderr, /^warning: 2 heads: /m, 'on stderr too, as every warning under --json');

      const merge = await p.retort('merge', '-m', 'join', '--rev-id', 'dddddddddddd');
      assert.equal(merge.code, 0, merge.stderr);
      const mergeText = readFileSync(path.join(p.dir, 'migrations', 'dddddddddddd_join.ts'), 'utf8');
      assert.match(mergeText, /downRevision = \[\s*'bbbbbbbbbbbb',\s*'cccccccccccc',?\s*\]/);
      const again = await p.retort('merge', '-m', 'again', 'bbbbbbbbbbbb', 'cccccccccccc');
      assert.equal(again.code, 1, 'merged revisions are no longer heads');
      assert.match(again.stderr, /^error: revision bbbbbbbbbbbb is not a head \(followed by dddddddddddd\): merging it would start a new branch$/m);
      assert.deepEqual(readdirSync(path.join(p.dir, 'migrations')).filter((f) => f.includes('again')), [], 'no file written');
      const upMerge = await p.retort('upgrade', 'head');
      assert.equal(upMerge.code, 0, upMerge.stderr);
      assert.match((await p.retort('current')).stdout, /^dddddddddddd \(head\)/);
      const joined = await p.retort('check');
      assert.doesNotMatch(joined.stdout, /heads:/, 'one head once merged');

      const hist = await p.retort('history', '--indicate-current');
      const lines = hist.stdout.trim().split('\n');
      assert.equal(lines.length, 4);
      // The merge comes after the revision labelled `side`, so it carries the label, as in Alembic.
      assert.match(lines[0]!, /^\(bbbbbbbbbbbb, cccccccccccc\) -> dddddddddddd \(head\) \(side\) \(mergepoint\) \(current\), join$/);
      const plain = await p.retort('history');
      assert.deepEqual(plain.stdout.trim().split('\n').map((l) => /\(side\)/.test(l)), [true, true, false, false], plain.stdout);
      assert.match(hist.stdout, /<base> -> aaaaaaaaaaaa \(branchpoint\), first one/);
      const range = await p.retort('history', '-r', 'bbbb:dddd');
      assert.equal(range.stdout.trim().split('\n').length, 2);

      const show = await p.retort('show', 'cccc');
      assert.match(show.stdout, /Rev: cccccccccccc/);
      assert.match(show.stdout, /Branch names: side/);

      const down = await p.retort('downgrade', 'aaaaaaaaaaaa');
      assert.equal(down.code, 0, down.stderr);
      assert.match((await p.retort('current')).stdout, /^aaaaaaaaaaaa/);
    } finally {
      await p.cleanup();
    }
  });
});

test('post-write hooks run on every new revision file; a failing one is a warning', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    writeFileSync(path.join(p.dir, 'retort.config.ts'), `export default { migrations: 'migrations', postWriteHooks: ['cp "{file}" "{file}.seen"', 'node -e "process.exit(3)"'] };\n`);
    const r = await p.retort('revision', '-m', 'hooked', '--rev-id', 'eeeeeeeeeee1');
    assert.equal(r.code, 0, r.stderr);
    assert.ok(existsSync(path.join(p.dir, 'migrations', 'eeeeeeeeeee1_hooked.ts.seen')));
    assert.match(r.stderr, /warning: post-write hook `node -e "process\.exit\(3\)"` failed \(exit 3\)/);
    const root = await p.retort('revision', '-m', 'second root', '--rev-id', 'eeeeeeeeeee2', '--head', 'base', '--branch-label', 'other');
    assert.equal(root.code, 0, root.stderr);
    assert.match(readFileSync(path.join(p.dir, 'migrations', 'eeeeeeeeeee2_second_root.ts'), 'utf8'), /downRevision = null/);
    assert.equal((await p.retort('heads')).stdout.trim().split('\n').length, 2);
  } finally {
    await p.cleanup();
  }
});

for (const dialect of DIALECTS) {
  test(`an empty revision file upgrades and downgrades on ${dialect}`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      assert.equal((await p.retort('revision', '-m', 'nothing yet')).code, 0);
      const up = await p.retort('upgrade', 'head');
      assert.equal(up.code, 0, up.stderr);
      const down = await p.retort('downgrade', 'base');
      assert.equal(down.code, 0, down.stderr);
      assert.equal((await p.retort('current')).stdout.trim(), 'base (no revision applied)');
    } finally {
      await p.cleanup();
    }
  });
}

for (const dialect of DIALECTS) {
  test(`downgrade to a revision keeps another branch's revision that depends on it (${dialect})`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      const rev = (id: string, down: string | null, table: string, extra = '') =>
        p.writeRevision(`${id}_${table}.ts`, revisionSource(id, down, table, `  op.createTable('${table}', { id: integer().primaryKey() });`, `  op.dropTable('${table}');`, extra));
      rev('1b0000000001', null, 'lib_one', "export const branchLabels = ['lib'];");
      rev('1b0000000002', '1b0000000001', 'lib_two');
      rev('a00000000001', null, 'app_one');
      rev('a00000000002', 'a00000000001', 'app_two', "export const dependsOn = ['1b0000000001'];");
      assert.equal((await p.retort('upgrade', 'heads')).code, 0);
      const down = await p.retort('downgrade', '1b0000000001');
      assert.equal(down.code, 0, down.stderr);
      const tables = await p.tables();
      assert.ok(!tables.includes('lib_two'), 'the revision above the target is undone');
      assert.ok(tables.includes('app_two') && tables.includes('lib_one'), `the dependent revision and its dependency stay: ${tables.join(', ')}`);
    } finally {
      await p.cleanup();
    }
  });
}

for (const dialect of DIALECTS) {
  test(`check fails with several heads, applied or not, and passes once they are merged (${dialect})`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      writeModels(p, `export {};\n`);
      p.writeRevision('a00000000001_base.ts', revisionSource('a00000000001', null, 'base', ''));
      p.writeRevision('b00000000001_left.ts', revisionSource('b00000000001', 'a00000000001', 'left', ''));
      p.writeRevision('c00000000001_right.ts', revisionSource('c00000000001', 'a00000000001', 'right', ''));
      assert.equal((await p.retort('upgrade', 'b00000000001')).code, 0);
      const half = await p.retort('check');
      assert.equal(half.code, 1);
      assert.match(half.stdout, /^not up to date: .*\(run `retort upgrade heads`\)$/m);
      assert.match(half.stdout, /^2 heads: b00000000001, c00000000001 \(`retort upgrade head` refuses them: join them with `retort merge -m "merge"`\)$/m);
      assert.equal((await p.retort('upgrade', 'heads')).code, 0);
      const both = await p.retort('check', '--json');
      assert.equal(both.code, 1);
      const report = JSON.parse(both.stdout) as { ok: boolean; matches: boolean; behind: string[]; heads: string[] };
      assert.deepEqual([report.ok, report.matches, report.behind, report.heads], [false, true, [], ['b00000000001', 'c00000000001']]);
      assert.equal((await p.retort('merge', '-m', 'join', '--rev-id', 'd00000000001')).code, 0);
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      const joined = await p.retort('check');
      assert.equal(joined.code, 0, joined.stdout + joined.stderr);
      assert.match(joined.stdout, /No changes detected/);
    } finally {
      await p.cleanup();
    }
  });
}
