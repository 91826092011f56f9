/**
 * A signal that comes while `retort upgrade` is still loading (an orchestrator stopping a container right after it
 * started) ends the command as a Ctrl-C during the run does: exit 130, INTERRUPTED, a --json document, nothing run.
 * Before, the first tenth of a second had no handler: SIGTERM's default ended the process with 143 and no output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createProject } from './helpers/project.js';
import { runCli } from './helpers/cli.js';

// Preloaded: sends SIGTERM to the process as the CLI's bundle starts running; Node handles it on a later turn of the
// event loop, while the command is still loading.
const PRELOAD = `const vm = require('node:vm');
const run = vm.Script.prototype.runInThisContext;
let sent = false;
vm.Script.prototype.runInThisContext = function (...args) {
  if (!sent) { sent = true; process.kill(process.pid, 'SIGTERM'); }
  return run.apply(this, args);
};
`;

test('SIGTERM while upgrade is still loading: exit 130, an INTERRUPTED --json document, nothing applied', async () => {
  const p = await createProject('sqlite');
  try {
    const preload = path.join(p.dir, 'early-signal.cjs');
    writeFileSync(preload, PRELOAD);
    const r = await runCli(['--url', p.url, 'upgrade', 'head', '--json'], { cwd: p.dir, env: { NODE_OPTIONS: `--require ${preload}` } });
    assert.equal(r.signal, null, `ended by the signal itself: ${r.stderr}`);
    assert.equal(r.code, 130, r.stderr);
    const doc = JSON.parse(r.stdout) as { command: string; error: { code: string } };
    assert.equal(doc.command, 'upgrade');
    assert.equal(doc.error.code, 'INTERRUPTED');
    assert.deepEqual(await p.tables(), []);
    // A supervisor's SIGTERM gets no keyboard advice.
    assert.match(r.stderr, /Interrupted \(SIGTERM\): stopping the running statement and rolling back \(a second signal quits at once\)/);
    // Writing a script: stopped too (the noted signal is not left unanswered), nothing printed.
    const script = await runCli(['--url', p.url, 'upgrade', 'base:head', '--sql'], { cwd: p.dir, env: { NODE_OPTIONS: `--require ${preload}` } });
    assert.equal(script.code, 130, script.stderr);
    assert.equal(script.stdout, '');
    assert.match(script.stderr, /^error: interrupted before the script was written; nothing was printed$/m);
  } finally {
    await p.cleanup();
  }
});
