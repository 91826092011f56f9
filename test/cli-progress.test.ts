/**
 * The live progress line: drawn on a terminal (run under `script`, which gives the command a pseudo-terminal),
 * never on a pipe, never under --json. Each finished step still prints its plain `Running ...` line.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createProject, DIALECTS, type TestProject } from './helpers/project.js';
import { retortBin } from './helpers/cli.js';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs retort on a pseudo-terminal; returns everything the terminal received. */
function onTerminal(p: TestProject, args: readonly string[]): { code: number | null; output: string } {
  const command = [process.execPath, retortBin, '--url', p.url, ...args].map(quote).join(' ');
  const r = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: p.dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DATABASE_URL: '', RETORT_DATABASE_URL: '' } });
  return { code: r.status, output: r.stdout };
}

for (const dialect of DIALECTS) {
  describe(`progress on ${dialect}`, () => {
    let p: TestProject;
    before(async () => {
      p = await createProject(dialect);
    });
    after(async () => {
      await p.cleanup();
    });

    test('a terminal gets the live line (step count, revision, elapsed) and the plain lines', () => {
      const r = onTerminal(p, ['upgrade', '8a4e0c7b52d2']);
      assert.equal(r.code, 0, r.output);
      assert.match(r.output, /\x1b\[K\[1\/2\] upgrade <base> -> 3f1c2a9d0b01, create users {2}\d+(\.\d+)? m?s \(total \d+(\.\d+)? m?s\)/);
      assert.match(r.output, /\x1b\[K\[2\/2\] upgrade 3f1c2a9d0b01 -> 8a4e0c7b52d2, create prof.* \(total \d/, "cut to 80 columns, the description first");
      assert.match(r.output, /Running upgrade <base> -> 3f1c2a9d0b01, create users \(\d+ ms\)\r?\n/);
      assert.match(r.output, /Upgraded: 2 revisions; now at 8a4e0c7b52d2\./);
    });

    test('no live line under --json, even on a terminal; a pipe gets none either', async () => {
      const r = onTerminal(p, ['downgrade', '-1', '--json']);
      assert.equal(r.code, 0, r.output);
      assert.doesNotMatch(r.output, /\[1\/1\]/);
      assert.match(r.output, /Running downgrade 8a4e0c7b52d2 -> 3f1c2a9d0b01, create profiles \(\d+ ms\)/);
      const piped = await p.retort('upgrade', 'head');
      assert.equal(piped.code, 0, piped.stderr);
      assert.doesNotMatch(piped.stderr, /\x1b|\[\d+\/\d+\]/);
    });
  });
}
