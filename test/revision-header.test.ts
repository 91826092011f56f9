// Header parsing and folder scanning: revision files are read, never run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isRetortError } from '../src/errors.js';
import { invalidIdReason, parseRevisionHeader } from '../src/revisions/revision-header.js';
import { isRevisionFileName, listRevisionFiles, scanRevisions } from '../src/revisions/revision-scan.js';
import { tempDir } from './helpers/db.js';

const good: { name: string; text: string; want: Partial<Record<'revision' | 'downRevisions' | 'dependsOn' | 'branchLabels' | 'message' | 'createDate', unknown>> }[] = [
  {
    name: 'single quotes, null parent',
    text: "export const revision = 'aaa111';\nexport const downRevision = null;\nexport const message = 'create users';\nexport const createDate = '2024-01-01T00:00:00.000Z';\n",
    want: { revision: 'aaa111', downRevisions: [], message: 'create users', createDate: '2024-01-01T00:00:00.000Z', branchLabels: [], dependsOn: [] },
  },
  {
    name: 'double quotes, type annotations, string parent',
    text: 'export const revision: string = "bbb222";\nexport const downRevision: string | null = "aaa111";\nexport const message: string = "say \\"hi\\"";\n',
    want: { revision: 'bbb222', downRevisions: ['aaa111'], message: 'say "hi"', createDate: null },
  },
  {
    name: 'template literals and merge array over lines with trailing comma',
    text: "export const revision = `ccc333`;\nexport const downRevision = [\n  'aaa111', // left\n  \"bbb222\",\n];\nexport const message = `merge`;\n",
    want: { revision: 'ccc333', downRevisions: ['aaa111', 'bbb222'], message: 'merge' },
  },
  {
    name: 'branch labels as a string, dependsOn as an array, as const',
    text: "export const revision = 'ddd444' as const;\nexport const downRevision = null;\nexport const branchLabels = 'billing';\nexport const dependsOn = ['aaa111'] as const;\n",
    want: { revision: 'ddd444', branchLabels: ['billing'], dependsOn: ['aaa111'], message: '' },
  },
  {
    name: 'headers in comments and strings are ignored',
    text: "/*\nexport const revision = 'nope01';\n*/\n// export const revision = 'nope02';\nconst s = \"export const revision = 'nope03'\";\nexport const revision = 'eee555';\nexport const downRevision = null;\n",
    want: { revision: 'eee555' },
  },
  {
    name: 'escapes in the message and a message that contains a header line',
    text: "export const revision = 'fff666'; export const downRevision = null;\nexport const message = 'it\\'s a \\u00e9 \\x41\\nline; export const revision = \\'zzz\\'';\n",
    want: { revision: 'fff666', message: "it's a é A\nline; export const revision = 'zzz'" },
  },
  {
    name: 'CommonJS exports',
    text: "exports.revision = 'ggg777';\nexports.downRevision = 'fff666';\nexports.message = 'cjs';\n",
    want: { revision: 'ggg777', downRevisions: ['fff666'], message: 'cjs' },
  },
  {
    name: "TypeScript's CommonJS output: the exports declared `void 0` first, assigned after",
    text: `"use strict";\nObject.defineProperty(exports, "__esModule", { value: true });\nexports.createDate = exports.message = exports.downRevision = exports.revision = void 0;\nexports.upgrade = upgrade;\nexports.revision = 'ccc333';\nexports.downRevision = 'bbb222';\nexports.message = 'compiled';\nexports.createDate = '2026-11-22T04:03:00.000Z';\n`,
    want: { revision: 'ccc333', downRevisions: ['bbb222'], message: 'compiled', createDate: '2026-11-22T04:03:00.000Z' },
  },
  {
    name: 'optional exports after the functions are still found',
    text: "export const revision = 'hhh888';\nexport const downRevision = null;\nexport function upgrade() { const x = '/*'; }\nexport const branchLabels = ['late'];\n",
    want: { branchLabels: ['late'] },
  },
];

for (const c of good) {
  test(`header: ${c.name}`, () => {
    const h = parseRevisionHeader(c.text, 'm/x.ts');
    for (const [k, v] of Object.entries(c.want)) assert.deepEqual((h as unknown as Record<string, unknown>)[k], v, k);
    assert.equal(h.file, 'm/x.ts');
  });
}

