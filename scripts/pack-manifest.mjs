#!/usr/bin/env node
// `npm pack` / `npm publish` ship package.json as it stands. Around packing, this trims it to what a user's
// install reads (no development scripts, no devDependencies, no install-script approvals for the test
// server's packages), and puts the full file back afterwards: `trim` from prepack, `restore` from postpack.
// A backup left by a pack that failed half-way is restored before trimming again, so nothing is lost.
import { copyFileSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const manifest = path.join(root, 'package.json');
const backup = path.join(root, '.package.json.full');

const mode = process.argv[2];
if (mode === 'trim') {
  if (existsSync(backup)) renameSync(backup, manifest);
  copyFileSync(manifest, backup);
  const pkg = JSON.parse(readFileSync(manifest, 'utf8'));
  delete pkg.scripts;
  delete pkg.devDependencies;
  delete pkg.allowScripts;
  writeFileSync(manifest, `${JSON.stringify(pkg, null, 2)}\n`);
} else if (mode === 'restore') {
  if (existsSync(backup)) renameSync(backup, manifest);
} else {
  console.error('usage: pack-manifest.mjs trim|restore');
  process.exit(2);
}
