/**
 * The command runs from one bundled file (dist/bundle/retort.cjs, scripts/build.mjs), compiled with V8's code cache
 * that bin/retort.cjs keeps beside it, not from Retort's compiled modules one by one; a model file that the full
 * loader runs gets that same copy for `retort-migrate`; and the bundles export what the compiled entry exports.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { repoRoot, retortBin } from './helpers/cli.js';
import { createProject, writeModels } from './helpers/project.js';

const bundleDir = path.join(repoRoot, 'dist', 'bundle');

/** A loader hook that names on stderr every file of this package the process imports as an ES module. */
const HOOK = `data:text/javascript,${encodeURIComponent(
  `export async function resolve(s, c, next) { const r = await next(s, c); if (r.url.startsWith(${JSON.stringify(`file://${repoRoot}/dist/`)})) process._rawDebug('imported ' + r.url.slice(${`file://${repoRoot}/`.length})); return r; }`,
)}`;
const REGISTER = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(HOOK)});`)}`;
/** A preload that names, at exit, every file of this package in require's cache. */
const preload = path.join(os.tmpdir(), `retort-bundle-preload-${process.pid}.cjs`);
writeFileSync(
  preload,
  `process.on('exit', () => { for (const f of Object.keys(require.cache)) { if (f.startsWith(${JSON.stringify(`${repoRoot}/dist/`)})) process._rawDebug('required ' + f.slice(${repoRoot.length + 1})); ` +
    `const m = /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/]/.exec(f); if (m) process._rawDebug('package ' + m[1]); } });\n`,
);

interface Loaded {
  readonly code: number | null;
  readonly stderr: string;
  readonly imported: string[];
  readonly required: string[];
  /** The packages any of whose files were required from node_modules. */
  readonly packages: string[];
}

function run(args: string[], cwd: string, env: Record<string, string>): Loaded {
  const r = spawnSync(process.execPath, ['--require', preload, '--import', REGISTER, retortBin, ...args], { cwd, env: { ...process.env, ...env, NO_COLOR: '1' }, encoding: 'utf8' });
  const lines = (prefix: string) => [...new Set(r.stderr.split('\n').filter((l) => l.startsWith(prefix)).map((l) => l.slice(prefix.length)))];
  return { code: r.status, stderr: r.stderr, imported: lines('imported '), required: lines('required '), packages: lines('package ') };
}

const codeCaches = () => readdirSync(bundleDir).filter((f) => f.startsWith('.retort.cjs-') && f.endsWith('.bin'));

describe('the bundled command', () => {
  test('the build writes the bundle and its ES module entry, which export the public API of the compiled entry', async () => {
    const compiled = Object.keys(await import('../src/index.js')).sort();
    const esm = (await import(path.join(bundleDir, 'retort.js'))) as Record<string, unknown>;
    const cjs = createRequire(import.meta.url)(path.join(bundleDir, 'retort.cjs')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(cjs).filter((k) => k !== 'runCli').sort(), compiled);
    assert.equal(typeof cjs.runCli, 'function');
    // The ES module entry names the script's exports: the same objects, not a copy.
    assert.deepEqual(Object.keys(esm).sort(), compiled);
    for (const k of compiled) assert.equal(esm[k], cjs[k], k);
    // ASCII only, so that Node reads it into a one-byte string (scripts/build.mjs, keepAscii).
    assert.doesNotMatch(readFileSync(path.join(bundleDir, 'retort.cjs'), 'latin1'), /[^\x00-\x7f]/);
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { exports: { '.': Record<string, string> }; main: string };
    assert.deepEqual(pkg.exports['.'], { types: './dist/src/index.d.ts', require: './dist/bundle/retort.cjs', default: './dist/bundle/retort.js' });
  });

  test('an autogenerate reads one file of Retort, its model file shares it, and a code cache is kept beside it', async () => {
    const p = await createProject('sqlite', { empty: true });
    try {
      // import.meta sends the model file to the full loader, where `retort-migrate` is resolved as Node resolves it.
      // It also checks that what it imported is the very object `require` finds: one copy of Retort in the process.
      writeModels(
        p,
        `import { integer, serial, table } from 'retort-migrate';\nimport { createRequire } from 'node:module';\n` +
          `if (createRequire(import.meta.url)('retort-migrate').table !== table) throw new Error('two copies of retort-migrate');\n` +
          `export const t = table('t', { id: serial().primaryKey(), n: integer() });\n`,
      );
      const env = { RETORT_DATABASE_URL: p.url };
      const first = run(['revision', '--autogenerate', '-m', 'one'], p.dir, env);
      assert.equal(first.code, 0, first.stderr);
      assert.match(first.stderr, /\+ table t/);
      assert.deepEqual(first.imported, ['dist/bundle/retort.js'], 'the model file imported the package entry, nothing else');
      assert.deepEqual(first.required, ['dist/bundle/retort.cjs'], first.stderr);
      assert.equal(codeCaches().length, 1, 'one code cache, for this build and this V8');
      const cache = path.join(bundleDir, codeCaches()[0]!);
      assert.ok(existsSync(`${cache}.commands`) && readFileSync(`${cache}.commands`, 'utf8').split('\n').includes('revision'), 'the command is listed');

      assert.ok(!first.packages.includes('pg') && !first.packages.includes('commander'), `bundled, not required: ${first.packages.join(', ')}`);

      const compiled = run(['check'], p.dir, { ...env, RETORT_BUNDLE: '0' });
      assert.ok(compiled.imported.includes('dist/src/cli/main.js') && compiled.imported.length > 20, compiled.imported.join(', '));
    } finally {
      await p.cleanup();
    }
  });

  test('PostgreSQL commands run pg from dist/pg.cjs with its own code cache: no file of pg, or of a package pg requires, is read from node_modules', async () => {
    const p = await createProject('postgresql');
    const pgCaches = () => readdirSync(path.join(repoRoot, 'dist')).filter((f) => f.startsWith('.pg.cjs-') && f.endsWith('.bin'));
    try {
      const up = run(['upgrade', 'head'], p.dir, { RETORT_DATABASE_URL: p.url });
      assert.equal(up.code, 0, up.stderr);
      assert.match(up.stderr, /Running upgrade/);
      assert.deepEqual(up.required, ['dist/bundle/retort.cjs'], up.stderr);
      for (const name of ['pg', 'pg-protocol', 'pg-types', 'pg-pool', 'pg-connection-string', 'pgpass']) assert.ok(!up.packages.includes(name), `${name} was required: ${up.packages.join(', ')}`);
      assert.equal(pgCaches().length, 1, 'one code cache for pg, for this build and this V8');
      // The quick path (current) takes pg the same way.
      const current = run(['current'], p.dir, { RETORT_DATABASE_URL: p.url });
      assert.equal(current.code, 0, current.stderr);
      assert.ok(!current.packages.includes('pg'), `pg was required: ${current.packages.join(', ')}`);
      // The bundle holds no pg: its code cache, which SQLite commands read too, holds none of pg's code.
      assert.doesNotMatch(readFileSync(path.join(bundleDir, 'retort.cjs'), 'latin1'), /node_modules\/pg\//);
    } finally {
      await p.cleanup();
    }
  });
});