const bad: { name: string; text: string; message: RegExp; hint?: RegExp }[] = [
  { name: 'computed parent', text: "export const revision = 'a1';\nexport const downRevision = getParent();\n", message: /^m\/x\.ts: cannot read `downRevision`: expected a string, an array of strings or null$/ },
  { name: 'concatenated parent', text: "export const revision = 'a1';\nexport const downRevision = 'a' + 'b';\n", message: /cannot read `downRevision`: expected a string, an array of strings or null/ },
  { name: 'template with substitution', text: "export const revision = `a${1}`;\nexport const downRevision = null;\n", message: /cannot read `revision`: expected a string$/ },
  { name: 'array of numbers', text: "export const revision = 'a1';\nexport const downRevision = [1, 2];\n", message: /cannot read `downRevision`/ },
  { name: 'revision is an array', text: "export const revision = ['a1'];\nexport const downRevision = null;\n", message: /cannot read `revision`: expected a string/ },
  { name: 'message is null-typed wrong', text: "export const revision = 'a1';\nexport const downRevision = null;\nexport const message = ['x'];\n", message: /cannot read `message`: expected a string/ },
  { name: 'no revision', text: 'export const downRevision = null;\n', message: /no `export const revision = '\.\.\.'` found/ },
  { name: 'no downRevision', text: "export const revision = 'a1';\n", message: /no `export const downRevision = \.\.\.` found/ },
  { name: 'illegal character in id', text: "export const revision = 'a-1';\nexport const downRevision = null;\n", message: /contains "-": use only letters, digits and _/ },
  { name: 'reserved id', text: "export const revision = 'head';\nexport const downRevision = null;\n", message: /reserved word/ },
  { name: 'id too long', text: `export const revision = '${'a'.repeat(33)}';\nexport const downRevision = null;\n`, message: /longer than 32 characters/ },
  { name: 'revises itself', text: "export const revision = 'a1';\nexport const downRevision = 'a1';\n", message: /downRevision` names the revision itself \('a1'\): a revision cannot revise itself/, hint: /set downRevision to the id of the revision this one follows/ },
  { name: 'unterminated string', text: "export const revision = 'a1;\nexport const downRevision = null;\n", message: /cannot read `revision`/ },
];

for (const c of bad) {
  test(`header error: ${c.name}`, () => {
    assert.throws(() => parseRevisionHeader(c.text, 'm/x.ts'), (e: unknown) => {
      assert.ok(isRetortError(e));
      assert.equal(e.code, 'REVISION_FILE');
      assert.match(e.message, c.message);
      assert.ok(e.message.startsWith('m/x.ts: '), 'names the file');
      assert.ok(e.hint, 'has a hint');
      if (c.hint) assert.match(e.hint, c.hint);
      return true;
    });
  });
}

test('invalidIdReason accepts tokens and rejects target syntax, paths and other characters', () => {
  assert.equal(invalidIdReason('1a2b3c4d5e6f'), null);
  assert.equal(invalidIdReason('My_rev_2'), null);
  for (const id of ['', 'a@b', 'a+1', 'a:b', 'a b', 'heads', 'base', 'my_rev.2', '../x', 'a/b', 'a\\b', 'é', 'x'.repeat(33)]) assert.notEqual(invalidIdReason(id), null, id);
});

test('revision file names: sources yes, declarations, index, hidden and private no', () => {
  const cases: [string, boolean][] = [
    ['1a2b_add_users.ts', true], ['1a2b_add.mts', true], ['1a2b.js', true], ['1a2b.mjs', true], ['1a2b.cjs', true],
    ['1a2b.d.ts', false], ['index.ts', false], ['index.js', false], ['_helpers.ts', false], ['.1a2b.ts.tmp', false], ['.hidden.ts', false], ['notes.md', false], ['x.json', false],
  ];
  for (const [name, want] of cases) assert.equal(isRevisionFileName(name), want, name);
});

test('scanRevisions reads every revision file of a folder and skips the rest', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeFileSync(path.join(dir, 'b_second.ts'), "export const revision = 'b';\nexport const downRevision = 'a';\n");
  writeFileSync(path.join(dir, 'a_first.js'), "export const revision = 'a';\nexport const downRevision = null;\n");
  writeFileSync(path.join(dir, 'index.ts'), 'garbage');
  writeFileSync(path.join(dir, 'types.d.ts'), 'garbage');
  mkdirSync(path.join(dir, 'folder.ts'));
  const headers = scanRevisions(dir);
  assert.deepEqual(headers.map((h) => h.revision), ['a', 'b']);
  assert.equal(headers[0]!.file, path.join(dir, 'a_first.js'));
  assert.equal(listRevisionFiles(dir).length, 2);
});

test('scanRevisions on a missing folder says how to create it', () => {
  assert.throws(() => scanRevisions('/nonexistent/retort/migrations'), (e: unknown) => {
    assert.ok(isRetortError(e));
    assert.equal(e.code, 'NOT_FOUND');
    assert.equal(e.message, 'migrations folder /nonexistent/retort/migrations does not exist');
    assert.equal(e.hint, 'run `retort init` or set `migrations` in retort.config.ts');
    return true;
  });
});

test('scanRevisions reports every unreadable file at once', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  writeFileSync(path.join(dir, 'a.ts'), "export const revision = 'a';\nexport const downRevision = f();\n");
  writeFileSync(path.join(dir, 'b.ts'), 'export const downRevision = null;\n');
  assert.throws(() => scanRevisions(dir), (e: unknown) => {
    assert.ok(isRetortError(e));
    assert.match(e.message, /a\.ts: cannot read `downRevision`.*\(and 1 more unreadable revision file\(s\)\)/);
    assert.equal(e.details.length, 1);
    assert.match(e.details[0]!, /b\.ts: no `export const revision/);
    return true;
  });
});

// How fast: `npm run bench -- --revisions 5000 --cases history,heads` (a test on a shared machine cannot time it).
test('5000 headers parse', () => {
  const body = "\nexport function upgrade(op: Op, ctx: MigrationContext): void {\n  op.createTable('t', { id: t.integer().primaryKey() });\n}\n".repeat(5);
  const texts = Array.from({ length: 5000 }, (_, i) => {
    const id = i.toString(16).padStart(12, '0');
    const parent = i === 0 ? 'null' : `'${(i - 1).toString(16).padStart(12, '0')}'`;
    return `/**\n * revision ${i}\n *\n * Revision ID: ${id}\n */\nimport type { MigrationContext, Op } from 'retort-migrate';\n\nexport const revision = '${id}';\nexport const downRevision = ${parent};\nexport const message = 'revision ${i}';\nexport const createDate = '2024-01-01T00:00:00.000Z';\n${body}`;
  });
  for (let i = 0; i < texts.length; i++) assert.equal(parseRevisionHeader(texts[i]!, `${i}.ts`).message, `revision ${i}`);
});
