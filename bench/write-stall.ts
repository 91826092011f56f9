/**
 * `node dist/bench/write-stall.js`: how long a busy table's writers wait while a migration runs on PostgreSQL, for
 * the naive plan (safety 'simple') and Retort's generated plan (safety 'online'), in the same run. For each change
 * kind a fresh database gets `orders` with --rows rows through Retort, the models change, autogenerate writes the
 * revision, and `retort upgrade head` runs while a writer does one single-row INSERT or UPDATE every few ms; the
 * figure is the longest any one write took during the upgrade (its stall). Not a timed test: take figures on a quiet
 * machine only. `--rows 1000` is a smoke run.
 */
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { dropAllPgDatabases, freshPgDatabase, pgUrl } from './db.js';
import { STALL_BASE, STALL_KINDS, stallModels, withChange, type StallKind } from './stall-kinds.js';

const USAGE = `usage: node dist/bench/write-stall.js [--rows N] [--interval MS] [--kinds a,b] [--out DIR]
  --rows N        rows in the table (default 1000000; 1000 for a smoke run)
  --interval MS   pause between the writer's statements (default 3)
  --kinds a,b     only these change kinds (default all)
  --out DIR       also write DIR/README.md (the table) and DIR/plans/<kind>-<plan>.ts (each generated revision)
`;

function parseArgs(argv: string[]): { rows: number; interval: number; kinds: string[]; out: string } {
  const a = { rows: 1_000_000, interval: 3, kinds: STALL_KINDS.map((k) => k.id), out: '' };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i]!;
    const val = () => argv[++i] ?? '';
    if (f === '--rows') a.rows = Number(val());
    else if (f === '--interval') a.interval = Number(val());
    else if (f === '--kinds') a.kinds = val().split(',');
    else if (f === '--out') a.out = path.resolve(val());
    else if (f === '-h' || f === '--help') {
      process.stdout.write(`${USAGE}kinds: ${STALL_KINDS.map((k) => k.id).join(', ')}\n`);
      process.exit(0);
    } else throw new Error(`unknown option ${f}\n${USAGE}`);
  }
  return a;
}

function retortRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
}

/** Runs retort in `dir`; throws with its output when it fails. */
function retortSync(dir: string, ...args: string[]): void {
  const r = spawnSync(process.execPath, [path.join(retortRoot(), 'bin', 'retort.cjs'), ...args], { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`retort ${args.join(' ')}: ${r.stderr}`);
}

function retortAsync(dir: string, ...args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(retortRoot(), 'bin', 'retort.cjs'), ...args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`retort ${args.join(' ')}: ${err}`))));
  });
}

/** One writer: alternating single-row INSERT and UPDATE until stopped; returns the longest statement in ms. */
async function writer(url: string, rows: number, interval: number): Promise<{ pid: number; stop: () => Promise<{ maxMs: number; writes: number }> }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const pid = Number((await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid);
  let running = true;
  let maxMs = 0;
  let writes = 0;
  const loop = (async () => {
    for (let i = 0; running; i++) {
      const t0 = performance.now();
      if (i % 2 === 0) await c.query(`INSERT INTO orders (customer_id, code, note, qty, status) VALUES ($1, 'w' || $2 || '-' || clock_timestamp(), 'w', 1, 'new')`, [1 + (i % 1000), i]);
      else await c.query('UPDATE orders SET qty = qty + 1 WHERE id = $1', [1 + Math.floor(Math.random() * rows)]);
      maxMs = Math.max(maxMs, performance.now() - t0);
      writes++;
      await new Promise((r) => setTimeout(r, interval));
    }
  })();
  return {
    pid,
    stop: async () => {
      running = false;
      await loop;
      await c.end();
      return { maxMs, writes };
    },
  };
}

/** What the writer waited on, sampled: the longest wait for a lock it was seen in, and the statement holding it. */
interface LockWait {
  readonly maxLockMs: number;
  readonly blocker: string;
}

/**
 * Polls pg_stat_activity every 25 ms for the writer's backend: when it waits on a lock (wait_event_type 'Lock'),
 * how long its statement has waited and the statement of the session blocking it (pg_blocking_pids). It tells a
 * stall that is a real lock from one that is a slow machine: a slow write with no lock wait seen is CPU or I/O.
 */
async function lockSampler(url: string, writerPid: number): Promise<{ stop: () => Promise<LockWait> }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  let running = true;
  let maxLockMs = 0;
  let blocker = '';
  const q = `SELECT extract(epoch FROM clock_timestamp() - a.query_start) * 1000 AS waited,
      (SELECT string_agg(left(regexp_replace(b.query, '\\s+', ' ', 'g'), 160), ' | ') FROM pg_stat_activity b WHERE b.pid = ANY (pg_blocking_pids(a.pid))) AS blocker
    FROM pg_stat_activity a WHERE a.pid = $1 AND a.wait_event_type = 'Lock'`;
  const loop = (async () => {
    while (running) {
      const r = await c.query<{ waited: string; blocker: string | null }>(q, [writerPid]);
      const row = r.rows[0];
      if (row && Number(row.waited) > maxLockMs) {
        maxLockMs = Number(row.waited);
        blocker = row.blocker ?? '';
      }
      await new Promise((res) => setTimeout(res, 25));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      await c.end();
      return { maxLockMs, blocker };
    },
  };
}

