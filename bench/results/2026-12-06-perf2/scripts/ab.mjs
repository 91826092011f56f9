// usage: node ab.mjs ROUNDS DIRPREFIX variant... ; measures wall, client CPU, server backend CPU for `upgrade head` on a fresh db
import { spawn, execFileSync } from 'node:child_process';
import { readFileSync, appendFileSync } from 'node:fs';
const [R, base, ...vars] = process.argv.slice(2);
const args = (process.env.AB_ARGS ?? 'upgrade head').split(' ');
const psql = (sql, db = 'postgres') => execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-qAt', '-d', db, '-c', sql], { encoding: 'utf8' }).trim();
const ticks = (pid) => { try { const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' '); return Number(f[11]) + Number(f[12]); } catch { return null; } };
const res = {};
const out = `/tmp/perf-ab/abrun-${Date.now()}.txt`;
for (let r = 0; r < Number(R); r++) for (const v of vars) {
  const db = `perfab_${v}_${process.pid}`;
  psql(`DROP DATABASE IF EXISTS ${db}`); psql(`CREATE DATABASE ${db}`);
  if (process.env.AB_PREP) execFileSync('node', [`/tmp/perf-roots/${v}/bin/retort.cjs`, ...process.env.AB_PREP.split(' ')], { cwd: `${base}/${v}`, env: { ...process.env, RETORT_DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/${db}` }, stdio: 'ignore' });
  const t0 = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%U %S', 'node', `/tmp/perf-roots/${v}/bin/retort.cjs`, ...args], { cwd: `${base}/${v}`, env: { ...process.env, RETORT_DATABASE_URL: `postgresql://postgres@127.0.0.1:5432/${db}` }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = ''; child.stderr.on('data', (d) => (err += d));
  let bpid = null, last = null, done = false;
  const poll = setInterval(() => {
    if (done) return;
    if (!bpid) { try { const p = execFileSync('psql', ['-h', '127.0.0.1', '-U', 'postgres', '-qAt', '-c', `select pid from pg_stat_activity where datname='${db}' and pid<>pg_backend_pid() limit 1`], { encoding: 'utf8' }).trim(); if (p) bpid = Number(p); } catch {} }
    if (bpid) { const t = ticks(bpid); if (t !== null) last = t; }
  }, 15);
  const code = await new Promise((res) => child.on('exit', res));
  done = true; clearInterval(poll);
  const wall = performance.now() - t0;
  const [u, s] = err.trim().split('\n').pop().split(' ').map(Number);
  if (code !== 0) console.log('FAIL', v, err);
  const row = { v, wall: Math.round(wall), cpu: Math.round((u + s) * 1000), server: last === null ? NaN : last * 10 };
  console.log(JSON.stringify(row)); appendFileSync(out, JSON.stringify(row) + '\n');
  (res[v] ??= []).push(row);
  psql(`DROP DATABASE IF EXISTS ${db}`);
}
const med = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor((s.length - 1) / 2)]; };
for (const [v, rows] of Object.entries(res)) console.log(v, 'median wall', med(rows.map((r) => r.wall)), 'client cpu', med(rows.map((r) => r.cpu)), 'server cpu', med(rows.map((r) => r.server)), 'n', rows.length);
