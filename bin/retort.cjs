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

// A closed pipe (`retort history | head`) ends the command quietly, as other CLIs do, with the exit code it has set
// so far (`check | head` in a CI step with pipefail still fails when check found differences); any other failure to
// write the output (a full disk, a closed descriptor) is one clear line and exit code 1.
function outputFailed(e) {
  settled = true;
  if (e && e.code === 'EPIPE') process.exit(typeof process.exitCode === 'number' ? process.exitCode : 0);
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

/**
 * Writes a text to stdout (1) or stderr (2) in one go, without creating process.stdout or process.stderr (they load
 * Node's networking code, about 13 ms on a pipe). Both CLIs write through it: the quick path, and the full one, to
 * which it is lent as globalThis.__retortWrite (src/cli/fd-write.ts).
 */
function writeFd(fd, text) {
  let buf = Buffer.from(text);
  try {
    while (buf.length > 0) buf = buf.subarray(writeSync(fd, buf));
  } catch (e) {
    // A non-blocking descriptor that is full: the stream writes the rest as the reader takes it.
    if (e && e.code === 'EAGAIN') (fd === 1 ? stdout() : process.stderr).write(buf);
    // stderr gone: there is nowhere left to say anything.
    else if (fd === 1) outputFailed(e);
  }
}

const writeOut = (text) => writeFd(1, text);

/** The names of the bundle's code cache files (and their `.commands` lists), beside it. */
const CACHE_PREFIX = '.retort.cjs-';

/**
 * Runs the full CLI's CommonJS bundle (dist/bundle/retort.cjs) compiled with V8's code cache, which Node 20 keeps for
 * no module, and returns its exports; null when it is not built. The cache is written beside the bundle at the end of
 * a run, holding every function compiled so far (those read from the cache too), and named after the bundle's size
 * and time and V8's version, so that it never serves another build. It is written again only when it is missing or
 * refused, or for a command it has not seen yet (the `.commands` file beside it), so that it soon holds what each
 * command runs while most runs write nothing. The bundle is registered as the module it is, so that
 * `require('retort-migrate')` in a model file the full loader runs gets this very copy. (The quick path's small
 * bundle is required plainly: through a cache it measured slower, `current` 195 against 170 ms.)
 */
function loadBundle() {
  return runCached('bundle/retort.cjs', CACHE_PREFIX, (m, file) => {
    require.cache[file] = m;
    // The bundle's `import()` of packages and of a project's files (importExternal in src/import-external.ts).
    globalThis.__retortImport = (specifier) => import(specifier);
  });
}

/**
 * Runs dist/<file> as a CommonJS module compiled with V8's code cache kept beside it (`<prefix><size>-<time>-v8-
 * <version>.bin`, and the commands it has seen in `.commands`), written as loadBundle says; `before` gets the module
 * before it runs. Null when the file is not built.
 */
function runCached(distFile, prefix, before) {
  const fs = require('node:fs');
  const path = require('node:path');
  const Module = require('node:module');
  const file = path.join(__dirname, '..', 'dist', ...distFile.split('/'));
  let stat;
  try {
    stat = fs.statSync(file);
  } catch {
    return null;
  }
  const dir = path.dirname(file);
  const cacheFile = path.join(dir, `${prefix}${stat.size}-${Math.floor(stat.mtimeMs)}-v8-${process.versions.v8}.bin`);
  const cachedData = readOrNull(fs, cacheFile);
  const seen = cachedData ? String(readOrNull(fs, `${cacheFile}.commands`) ?? '').split('\n') : [];
  const { Script } = require('node:vm');
  const script = new Script(Module.wrap(fs.readFileSync(file, 'utf8')), { filename: file, cachedData: cachedData ?? undefined });
  const command = commandWord(process.argv.slice(2));
  const fresh = !cachedData || script.cachedDataRejected;
  if (fresh || (command !== null && !seen.includes(command) && seen.length < 32)) {
    process.once('exit', () => saveCodeCache(fs, path, cacheFile, prefix, script, fresh ? [command] : [...seen, command]));
  }
  const m = new Module(file, module);
  m.filename = file;
  m.paths = Module._nodeModulePaths(dir);
  before?.(m, file);
  script.runInThisContext().call(m.exports, m.exports, Module.createRequire(file), m, file, dir);
  m.loaded = true;
  return m.exports;
}

function readOrNull(fs, file) {
  try {
    return fs.readFileSync(file);
  } catch {
    return null;
  }
}

/**
 * The command a run names: its first word that is neither an option nor the value of a global option's (`--url X`,
 * `-c X`); null for none. Used for the code cache's list and to know a migrating command early.
 */
function commandWord(args) {
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-c' || a === '--config' || a === '--url') i++;
    else if (!a.startsWith('-')) return /^[a-z][a-z-]{0,19}$/.test(a) ? a : null;
  }
  return null;
}

