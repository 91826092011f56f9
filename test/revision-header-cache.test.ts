/** The header cache gives what reading the files gives, and notices edits, additions and removals. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { scanRevisions } from '../src/revisions/revision-scan.js';
import { tempDir } from './helpers/db.js';

const rev = (id: string, down: string | null, message: string) =>
  `export const revision = '${id}';\nexport const downRevision = ${down ? `'${down}'` : 'null'};\nexport const message = '${message}';\nexport function upgrade() {}\nexport function downgrade() {}\n`;

test('cached headers equal read ones and follow edits, additions and removals', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const cache = path.join(dir, 'cache', 'headers.json');
  writeFileSync(path.join(dir, 'a1_first.ts'), rev('a1', null, 'first'));
  writeFileSync(path.join(dir, 'b2_second.ts'), rev('b2', 'a1', 'second'));
  const plain = scanRevisions(dir);
  assert.deepEqual(scanRevisions(dir, cache), plain, 'first run fills the cache');
  assert.deepEqual(scanRevisions(dir, cache), plain, 'second run reads it');

  writeFileSync(path.join(dir, 'b2_second.ts'), rev('b2', 'a1', 'second, renamed message'));
  writeFileSync(path.join(dir, 'c3_third.ts'), rev('c3', 'b2', 'third'));
  rmSync(path.join(dir, 'a1_first.ts'));
  writeFileSync(path.join(dir, 'a1_first.ts'), rev('a1', null, 'first again'));
  const after = scanRevisions(dir, cache);
  assert.deepEqual(after, scanRevisions(dir));
  assert.deepEqual(after.map((h) => h.message), ['first again', 'second, renamed message', 'third']);
  rmSync(path.join(dir, 'c3_third.ts'));
  assert.deepEqual(scanRevisions(dir, cache).map((h) => h.revision), ['a1', 'b2']);
  writeFileSync(cache, '{ not json');
  assert.deepEqual(scanRevisions(dir, cache), scanRevisions(dir), 'a broken cache is ignored');
});

test('with a cache, folders and broken or looping links named like revision files are skipped, as without one', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const cache = path.join(dir, '..', `${path.basename(dir)}-cache.json`);
  t.after(() => rmSync(cache, { force: true }));
  writeFileSync(path.join(dir, 'a1_first.ts'), rev('a1', null, 'first'));
  writeFileSync(path.join(dir, 'b2_second.ts'), rev('b2', 'a1', 'second'));
  mkdirSync(path.join(dir, 'c3_folder.ts'));
  symlinkSync(path.join(dir, 'missing.ts'), path.join(dir, 'd4_broken.ts'));
  symlinkSync(path.join(dir, 'e5_loop.ts'), path.join(dir, 'e5_loop.ts'));
  writeFileSync(path.join(dir, 'x_target.txt'), rev('f6', 'b2', 'linked'));
  symlinkSync(path.join(dir, 'x_target.txt'), path.join(dir, 'f6_link.ts'));
  const plain = scanRevisions(dir);
  assert.deepEqual(plain.map((h) => h.revision), ['a1', 'b2', 'f6'], 'a link to a file is followed');
  assert.deepEqual(scanRevisions(dir, cache), plain, 'first run, filling the cache');
  assert.deepEqual(scanRevisions(dir, cache), plain, 'second run, from the cache');
});

test('an edit that keeps the size and puts the modification time back is still noticed', (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const cache = path.join(dir, 'cache', 'headers.json');
  const file = path.join(dir, 'b2_second.ts');
  writeFileSync(path.join(dir, 'a1_first.ts'), rev('a1', null, 'first'));
  writeFileSync(file, rev('b2', 'a1', 'second'));
  const stamp = 1_700_000_000; // whole seconds, so that setting it again gives the very same mtimeMs
  utimesSync(file, stamp, stamp);
  assert.deepEqual(scanRevisions(dir, cache).map((h) => h.message), ['first', 'second']);
  const before = statSync(file);
  // Same length, new text; then the old modification time restored, as `touch -r`, rsync -t or an editor may do.
  writeFileSync(file, rev('b2', 'a1', 'sekond'));
  utimesSync(file, stamp, stamp);
  const after = statSync(file);
  assert.equal(after.size, before.size);
  assert.equal(after.mtimeMs, before.mtimeMs);
  assert.deepEqual(scanRevisions(dir, cache).map((h) => h.message), ['first', 'sekond']);
});
