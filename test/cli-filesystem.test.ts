/**
 * Filesystem failures: a read-only SQLite database and a revision file that
 * cannot be written. One line each, non-zero exit, nothing half-written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, readdirSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { createProject } from './helpers/project.js';
import { retortBin } from './helpers/cli.js';

function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test('a read-only SQLite database: writing commands stop before touching it, reading ones work', async () => {
  const p = await createProject('sqlite');
  try {
    assert.equal((await p.retort('upgrade', '3f1c2a9d0b01')).code, 0);
    const db = path.join(p.dir, 'test.db');
    // Root ignores file modes, so as root the command runs as `nobody`, to whom the file is read-only.
    const asRoot = process.getuid?.() === 0;
    if (asRoot) {
      chmodSync(p.dir, 0o755);
      chmodSync(db, 0o644);
    } else {
      chmodSync(db, 0o444);
    }
    const cmd = (...args: string[]) => (asRoot ? run('runuser', ['-u', 'nobody', '--', process.execPath, retortBin, '--url', p.url, ...args], p.dir) : run(process.execPath, [retortBin, '--url', p.url, ...args], p.dir));
    const up = await cmd('upgrade', 'head');
    assert.equal(up.code, 1, up.stderr);
    assert.match(up.stderr, /^error: SQLite database .*test\.db is read-only for this user/m);
    assert.match(up.stderr, /hint: give this user write access/);
    assert.doesNotMatch(up.stderr, /\n\s+at /);
    const cur = await cmd('current');
    assert.equal(cur.code, 0, cur.stderr);
    assert.match(cur.stdout, /^3f1c2a9d0b01/);
  } finally {
    chmodSync(path.join(p.dir, 'test.db'), 0o644);
    await p.cleanup();
  }
});

test('a revision file that cannot be written leaves nothing behind', { skip: os.platform() !== 'linux' }, async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    // A file-size limit of 1 KiB makes the write fail (EFBIG) after the temporary file exists: the revision lock's
    // file (under 100 bytes) fits, the revision with its long message does not.
    const r = await run('bash', ['-c', `ulimit -f 1; exec "${process.execPath}" "${retortBin}" --url "${p.url}" revision -m "will not fit ${'x'.repeat(1200)}"`], p.dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /^error: cannot write .*will_not_fit_x+\.ts: EFBIG/m);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    assert.deepEqual(readdirSync(path.join(p.dir, 'migrations')), [], 'no file and no temporary file');
  } finally {
    await p.cleanup();
  }
});
