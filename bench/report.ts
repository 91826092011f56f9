/**
 * Writes the results: bench/results/<date>.json (every sample) and
 * bench/results/latest.md (the table the README links to).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CaseResult, ToolOutcome } from './run-case.js';

/** Facts about the run printed above the table. */
export interface RunInfo {
  readonly date: string;
  readonly node: string;
  readonly postgres: string;
  readonly alembic: string;
  readonly cpus: string;
  readonly runs: number;
  readonly quick: boolean;
  readonly rssMethod: string;
  readonly totalSeconds: number;
}

const fmtMs = (ms: number): string => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);

function cell(o: ToolOutcome | undefined): string {
  if (!o) return '';
  if (o.stats) return `${fmtMs(o.stats.medianMs)} [${fmtMs(o.stats.minMs)}–${fmtMs(o.stats.maxMs)}]`;
  if (o.skipped) return `— (${o.skipped})`;
  return `FAILED${o.failedAfterMs !== null ? ` after ${fmtMs(o.failedAfterMs)}` : ''}: ${(o.error ?? '').replace(/\|/g, '/')}`;
}

function ratio(retort: ToolOutcome | undefined, other: ToolOutcome | undefined): string {
  if (!retort?.stats || !other?.stats) return '';
  if (other.tool === 'psql') return `retort = ${(retort.stats.medianMs / other.stats.medianMs).toFixed(2)}x psql`;
  if (other.tool === 'warm') return `cold = ${(retort.stats.medianMs / other.stats.medianMs).toFixed(2)}x warm`;
  return `retort ${(other.stats.medianMs / retort.stats.medianMs).toFixed(1)}x faster`;
}

const rss = (o: ToolOutcome | undefined): string => (o?.stats?.peakRssMb != null ? `${o.stats.peakRssMb.toFixed(0)} MB` : '');

/** The median of the ratios of runs taken in the same round (a[i] / b[i]): drift between rounds cancels out. */
export function pairedRatio(a: readonly number[], b: readonly number[]): number | null {
  const n = Math.min(a.length, b.length);
  if (n === 0) return null;
  const r = Array.from({ length: n }, (_, i) => a[i]! / b[i]!).sort((x, y) => x - y);
  return n % 2 === 1 ? r[n >> 1]! : (r[n / 2 - 1]! + r[n / 2]!) / 2;
}

/** The Markdown table of `results`; `floorMs` is the median of `node -e 0`. */
export function markdown(info: RunInfo, results: readonly CaseResult[]): string {
  const floor = results.find((r) => r.id === 'floor')?.tools[0]?.stats?.medianMs ?? null;
  const lines = [
    `# Retort benchmark, ${info.date}${info.quick ? ' (quick smoke run: not the issue-6 sizes)' : ''}`,
    '',
    `Node ${info.node}; PostgreSQL ${info.postgres}; Alembic ${info.alembic}; ${info.cpus}. ` +
      `Each figure: median [min–max] of ${info.runs} whole-process runs after one warm-up, the tools alternating run by run. ` +
      'Start-up cases run `node -e 0` in the same rotation; their ratio to it is the median of the ratios within each round (node\'s median in brackets). ' +
      `Peak RSS: ${info.rssMethod}. Total bench time ${(info.totalSeconds / 60).toFixed(1)} min.`,
    '',
    '| case | dialect | N/M | retort median [min–max] | compared with | its median [min–max] | ratio | retort / `node -e 0` | peak RSS retort / other | floor: the statements of the revisions alone, in one request (upgrade, downgrade; Alembic over it: the highest ratio any tool could reach); psql -1 -f of the same SQL (create-all); connect + catalog batch + models (autogenerate); the same work warm, remembered answers forgotten (cold install) |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ];
  for (const r of results) {
    if (r.error) {
      lines.push(`| ${r.label} | ${r.dialect} | ${r.size} | NOT RUN: ${r.error.replace(/\|/g, '/')} | | | | | | |`);
      continue;
    }
    const main = r.tools[0];
    // A start-up case runs `node -e 0` in turn with the tools: its ratio uses those runs, else the floor case's.
    const ownFloor = r.id === 'floor' ? undefined : r.tools.find((t) => t.tool === 'node');
    const tools = r.tools.filter((t) => t !== ownFloor);
    const other = tools[1];
    const paired = main?.stats && ownFloor?.stats ? pairedRatio(main.stats.samplesMs, ownFloor.stats.samplesMs) : null;
    const vsFloor =
      paired !== null
        ? `${paired.toFixed(2)}x (node ${ownFloor!.stats!.medianMs.toFixed(0)} ms)`
        : floor && main?.stats && r.id !== 'floor'
          ? `${(main.stats.medianMs / floor).toFixed(2)}x`
          : '';
    // A third tool is the floor: the server doing the same work without any migration tool (psql running Retort's
    // --sql), or for autogenerate a client that only connects, reads the catalog batch and compiles the models; for
    // the install case, the same check warm with its remembered answers forgotten.
    const server = tools[2];
    const ceiling = server?.tool === 'server' && other?.tool === 'alembic' && other.stats && server.stats ? `; alembic = ${(other.stats.medianMs / server.stats.medianMs).toFixed(2)}x` : '';
    const serverCell = server ? `${cell(server)}${main?.stats && server.stats ? ` (retort = ${(main.stats.medianMs / server.stats.medianMs).toFixed(2)}x${ceiling})` : ''}` : '';
    lines.push(
      `| ${r.label} | ${r.dialect} | ${r.size} | ${cell(main)}${main && main.tool !== 'retort' ? ` (${main.tool})` : ''} | ${other?.tool ?? ''} | ${cell(other)} | ${ratio(main, other)} | ${vsFloor} | ${[rss(main), rss(other)].filter(Boolean).join(' / ')} | ${serverCell} |`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** Writes `<date>.json` and `latest.md` into `dir`; returns their paths. */
export function writeResults(dir: string, info: RunInfo, results: readonly CaseResult[]): { json: string; md: string } {
  mkdirSync(dir, { recursive: true });
  const stamp = info.date.replace(/:/g, '-').replace(/\..*$/, '');
  const json = path.join(dir, `${stamp}.json`);
  const md = path.join(dir, 'latest.md');
  writeFileSync(json, `${JSON.stringify({ info, results }, null, 2)}\n`);
  writeFileSync(md, markdown(info, results));
  return { json, md };
}
