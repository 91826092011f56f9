// Writing revision files: rendered source reads back through the header reader and
// compiles under tsc --strict; ids, slugs; atomic writes that leave nothing behind.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isRetortError } from '../src/errors.js';
import { parseRevisionHeader } from '../src/revisions/revision-header.js';
import { newRevisionId, renderRevisionFile, revisionFileName, slugify, writeFileAtomic, type RevisionFileSpec } from '../src/revisions/revision-writer.js';
import { tempDir } from './helpers/db.js';

const specs: { name: string; spec: RevisionFileSpec }[] = [
  { name: 'first revision, empty bodies', spec: { revision: '1a2b3c4d5e6f', downRevision: null, message: 'create users', createDate: '2024-05-01T12:00:00.000Z' } },
  {
    name: 'merge with labels, dependencies and bodies',
    spec: {
      revision: 'ffee00112233',
      downRevision: ['1a2b3c4d5e6f', '0a0b0c0d0e0f'],
      message: "merge 'heads' \\ and */ more\nsecond line",
      createDate: '2024-05-02T00:00:00.000Z',
      branchLabels: ['billing'],
      dependsOn: ['abcdef012345'],
      imports: ['t'],
      upgradeBody: "    op.addColumn('users', 'age', t.integer());\n    op.execute('select 1');",
      downgradeBody: "op.dropColumn('users', 'age');",
    },
  },
  {
    name: 'async body for a data migration, non-ASCII message',
    spec: { revision: 'aa11bb22cc33', downRevision: 'ffee00112233', message: 'Données: «renommer»', createDate: '2024-05-03T00:00:00.000Z', upgradeBody: "await ctx.query('update users set age = 0');" },
  },
];

for (const { name, spec } of specs) {
  test(`render: ${name} reads back through the header reader`, () => {
    const text = renderRevisionFile(spec);
    const h = parseRevisionHeader(text, 'x.ts');
    assert.equal(h.revision, spec.revision);
    assert.deepEqual(h.downRevisions, spec.downRevision === null ? [] : typeof spec.downRevision === 'string' ? [spec.downRevision] : spec.downRevision);
    assert.equal(h.message, spec.message);
    assert.equal(h.createDate, spec.createDate);
    assert.deepEqual(h.branchLabels, spec.branchLabels ?? []);
    assert.deepEqual(h.dependsOn, spec.dependsOn ?? []);
    assert.match(text, new RegExp(`^/\\*\\*\\n \\* .*\\n[\\s\\S]* \\* Revision ID: ${spec.revision}\\n \\* Revises: `));
    assert.ok(!text.includes('\n\n\n'), 'no double blank lines');
  });
}

test('render: exact output of an empty first revision', () => {
  assert.equal(
    renderRevisionFile(specs[0]!.spec),
    `/**
 * create users
 *
 * Revision ID: 1a2b3c4d5e6f
 * Revises: (none: first revision)
 * Create Date: 2024-05-01T12:00:00.000Z
 */

import type { MigrationContext, Op } from 'retort-migrate';

export const revision = '1a2b3c4d5e6f';
export const downRevision = null;
export const message = 'create users';
export const createDate = '2024-05-01T12:00:00.000Z';

export function upgrade(op: Op, ctx: MigrationContext): void {
  // nothing to do
}

export function downgrade(op: Op, ctx: MigrationContext): void {
  // nothing to do
}
`,
  );
});

test('render: a comment-closing message cannot end the header comment; await makes the function async', () => {
  const merge = renderRevisionFile(specs[1]!.spec);
  assert.ok(merge.includes(" * merge 'heads' \\ and *\\/ more\n * second line\n"));
  assert.ok(merge.includes("  op.addColumn('users', 'age', t.integer());\n  op.execute('select 1');\n}"), 'body re-indented');
  assert.ok(merge.includes("import { t } from 'retort-migrate';"));
  assert.ok(renderRevisionFile(specs[2]!.spec).includes('export async function upgrade(op: Op, ctx: MigrationContext): Promise<void> {'));
});