/** Writes the code cache (and removes those of earlier builds); a folder it cannot write to only costs the speed-up. */
function saveCodeCache(fs, path, cacheFile, prefix, script, commands) {
  try {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, script.createCachedData());
    fs.renameSync(tmp, cacheFile);
    fs.writeFileSync(tmp, commands.filter((c) => c !== null && c !== '').join('\n'));
    fs.renameSync(tmp, `${cacheFile}.commands`);
    const dir = path.dirname(cacheFile);
    const keep = path.basename(cacheFile);
    for (const f of fs.readdirSync(dir)) if (f.startsWith(prefix) && !f.startsWith(keep)) fs.rmSync(path.join(dir, f), { force: true });
  } catch {
    // a read-only package folder, a full disk: runs go on without the cache
  }
}

/** The names of pg's code cache files, beside dist/pg.cjs. */
const PG_CACHE_PREFIX = '.pg.cjs-';

/**
 * pg for the PostgreSQL driver of either CLI (lent as globalThis.__retortLoadPg): dist/pg.cjs, pg and the packages it
 * requires in one file (scripts/build.mjs), compiled with a V8 code cache of its own beside it, kept as the bundle's
 * is (runCached). From node_modules pg is some 30 files, each resolved, read and compiled on every command that
 * connects; inside the bundle, its compiled code would fill the bundle's cache, which SQLite commands read too. Null
 * when dist/pg.cjs is not built: the driver then requires pg from node_modules.
 */
function loadPg() {
  return runCached('pg.cjs', PG_CACHE_PREFIX)?.default ?? null;
}

let pgMemo;
globalThis.__retortLoadPg = () => (pgMemo === undefined ? (pgMemo = loadPg()) : pgMemo);

// RETORT_BUNDLE=0, or a build without the bundle (`tsc` alone), runs the compiled modules (dist/src/).
function full() {
  globalThis.__retortWrite = writeFd;
  let start;
  try {
    const bundle = process.env.RETORT_BUNDLE !== '0' ? loadBundle() : null;
    start = bundle ? Promise.resolve(bundle.runCli) : import('../dist/src/cli/main.js').then((m) => m.main);
  } catch (e) {
    start = Promise.reject(e);
  }
  start.then(
    async (main) => {
      const code = await main(process.argv);
      settled = true;
      process.exitCode = code;
    },
    (e) => {
      settled = true;
      if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/src/cli/main.js')) {
        process.stderr.write('error: retort is not built: run `npm run build` in the retort-migrate package\n');
      } else {
        process.stderr.write(`error: ${e && e.stack ? e.stack : e}\n`);
      }
      process.exitCode = 1;
    },
  );
}

// Ctrl-C or SIGTERM while the migrating commands are still loading (the first tenth of a second, before they set up
// their own handling): noted, not the signal's default (SIGTERM's exit 143, with no message and no --json document);
// the command takes the note over when it sets up and stops at once with INTERRUPTED, exit 130, nothing run. A
// second signal meanwhile quits at once.
const MIGRATING = ['upgrade', 'downgrade', 'stamp'];
if (MIGRATING.includes(commandWord(process.argv.slice(2)))) {
  // `onSignal`: set by the command once it handles signals itself (they are passed on, never lost in between).
  const early = { signal: null, onSignal: null };
  const note = (signal) => {
    if (early.onSignal !== null) return early.onSignal(signal);
    if (early.signal !== null) process.exit(130);
    early.signal = signal;
  };
  process.on('SIGINT', note);
  process.on('SIGTERM', note);
  globalThis.__retortEarlySignal = early;
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
