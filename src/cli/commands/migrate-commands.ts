/** upgrade, downgrade and stamp: Ctrl-C, progress, and the report as text or JSON. */
import { downgrade, stamp, upgrade, type MigrateReport } from '../../commands/migrate.js';
import type { CliContext } from '../context.js';
import { cliEvents } from '../events.js';
import { info, out, print, Script } from '../output.js';
import { RetortError } from '../../errors.js';
import { writeErr } from '../fd-write.js';

/**
 * Ctrl-C (or SIGTERM) cancels the statement running (where the database can) or stops before the next one,
 * and rolls back; a second one quits at once (the database rolls back the open transaction itself).
 */
function interruptible(): { signal: AbortSignal; dispose: () => void } {
  let stop = false;
  const controller = new AbortController();
  const handler = (signal?: string) => {
    if (stop) process.exit(130);
    stop = true;
    // SIGTERM comes from a supervisor, not a keyboard: no Ctrl-C advice then.
    const again = signal === 'SIGTERM' ? 'a second signal quits at once' : 'press Ctrl-C again to quit at once';
    info(`Interrupted${signal === 'SIGTERM' ? ' (SIGTERM)' : ''}: stopping the running statement and rolling back (${again})`);
    controller.abort();
  };
  const early = earlySignals();
  if (early) {
    // bin/retort.cjs listens from the start: its listener passes signals on (none is lost between two listeners),
    // and one that came while the command loaded stops it now, before anything runs.
    early.onSignal = handler;
    if (early.signal !== null) handler(early.signal);
    return { signal: controller.signal, dispose: () => void (early.onSignal = quit) };
  }
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

/** What bin/retort.cjs keeps of the signals that came while a migrating command loaded (absent when run from code). */
interface EarlySignals {
  readonly signal: string | null;
  onSignal: ((signal: string) => void) | null;
}

function earlySignals(): EarlySignals | undefined {
  return (globalThis as { __retortEarlySignal?: EarlySignals }).__retortEarlySignal;
}

const quit = (): never => process.exit(130);

/** Writing a script (--sql): a signal ends the command (exit 130), and one that came while it loaded stops it now. */
function scriptSignals(): null {
  const early = earlySignals();
  if (!early) return null;
  const message = 'interrupted before the script was written; nothing was printed';
  // The script is printed whole at the end (Script): a signal before that leaves nothing on stdout.
  early.onSignal = () => {
    writeErr(`error: ${message}\n`);
    quit();
  };
  if (early.signal !== null) throw new RetortError('INTERRUPTED', message, { exitCode: 130 });
  return null;
}

export async function migrateCommand(ctx: CliContext, direction: 'up' | 'down', target: string, opts: { sql?: boolean; lockTimeout?: number; allowChanged?: boolean }): Promise<void> {
  const { events, finish } = cliEvents(ctx);
  const signals = opts.sql ? scriptSignals() : interruptible();
  const options = {
    ...ctx.options,
    target,
    ...(opts.sql ? { sql: true } : {}),
    ...(opts.lockTimeout !== undefined ? { lockTimeout: opts.lockTimeout } : {}),
    ...(opts.allowChanged ? { allowChanged: true } : {}),
    ...(signals ? { signal: signals.signal } : {}),
  };
  let report: MigrateReport;
  try {
    report = await (direction === 'up' ? upgrade(options, events) : downgrade(options, events));
  } finally {
    signals?.dispose();
    finish();
  }
  if (ctx.renderJson(direction === 'up' ? 'upgrade' : 'downgrade', report)) return;
  if (report.sql !== null) {
    const script = new Script();
    script.write(report.sql);
    script.print();
    return;
  }
  const n = report.steps.length;
  if (n === 0) info(direction === 'up' ? `Nothing to do: ${target} is already applied.` : `Nothing to do: nothing above ${target} is applied.`);
  else print(out.green(`${direction === 'up' ? 'Upgraded' : 'Downgraded'}: ${n} revision${n === 1 ? '' : 's'}; now at ${formatHeads(report.to)}.`));
}

export async function stampCommand(ctx: CliContext, target: string, opts: { purge?: boolean; sql?: boolean; lockTimeout?: number }): Promise<void> {
  const { events } = cliEvents(ctx);
  const signals = opts.sql ? scriptSignals() : interruptible();
  let report: Awaited<ReturnType<typeof stamp>>;
  try {
    report = await stamp({
      ...ctx.options,
      target,
      purge: opts.purge ?? false,
      ...(opts.sql ? { sql: true } : {}),
      ...(opts.lockTimeout !== undefined ? { lockTimeout: opts.lockTimeout } : {}),
      ...(signals ? { signal: signals.signal } : {}),
    }, events);
  } finally {
    signals?.dispose();
  }
  if (ctx.renderJson('stamp', report)) return;
  if (report.sql !== null) {
    const script = new Script();
    script.write(report.sql);
    script.print();
  } else print(`Stamped: ${formatHeads(report.from)} -> ${formatHeads(report.to)}`);
}

function formatHeads(heads: readonly string[]): string {
  return heads.length === 0 ? 'base' : heads.join(', ');
}