test('rendered revisions compile under tsc --strict', (t) => {
  const { dir, cleanup } = tempDir('retort-writer-');
  t.after(cleanup);
  // A stand-in for the published package's types: the test checks the file's own TypeScript.
  const pkg = path.join(dir, 'node_modules', 'retort-migrate');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(path.join(pkg, 'package.json'), JSON.stringify({ name: 'retort-migrate', types: 'index.d.ts' }));
  writeFileSync(
    path.join(pkg, 'index.d.ts'),
    'export interface Op { [name: string]: (...args: any[]) => void }\nexport interface MigrationContext { query(sql: string, params?: unknown[]): Promise<unknown[]> }\nexport declare const t: { integer(): unknown };\n',
  );
  const files = specs.map(({ spec }, i) => {
    const f = path.join(dir, `r${i}.ts`);
    writeFileSync(f, renderRevisionFile(spec));
    return f;
  });
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
  const tsc = [path.join(root, 'node_modules', '.bin', 'tsc'), '/work/main/node_modules/.bin/tsc'].find((p) => {
    try {
      readFileSync(p);
      return true;
    } catch {
      return false;
    }
  });
  assert.ok(tsc, 'tsc is installed');
  const r = spawnSync(tsc, ['--noEmit', '--strict', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', '', ...files], { cwd: dir, encoding: 'utf8' });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
});

test('newRevisionId: 12 hex characters, different each time', () => {
  const ids = new Set(Array.from({ length: 100 }, newRevisionId));
  assert.equal(ids.size, 100);
  for (const id of ids) assert.match(id, /^[0-9a-f]{12}$/);
});

test('slugify and revisionFileName', () => {
  const cases: [string, string][] = [
    ['Add users table', 'add_users_table'],
    ['  Crème brûlée: «menu» v2!  ', 'creme_brulee_menu_v2'],
    ['add a very long message that goes on and on past the limit', 'add_a_very_long_message_that_goes_on_and'],
    ['日本語', 'revision'],
    ['', 'revision'],
    ['x'.repeat(60), 'x'.repeat(40)],
  ];
  for (const [message, want] of cases) {
    const slug = slugify(message);
    assert.equal(slug, want, message);
    assert.ok(slug.length <= 40);
  }
  assert.equal(revisionFileName('1a2b3c4d5e6f', 'Add users'), '1a2b3c4d5e6f_add_users.ts');
});

test('writeFileAtomic writes the whole file and refuses to overwrite', (t) => {
  const { dir, cleanup } = tempDir('retort-writer-');
  t.after(cleanup);
  const file = path.join(dir, 'a.ts');
  writeFileAtomic(file, 'one');
  assert.equal(readFileSync(file, 'utf8'), 'one');
  assert.throws(() => writeFileAtomic(file, 'two'), (e: unknown) => isRetortError(e) && e.code === 'WRITE' && e.message === `${file} already exists; not overwriting it`);
  assert.equal(readFileSync(file, 'utf8'), 'one');
  assert.deepEqual(readdirSync(dir), ['a.ts']);
});

test('writeFileAtomic into a missing folder names the path and the reason', () => {
  const file = '/nonexistent-retort-folder/a.ts';
  assert.throws(() => writeFileAtomic(file, 'x'), (e: unknown) => {
    assert.ok(isRetortError(e));
    assert.equal(e.code, 'WRITE');
    assert.equal(e.message, `cannot write ${file}: ENOENT (no such file or directory)`);
    assert.ok(e.hint);
    return true;
  });
});

test('writeFileAtomic that fails half-way (file size limit) leaves no file and no temporary file', (t) => {
  const { dir, cleanup } = tempDir('retort-writer-');
  t.after(cleanup);
  // `ulimit -f` makes the write itself fail with EFBIG after the temporary file exists; works even as root.
  const writer = pathToFileURL(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'revisions', 'revision-writer.js')).href;
  const script = `process.on('SIGXFSZ', () => {}); const m = await import(${JSON.stringify(writer)}); try { m.writeFileAtomic(${JSON.stringify(path.join(dir, 'big.ts'))}, 'x'.repeat(200000)); console.log('written'); } catch (e) { console.log(e.code + ' ' + e.message); }`;
  const r = spawnSync('sh', ['-c', `ulimit -f 8 && exec "${process.execPath}" --input-type=module -e "$0"`, script], { encoding: 'utf8' });
  assert.match(r.stdout, /^WRITE cannot write .*big\.ts: EFBIG \(file too large\)/, r.stdout + r.stderr);
  assert.deepEqual(readdirSync(dir), []);
});
