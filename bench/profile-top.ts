/**
 * Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the
 * most self time. Run directly: `node dist/bench/profile-top.js FILE [K]`.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
}

interface CpuProfile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

/** One row of the summary: a function, its self time and share of the profile. */
export interface HotSpot {
  readonly fn: string;
  readonly where: string;
  readonly selfMs: number;
  readonly percent: number;
}

/** The `k` functions with the most self time, merged by function and location. */
export function topSelfTime(file: string, k = 15): { totalMs: number; rows: HotSpot[] } {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const self = new Map<string, { fn: string; where: string; us: number }>();
  let total = 0;
  // timeDeltas[i] is the time before sample i; attributing it to sample i is how DevTools does it.
  for (let i = 0; i < p.samples.length; i++) {
    const node = byId.get(p.samples[i]!);
    const dt = p.timeDeltas[i] ?? 0;
    total += dt;
    if (!node) continue;
    const cf = node.callFrame;
    const where = cf.url ? `${shorten(cf.url)}:${cf.lineNumber + 1}` : '(native)';
    const key = `${cf.functionName}@${where}`;
    const e = self.get(key) ?? { fn: cf.functionName || '(anonymous)', where, us: 0 };
    e.us += dt;
    self.set(key, e);
  }
  const rows = [...self.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, k)
    .map((e) => ({ fn: e.fn, where: e.where, selfMs: e.us / 1000, percent: total ? (100 * e.us) / total : 0 }));
  return { totalMs: total / 1000, rows };
}

function shorten(url: string): string {
  const p = url.startsWith('file://') ? fileURLToPath(url) : url;
  const nm = p.lastIndexOf('node_modules/');
  if (nm >= 0) return p.slice(nm + 'node_modules/'.length);
  const dist = p.indexOf('/dist/');
  return dist >= 0 ? p.slice(dist + 1) : path.basename(p);
}

/** The summary as a Markdown table. */
export function formatTop(title: string, top: { totalMs: number; rows: HotSpot[] }): string {
  const lines = [`### ${title} (${top.totalMs.toFixed(0)} ms sampled)`, '', '| self ms | % | function | where |', '|---:|---:|---|---|'];
  for (const r of top.rows) lines.push(`| ${r.selfMs.toFixed(1)} | ${r.percent.toFixed(1)} | ${r.fn} | ${r.where} |`);
  return `${lines.join('\n')}\n`;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node dist/bench/profile-top.js FILE.cpuprofile [K]\n');
    process.exitCode = 2;
  } else {
    process.stdout.write(formatTop(path.basename(file), topSelfTime(file, Number(process.argv[3] ?? 15))));
  }
}
