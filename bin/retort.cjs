#!/usr/bin/env node
// The `retort` command. The CLI lives in dist/ (shipped in the published package; built by `npm run build` in a clone).
// This file is CommonJS so that `history`, `heads`, `branches` and `current` can run from dist/quick.cjs without Node
// starting its ES module loader; every other command, form and error goes to the full CLI (dist/src/cli/main.js).
'use strict';
const { writeSync } = require('node:fs');

let settled = false;
// A promise that never settles ends a Node process quietly with exit code 0; never let that pass as success.
process.on('exit', (code) => {
  if (!settled && code === 0) {
    process.stderr.write('error: retort stopped before it finished (internal error); run again with --debug and report it\n');
    process.exitCode = 1;
  }
});

// A closed pipe (`retort history | head`) ends the command quietly, as other CLIs do; any other failure to write
// the output (a full disk, a closed descriptor) is one clear line and exit code 1.
function outputFailed(e) {
  settled = true;
  if (e && e.code === 'EPIPE') process.exit(0);
  const why = e && e.code ? `${e.code}${e.message ? `: ${String(e.message).replace(/^\w+: /, '')}` : ''}` : String(e);
  try {
    writeSync(2, `error: cannot write the output (${why})\nhint: check where standard output goes (a full disk, a closed pipe or descriptor)\n`);
  } catch {
    // stderr is gone too: the exit code is all that is left
  }
  process.exit(1);
}

let stdoutWatched = false;
function stdout() {
  if (!stdoutWatched) {
    stdoutWatched = true;
    process.stdout.on('error', outputFailed);
  }
  return process.stdout;
}

/** Writes the quick path's output in one go, without creating process.stdout (that loads Node's networking code). */
function writeOut(text) {
  let buf = Buffer.from(text);
  try {
    while (buf.length > 0) buf = buf.subarray(writeSync(1, buf));
  } catch (e) {
    // A non-blocking stdout that is full: the stream writes the rest as the reader takes it.
    if (e && e.code === 'EAGAIN') stdout().write(buf);
    else outputFailed(e);
  }
}

// The full CLI runs from its bundle (dist/bundle/retort.js, written by scripts/build.mjs): one file instead of a hundred
// or more of Retort's modules. RETORT_BUNDLE=0, or a build without it (`tsc` alone), runs the compiled modules.
function full() {
  stdout();
  const bundled = process.env.RETORT_BUNDLE !== '0' && require('node:fs').existsSync(require('node:path').join(__dirname, '..', 'dist', 'bundle', 'retort.js'));
  (bundled ? import('../dist/bundle/retort.js').then((m) => m.runCli) : import('../dist/src/cli/main.js').then((m) => m.main)).then(
    async (main) => {
      const code = await main(process.argv);
      settled = true;
      process.exitCode = code;
    },
    (e) => {
      settled = true;
      if (e && e.code === 'ERR_MODULE_NOT_FOUND' && /dist\/(src\/cli\/main|bundle\/retort)\.js/.test(String(e.message))) {
        process.stderr.write('error: retort is not built: run `npm run build` in the retort-migrate package\n');
      } else {
        process.stderr.write(`error: ${e && e.stack ? e.stack : e}\n`);
      }
      process.exitCode = 1;
    },
  );
}

// Only argv that names one of the quick commands loads the quick path (RETORT_QUICK=0 turns it off, to compare).
// These are the keys of listingOptions in src/cli/options.ts; this file runs unbuilt, so it names them itself.
const QUICK_COMMANDS = ['current', 'history', 'heads', 'branches'];
let quick = null;
if (process.env.RETORT_QUICK !== '0' && process.argv.some((a) => QUICK_COMMANDS.includes(a))) {
  try {
    quick = require('../dist/quick.cjs');
  } catch {
    quick = null; // not built (an older build, or `tsc` alone): the full CLI does everything
  }
}
if (quick) {
  quick.quickMain(process.argv, writeOut).then(
    (code) => {
      if (code === null) return full();
      settled = true;
      process.exitCode = code;
    },
    () => full(),
  );
} else {
  full();
}
