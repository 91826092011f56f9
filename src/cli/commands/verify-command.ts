/** `retort verify`: the report of commands/verify.ts as text, or as one JSON document with --json. */
import { isRetortError, messageOf } from '../../errors.js';
import path from 'node:path';
import type { VerifyEvents, VerifyOptions, VerifyReport } from '../../commands/verify.js';
import { info, ms, out, print, progress } from '../output.js';

export interface VerifyCliOptions {
  readonly config?: string;
  readonly url?: string;
  readonly sql?: boolean;
  readonly json?: boolean;
}

/** Progress on stderr: the database used, then one line per revision. */
const textEvents: VerifyEvents = {
  database: (masked, scratch) => progress(`${scratch ? 'Created scratch database' : 'Verifying on'} ${masked}\n`),
  revisionStart: (revision, index, total) => progress(`Verifying ${revision} (${index + 1}/${total}) ...`),
  revisionDone: (t) => progress(` ok (${ms(t.upgradeMs + t.downgradeMs + t.upgradeAgainMs)})\n`),
  check: (check) => progress(check === 'models' ? 'Comparing the models with the database at head\n' : 'Rendering every revision as a script (--sql)\n'),
};

function printText(report: VerifyReport): void {
  const f = report.failure;
  if (f === null) {
    const n = report.verified;
    print(`${out.green('OK')}: ${n} revision${n === 1 ? '' : 's'} verified (upgrade, downgrade, upgrade again; each downgrade restores the schema exactly), the models match at head${report.checks.sql === 'passed' ? ', every revision renders as a script' : ''} (${ms(report.durationMs)}).`);
    return;
  }
  // A line left open by a revision's progress is closed first.
  if (f.check === 'round trips') progress(' failed\n');
  const where = f.revision === null ? '' : ` revision ${f.revision}${f.file ? ` (${path.relative(process.cwd(), f.file)})` : ''}${f.phase ? `, ${f.phase}` : ''}:`;
  print(`${out.red('FAILED')} ${f.check}:${where} ${f.message}`);
  for (const d of f.details) print(`  ${d.replace(/\n/g, '\n  ')}`);
  for (const d of f.differences) print(`  ${d}`);
  if (f.hint) print(out.dim(`hint: ${f.hint}`));
  print(`${report.verified} of ${report.revisions} revision${report.revisions === 1 ? '' : 's'} verified before the failure (${ms(report.durationMs)}).`);
}

/**
 * Ctrl-C (or SIGTERM) stops the run: the running step is cancelled and rolled back and the scratch database dropped.
 * A second one quits at once, leaving the scratch database behind (its name starts with retort_verify_).
 */
function onInterrupt(controller: AbortController): () => void {
  const handler = () => {
    if (controller.signal.aborted) process.exit(130);
    info('Interrupted: stopping, then dropping the scratch database (press Ctrl-C again to quit at once)');
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return () => {
    process.off('SIGINT', handler);
    process.off('SIGTERM', handler);
  };
}

export async function verifyCommand(opts: VerifyCliOptions): Promise<void> {
  const { verify } = await import('../../commands/verify.js');
  const controller = new AbortController();
  const options = { ...(opts.config !== undefined ? { config: opts.config } : {}), ...(opts.url !== undefined ? { url: opts.url } : {}), sql: !!opts.sql, signal: controller.signal };
  const dispose = onInterrupt(controller);
  try {
    await run(verify, options, !!opts.json);
  } finally {
    dispose();
  }
}

async function run(verify: typeof import('../../commands/verify.js').verify, options: VerifyOptions, json: boolean): Promise<void> {
  if (!json) {
    const report = await verify(options, textEvents);
    printText(report);
    if (!report.ok) process.exitCode = 1;
    return;
  }
  try {
    const report = await verify(options);
    print(JSON.stringify({ schemaVersion: 1, command: 'verify', ...report }, null, 2));
    if (!report.ok) process.exitCode = 1;
  } catch (e) {
    // Only expected errors become a document; anything else is a bug and is reported as one.
    if (!isRetortError(e)) throw e;
    print(JSON.stringify({ schemaVersion: 1, command: 'verify', error: { code: e.code, message: messageOf(e), hint: e.hint ?? null, details: e.details } }, null, 2));
    process.exitCode = e.exitCode;
  }
}
