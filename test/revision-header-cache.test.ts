/** The header cache gives what reading the files gives, and notices edits, additions and removals. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, renameSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { scanRevisions } from '../src/revisions/revision-scan.js';
import { HeaderCache, statOf } from '../src/revisions/header-cache.js';
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

/** Waits until a time stamp taken now is settled (header-cache.ts: SETTLE_MS), without a timer that asserts time. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 2100));
/** Writes into the file in place, as `echo >>` or an editor that does not save through a rename: the folder is not touched. */
const editInPlace = (file: string, text: string) => writeFileSync(file, text, { flag: 'r+' });

test('the folder check: a listing, the folder stamp and the watched files vouch for the cache; the files check reads every edit', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const cache = path.join(dir, '..', `${path.basename(dir)}-folder-cache.json`);
  t.after(() => { rmSync(cache, { force: true }); rmSync(`${cache}.stamps`, { force: true }); });
  const ids = Array.from({ length: 20 }, (_, i) => `r${String(i).padStart(2, '0')}`);
  const write = (i: number) => writeFileSync(path.join(dir, `${ids[i]}_m.ts`), rev(ids[i]!, i === 0 ? null : ids[i - 1]!, `message ${i}`));
  // r00 to r02 changed before the other 17, so that they are not among the 16 most recently changed files, which
  // the folder check stats (status-change times cannot be set back, so they are written first).
  for (let i = 0; i < 3; i++) write(i);
  await new Promise((resolve) => setTimeout(resolve, 50));
  for (let i = 3; i < ids.length; i++) write(i);
  const old = 1_700_000_000;
  await settle();
  const plain = scanRevisions(dir);
  assert.deepEqual(scanRevisions(dir, cache, 'folder'), plain, 'first run: files read, folder stamp settled and saved');
  assert.deepEqual(scanRevisions(dir, cache, 'folder'), plain, 'second run: from the cache on the folder check');

  // The head (r19) is watched: an edit in place is seen by the folder check.
  editInPlace(path.join(dir, 'r19_m.ts'), rev('r19', 'r18', 'head edited in place'));
  assert.equal(scanRevisions(dir, cache, 'folder').at(-1)!.message, 'head edited in place');

  // An added file changes the listing; a file saved through a rename changes the folder's stamp.
  writeFileSync(path.join(dir, 'r20_m.ts'), rev('r20', 'r19', 'added'));
  assert.deepEqual(scanRevisions(dir, cache, 'folder').map((h) => h.revision), [...ids, 'r20']);
  await settle();
  scanRevisions(dir, cache, 'folder');
  writeFileSync(path.join(dir, '.r05.tmp'), rev('r05', 'r04', 'saved through a rename'));
  renameSync(path.join(dir, '.r05.tmp'), path.join(dir, 'r05_m.ts'));
  assert.equal(scanRevisions(dir, cache, 'folder')[5]!.message, 'saved through a rename');

  // A folder stamp taken less than a clock tick's margin ago is not trusted: the next run checks every file.
  editInPlace(path.join(dir, 'r00_m.ts'), rev('r00', null, 'old file, in place, just after a change'));
  utimesSync(path.join(dir, 'r00_m.ts'), old, old);
  assert.equal(scanRevisions(dir, cache, 'folder')[0]!.message, 'old file, in place, just after a change');

  // With a settled stamp, an old file (not a head, not recently changed) edited in place is what the folder check
  // does not see (docs/guide/revisions.md); the files check does, and refreshes the cache for the listings.
  await settle();
  scanRevisions(dir, cache, 'files');
  utimesSync(path.join(dir, 'r00_m.ts'), old, old);
  scanRevisions(dir, cache, 'files');
  await settle();
  scanRevisions(dir, cache, 'files');
  editInPlace(path.join(dir, 'r01_m.ts'), rev('r01', 'r00', 'message 1, edited'));
  utimesSync(path.join(dir, 'r01_m.ts'), old, old);
  assert.equal(scanRevisions(dir, cache, 'folder')[1]!.message, 'message 1', 'the documented blind spot');
  assert.equal(scanRevisions(dir, cache, 'files')[1]!.message, 'message 1, edited');
  assert.equal(scanRevisions(dir, cache, 'folder')[1]!.message, 'message 1, edited');
  assert.deepEqual(scanRevisions(dir, cache, 'folder'), scanRevisions(dir));
});

test('the folder check compares the folder listing as readdir gives it, every name included, in its order', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const cache = path.join(dir, '..', `${path.basename(dir)}-listing-cache.json`);
  t.after(() => { rmSync(cache, { force: true }); rmSync(`${cache}.stamps`, { force: true }); });
  writeFileSync(path.join(dir, 'a1_first.ts'), rev('a1', null, 'first'));
  writeFileSync(path.join(dir, 'b2_second.ts'), rev('b2', 'a1', 'second'));
  writeFileSync(path.join(dir, 'README.md'), 'not a revision\n');
  await settle();
  scanRevisions(dir, cache, 'folder');
  const prefix = `${path.resolve(dir)}${path.sep}`;
  const listing = readdirSync(dir);
  const folder = statOf(dir);
  assert.deepEqual(new HeaderCache(cache).unchangedFolder(prefix, listing, folder)?.map((h) => h.revision), ['a1', 'b2']);
  assert.equal(new HeaderCache(cache).unchangedFolder(prefix, [...listing].reverse(), folder), null, 'another order');
  assert.equal(new HeaderCache(cache).unchangedFolder(prefix, listing.filter((n) => n !== 'README.md'), folder), null, 'a name that is no revision file');
});
