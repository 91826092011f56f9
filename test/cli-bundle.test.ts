/**
 * The command runs from one bundled file (dist/bundle/retort.js, scripts/build.mjs), not from Retort's compiled
 * modules one by one; the bundle is also the package's entry, so a model file that imports `retort-migrate`
 * through the full loader shares its objects with the running command; and the bundle exports what the compiled
 * entry exports.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, retortBin } from './helpers/cli.js';
import { createProject, writeModels } from './helpers/project.js';

/** A loader hook that names on stderr every file of this package the process imports as an ES module (the same file twice when two importers resolve it). */
const HOOK = `data:text/javascript,${encodeURIComponent(
  `export async function resolve(s, c, next) { const r = await next(s, c); if (r.url.includes(${JSON.stringify(`${repoRoot}/`)})) process._rawDebug('imported ' + r.url); return r; }`,
)}`;
const REGISTER = `data:text/javascript,${encodeURIComponent(`import { register } from 'node:module'; register(${JSON.stringify(HOOK)});`)}`;

function importedFiles(args: string[], cwd: string, env: Record<string, string> = {}): { code: number | null; files: string[]; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', REGISTER, retortBin, ...args], { cwd, env: { ...process.env, ...env, NO_COLOR: '1' }, encoding: 'utf8' });
  const files = r.stderr.split('\n').filter((l) => l.startsWith('imported ')).map((l) => l.slice('imported file://'.length).slice(repoRoot.length + 1)).filter((f) => f.startsWith('dist/'));
  return { code: r.status, files: [...new Set(files)], stderr: r.stderr };
}

describe('the bundled command', () => {
  test('the build writes the bundle, and it exports the public API of the compiled entry and the CLI', async () => {
    const bundle = path.join(repoRoot, 'dist', 'bundle', 'retort.js');
    assert.ok(existsSync(bundle), 'npm run build writes dist/bundle/retort.js');
    const bundled = (await import(bundle)) as Record<string, unknown>;
    const compiled = (await import('../src/index.js')) as Record<string, unknown>;
    assert.deepEqual(Object.keys(bundled).filter((k) => k !== 'runCli').sort(), Object.keys(compiled).sort());
    assert.equal(typeof bundled.runCli, 'function');
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { exports: { '.': { default: string } }; main: string };
    assert.equal(pkg.exports['.'].default, './dist/bundle/retort.js');
    assert.equal(pkg.main, './dist/bundle/retort.js');
  });

  test('an autogenerate reads one file of Retort, and RETORT_BUNDLE=0 runs the compiled modules instead', async () => {
    const p = await createProject('sqlite', { empty: true });
    try {
      // A model file that imports another package goes through the full loader, where `retort-migrate` is resolved
      // as Node resolves it: to the same bundle.
      writeModels(p, `import { integer, serial, table } from 'retort-migrate';\nexport const here = import.meta.url;\nexport const t = table('t', { id: serial().primaryKey(), n: integer() });\n`);
      const bundled = importedFiles(['revision', '--autogenerate', '-m', 'one'], p.dir, { RETORT_DATABASE_URL: p.url });
      assert.equal(bundled.code, 0, bundled.stderr);
      assert.deepEqual(bundled.files, ['dist/bundle/retort.js'], bundled.stderr);
      const compiled = importedFiles(['check'], p.dir, { RETORT_DATABASE_URL: p.url, RETORT_BUNDLE: '0' });
      assert.ok(compiled.files.includes('dist/src/cli/main.js') && compiled.files.length > 20, compiled.files.join(', '));
      // (The model file's own `retort-migrate` is still the package's entry, the bundle: with RETORT_BUNDLE=0 two
      // copies meet, which the models' brands allow; the bundled command above has only the one.)
      assert.ok(compiled.files.includes('dist/bundle/retort.js'), compiled.files.join(', '));
    } finally {
      await p.cleanup();
    }
  });
});
