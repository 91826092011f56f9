/**
 * The package as a user gets it: packed (with the manifest trimmed as `npm pack` trims it) from a copy of what
 * `files` takes, and installed into empty folders. Installing runs no install scripts and takes the packages from
 * npm's cache when it has them; the one native module, better-sqlite3, gets the build this checkout already
 * compiled (the same locked version), since compiling it again would add minutes and test node-gyp rather than Retort.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './cli.js';

export interface RunResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a program to its end, without the test's database variables unless `env` gives them. */
export function run(cmd: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = {}): RunResult {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', DATABASE_URL: undefined, RETORT_DATABASE_URL: undefined, ...env } });
  return { code: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

export interface PackedPackage {
  /** The folder the tarball and the installs are in. */
  readonly work: string;
  readonly tarball: string;
  /** An empty ES-module project with the packed package installed, as `npm install --save-dev retort-migrate` leaves it. */
  installInto(name: string): string;
  cleanup(): void;
}

/** Packs this checkout's build (run `npm run build` first) into a temporary folder. */
export function packPackage(prefix = 'retort-pack-'): PackedPackage {
  const work = mkdtempSync(path.join(os.tmpdir(), prefix));
  // A copy of what `files` may take, so packing never touches this checkout's package.json or dist/.
  const stage = path.join(work, 'stage');
  for (const entry of ['bin', 'dist/src', 'dist/bundle', 'dist/quick.cjs', 'docs', 'scripts', 'package.json', 'README.md']) {
    if (existsSync(path.join(repoRoot, entry))) cpSync(path.join(repoRoot, entry), path.join(stage, entry), { recursive: true });
  }
  const trim = run(process.execPath, ['scripts/pack-manifest.mjs', 'trim'], stage);
  assert.equal(trim.code, 0, trim.stderr);
  const pack = run('npm', ['pack', '--ignore-scripts', '--pack-destination', work], stage);
  assert.equal(pack.code, 0, pack.stderr);
  const tarball = path.join(work, readdirSync(work).find((f) => f.endsWith('.tgz'))!);
  return {
    work,
    tarball,
    installInto(name) {
      const app = path.join(work, name);
      mkdirSync(app);
      writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name, private: true, type: 'module' }));
      const install = run('npm', ['install', '--save-dev', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', tarball], app);
      assert.equal(install.code, 0, install.stderr);
      cpSync(path.join(repoRoot, 'node_modules', 'better-sqlite3', 'build'), path.join(app, 'node_modules', 'better-sqlite3', 'build'), { recursive: true });
      return app;
    },
    cleanup: () => rmSync(work, { recursive: true, force: true }),
  };
}