/** The longest write stall while `kind`'s revision runs under `safety`. */
async function measure(kind: StallKind, safety: 'simple' | 'online', rows: number, interval: number, work: string, plans: string | null): Promise<Measured> {
  const db = freshPgDatabase(`stall_${kind.id.replace(/-/g, '_')}_${safety}`);
  const url = pgUrl(db);
  const dir = path.join(work, `${kind.id}-${safety}`);
  mkdirSync(path.join(dir, 'models'), { recursive: true });
  mkdirSync(path.join(dir, 'migrations'));
  mkdirSync(path.join(dir, 'node_modules'));
  symlinkSync(retortRoot(), path.join(dir, 'node_modules', 'retort-migrate'), 'dir');
  // A generous revision lock timeout: the naive plan must run to the end for its stall to be measured.
  writeFileSync(path.join(dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ url: '${url}', migrations: 'migrations', models: ['models/*.ts'], safety: '${safety}', revisionLockTimeout: '10min' });\n`);
  writeFileSync(path.join(dir, 'models', 'm.ts'), stallModels(STALL_BASE));
  retortSync(dir, 'revision', '--autogenerate', '-m', 'base');
  retortSync(dir, 'upgrade', 'head');
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query(`INSERT INTO customers (name) SELECT 'c' || g FROM generate_series(1, 1000) g`);
  await c.query(`INSERT INTO orders (customer_id, code, note, qty, status) SELECT 1 + g % 1000, 'o' || g, 'n', 1 + g % 50, 'new' FROM generate_series(1, $1::int) g`, [rows]);
  await c.query('VACUUM ANALYZE orders');
  await c.end();
  writeFileSync(path.join(dir, 'models', 'm.ts'), stallModels(withChange(STALL_BASE, kind)));
  retortSync(dir, 'revision', '--autogenerate', '-m', kind.id);
  if (plans) {
    const rev = readdirSync(path.join(dir, 'migrations')).find((f) => f.includes(kind.id.replace(/-/g, '_')));
    if (rev) copyFileSync(path.join(dir, 'migrations', rev), path.join(plans, `${kind.id}-${safety === 'simple' ? 'naive' : 'retort'}.ts`));
  }
  const w = await writer(url, rows, interval);
  const s = await lockSampler(url, w.pid);
  // Let the writer settle before the migration starts.
  await new Promise((r) => setTimeout(r, 200));
  const t0 = performance.now();
  await retortAsync(dir, 'upgrade', 'head');
  const migrationMs = performance.now() - t0;
  const { maxMs, writes } = await w.stop();
  const lock = await s.stop();
  return { maxMs, writes, migrationMs, ...lock };
}

interface Measured extends LockWait {
  readonly maxMs: number;
  readonly writes: number;
  readonly migrationMs: number;
}

async function main(): Promise<void> {
  const a = parseArgs(process.argv.slice(2));
  const work = mkdtempSync(path.join(os.tmpdir(), 'retort-stall-'));
  const plans = a.out ? path.join(a.out, 'plans') : null;
  if (plans) mkdirSync(plans, { recursive: true });
  const lines = [
    `# Longest write stall during the migration (PostgreSQL, ${a.rows} rows, a write every ${a.interval} ms)`,
    '',
    `\`node dist/bench/write-stall.js ${process.argv.slice(2).join(' ')}\`; ${new Date().toISOString()}; load average at the start ${os.loadavg().map((l) => l.toFixed(1)).join(' ')} on ${os.cpus().length} cores.`,
    '',
    'Longest write: the slowest single INSERT or UPDATE of the writer while `retort upgrade head` ran. Lock wait: the longest the writer was seen waiting on a lock (pg_stat_activity sampled every 25 ms; 0 = never seen waiting), and the statement that held it.',
    '',
    '| change | naive: longest write (ms) | naive: lock wait (ms) | Retort: longest write (ms) | Retort: lock wait (ms) | naive migration (ms) | Retort migration (ms) | writes (naive / Retort) |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
  ];
  const blockers: string[] = [];
  try {
    for (const kind of STALL_KINDS.filter((k) => a.kinds.includes(k.id))) {
      const naive = await measure(kind, 'simple', a.rows, a.interval, work, plans);
      const safe = await measure(kind, 'online', a.rows, a.interval, work, plans);
      const row = `| ${kind.id} | ${naive.maxMs.toFixed(1)} | ${naive.maxLockMs.toFixed(0)} | ${safe.maxMs.toFixed(1)} | ${safe.maxLockMs.toFixed(0)} | ${naive.migrationMs.toFixed(0)} | ${safe.migrationMs.toFixed(0)} | ${naive.writes} / ${safe.writes} |`;
      lines.push(row);
      process.stderr.write(`${row}\n`);
      for (const [plan, m] of [['naive', naive], ['Retort', safe]] as const) if (m.blocker) blockers.push(`- ${kind.id}, ${plan}: the writer waited behind \`${m.blocker}\``);
    }
  } finally {
    dropAllPgDatabases();
    rmSync(work, { recursive: true, force: true });
  }
  if (blockers.length) lines.push('', 'Statements seen holding the lock the writer waited for (at its longest wait):', '', ...blockers);
  const text = `${lines.join('\n')}\n`;
  if (a.out) writeFileSync(path.join(a.out, 'table.md'), text);
  process.stdout.write(text);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
