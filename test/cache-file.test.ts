/**
 * writeCacheFile (src/cache-file.ts): a cache file is written whole or not at all, from one text or from texts
 * written one after another, and a failure leaves neither the file nor its temporary copy.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { writeCacheFile } from '../src/cache-file.js';
import { tempDir } from './helpers/db.js';

test('parts are written one after another, and a failure midway leaves nothing behind', () => {
  const { dir, cleanup } = tempDir();
  try {
    const file = path.join(dir, 'cache', 'entry.txt');
    assert.equal(writeCacheFile(file, ['one\n', 'two\n', 'three']), true);
    assert.equal(readFileSync(file, 'utf8'), 'one\ntwo\nthree');

    function* failing(): Generator<string> {
      yield 'half of a new entry';
      throw new Error('the writer gave up');
    }
    assert.equal(writeCacheFile(file, failing()), false);
    assert.equal(readFileSync(file, 'utf8'), 'one\ntwo\nthree', 'the entry before stays whole');
    assert.deepEqual(readdirSync(path.dirname(file)), ['entry.txt'], 'no temporary file is left');

    // A file where the folder should be: not written, no error.
    writeFileSync(path.join(dir, 'blocked'), '');
    assert.equal(writeCacheFile(path.join(dir, 'blocked', 'entry.txt'), ['x']), false);
    assert.equal(existsSync(path.join(dir, 'blocked', 'entry.txt')), false);
  } finally {
    cleanup();
  }
});
