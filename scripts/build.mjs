#!/usr/bin/env node
// The build's second half (after `tsc`, which checks the types and writes dist/src/ file by file, as the tests and
// the type declarations use it). It writes the two bundles the command runs from:
// - dist/bundle/retort.cjs: the package and the full CLI (src/bundle.ts), one CommonJS script, so that a command
//   reads one file instead of a hundred or more of Retort's own modules, and bin/retort.cjs can compile it with V8's
//   code cache (Node 20 keeps none for modules). Code a command needs only sometimes (a dialect, the differ, the
//   compilers) is still evaluated only when first imported: esbuild keeps each dynamic import() lazy inside the
//   file. Splitting it into chunks was measured slower (62 files for a no-op autogenerate, against 108 modules
//   unbundled and 1 file bundled). dist/bundle/retort.js is the ES module entry over it.
// - dist/quick.cjs: the quick path of `history`, `heads`, `branches` and `current` (src/cli/quick.ts), one
//   CommonJS file, with the dialect registry and the connectors but no whole dialect.
// Packages stay outside both, loaded from node_modules, but for commander, which dist/bundle/retort.cjs holds (the CLI
// always loads it, and V8's code cache covers it there). A third file, dist/pg.cjs, holds pg and the packages it
// requires (pg-native and pg-cloudflare, which it requires only when asked for them, stay outside): bin/retort.cjs
// compiles it with a code cache of its own on a command's first connection to PostgreSQL.
import { build } from 'esbuild';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const common = { absWorkingDir: root, bundle: true, platform: 'node', target: 'node20', packages: 'external', logLevel: 'warning' };

rmSync(path.join(root, 'dist', 'bundle'), { recursive: true, force: true });
const builtins = new Set(builtinModules);
const NEVER = new Set(['pg-native', 'pg-cloudflare']);
/** The package a bare specifier names (`@scope/name` or `name`). */
const packageOf = (spec) => spec.split('/').slice(0, spec.startsWith('@') ? 2 : 1).join('/');
/**
 * Keeps every package out of a bundle but those named, with what a bundled package requires in turn (a package it
 * requires is bundled too, wherever npm put it), Node's built-ins and pg's optional packages aside.
 */
const bundleOnly = (...names) => {
  const BUNDLED = new Set(names);
  return {
  name: `bundle-${names.join('-')}`,
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      const name = packageOf(args.path);
      if (args.path.startsWith('node:') || builtins.has(name) || NEVER.has(name)) return { path: args.path, external: true };
      if (BUNDLED.has(name) || args.importer.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      return { path: args.path, external: true };
    });
  },
  };
};
await build({
  ...common,
  packages: undefined,
  plugins: [bundleOnly('commander')],
  entryPoints: ['src/bundle.ts'],
  outfile: 'dist/bundle/retort.cjs',
  format: 'cjs',
  define: { 'import.meta.url': '__retortBundleUrl' },
  banner: { js: "var __retortBundleUrl = require('node:url').pathToFileURL(__filename).href;" },
});
// The package's ES module entry requires that same file and names its exports (no second copy, and Node need not
// scan a megabyte of CommonJS for them): a model file the full loader imports gets the objects the command runs.
const cjs = path.join(root, 'dist', 'bundle', 'retort.cjs');
keepAscii(cjs);
const names = Object.keys(createRequire(import.meta.url)(cjs)).filter((k) => k !== 'runCli' && /^[A-Za-z_$][\w$]*$/.test(k));
writeFileSync(
  path.join(root, 'dist', 'bundle', 'retort.js'),
  `// The ES module entry of retort-migrate: the exports of retort.cjs (written by scripts/build.mjs).\nimport { createRequire } from 'node:module';\nconst retort = createRequire(import.meta.url)('./retort.cjs');\nexport const {\n${names.map((n) => `  ${n},`).join('\n')}\n} = retort;\n`,
);

/** Leaves the registry's whole-dialect imports out of the quick bundle: the quick path only ever loads a connector. */
const noWholeDialect = {
  name: 'no-whole-dialect',
  setup(b) {
    b.onResolve({ filter: /-dialect\.js$/ }, (args) => (args.importer.endsWith(path.join('dialects', 'index.ts')) ? { path: args.path, external: true } : undefined));
  },
};
// pg and the packages it requires, one file that bin/retort.cjs compiles with a code cache of its own (loadPg there).
await build({
  ...common,
  packages: undefined,
  plugins: [bundleOnly('pg')],
  entryPoints: ['src/dialects/postgres/pg-lib.ts'],
  outfile: 'dist/pg.cjs',
  format: 'cjs',
});
keepAscii(path.join(root, 'dist', 'pg.cjs'));

await build({
  ...common,
  entryPoints: ['src/cli/quick.ts'],
  outfile: 'dist/quick.cjs',
  format: 'cjs',
  plugins: [noWholeDialect],
  logOverride: { 'empty-import-meta': 'silent' },
});

/**
 * Keeps the bundle ASCII, so that Node reads it into a one-byte string: a single other character made V8 hold the
 * whole 1.3 MB source as a two-byte string (twice the memory, and twice the time to read it: 9.7 against 4.8 ms). esbuild
 * escapes every other character in code (its default charset is ASCII) but copies the comments it keeps as they are:
 * on a comment line, such a character becomes `?`. One anywhere else fails the build.
 */
function keepAscii(file) {
  const text = readFileSync(file, 'utf8');
  if (!/[^\x00-\x7f]/.test(text)) return;
  const lines = text.split('\n').map((line, i) => {
    if (!/[^\x00-\x7f]/.test(line)) return line;
    if (!/^\s*(\/\/|\/\*|\*)/.test(line)) throw new Error(`${file}:${i + 1}: a character outside ASCII outside a comment line: ${line.trim().slice(0, 80)}`);
    return line.replace(/[^\x00-\x7f]/g, '?');
  });
  writeFileSync(file, lines.join('\n'));
}
