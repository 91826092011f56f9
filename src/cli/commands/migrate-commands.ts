/** upgrade, downgrade and stamp: wiring and progress output. */
import { migrate, migrateOffline, stamp, type Direction } from '../../runtime/migrate.js';
import { describeStep } from '../../runtime/runner.js';
import type { Project } from '../../runtime/project.js';
import { info, lockWait, ms, out, print, progress, reportLateError, Script, warn } from '../output.js';

/**
 * Ctrl-C (or SIGTERM) cancels the statement running (where the database can) or stops before the next one,
 * and rolls back; a second one quits at once (the database rolls back the open transaction itself).
 */
function interruptible(): { interrupted: () => boolean; signal: AbortSignal; dispose: () => void } {
  let stop = false;
  const controller = new AbortController();
  const handler = () => {
    if (stop) process.exit(130);
    stop = true;
    info('Interrupted: stopping the running statement and rolling back (press Ctrl-C again to quit at once)');
    controller.abort();
  };
  process.on('SIGINT', handler);
  process.on('SIGTERM', handler);
  return {
    interrupted: () => stop,
    signal: controller.signal,
    dispose: () => {
      process.off('SIGINT', handler);
      process.off('SIGTERM', handler);
    },
  };
}

export async function migrateCommand(project: Project, direction: Direction, target: string, opts: { sql?: boolean; lockTimeout?: number; allowChanged?: boolean }): Promise<void> {
  if (opts.sql) {
    const script = new Script();
    await migrateOffline(project, direction, target, script.write, { onLateError: reportLateError });
    script.print();
    return;
  }
  const signals = interruptible();
  let midLine = false;
  const steps = await migrate(project, direction, target, {
    interrupted: signals.interrupted,
    signal: signals.signal,
    allowChanged: opts.allowChanged ?? false,
    onLateError: reportLateError,
    onAccepted: (changed) => {
      for (const c of changed) warn(`accepted the changed file ${c.file} (revision ${c.revision}); its new checksum is recorded`);
    },
    onLockWait: lockWait,
    ...(opts.lockTimeout !== undefined ? { lockTimeoutMs: opts.lockTimeout * 1000 } : {}),
    events: {
      stepStart: (step) => {
        progress(`Running ${describeStep(step)}`);
        midLine = true;
      },
      stepDone: (_step, took) => {
        progress(` ${out.dim(`(${ms(took)})`)}\n`);
        midLine = false;
      },
      lockRetry: (step, attempt, attempts, pauseMs) => {
        if (midLine) progress('\n');
        midLine = false;
        warn(`${describeStep(step)} gave up waiting for a lock (revisionLockTimeout) and rolled back; attempt ${attempt} of ${attempts} in ${ms(pauseMs)}`);
      },
    },
  }).finally(() => {
    signals.dispose();
    if (midLine) progress('\n');
  });
  if (steps.length === 0) info(direction === 'up' ? `Nothing to do: ${target} is already applied.` : `Nothing to do: nothing above ${target} is applied.`);
  else print(out.green(`${direction === 'up' ? 'Upgraded' : 'Downgraded'}: ${steps.length} revision${steps.length === 1 ? '' : 's'}; now at ${formatHeads(steps[steps.length - 1]!.headsAfter)}.`));
}

export async function stampCommand(project: Project, target: string, opts: { purge?: boolean; sql?: boolean; lockTimeout?: number }): Promise<void> {
  const script = opts.sql ? new Script() : null;
  const result = await stamp(project, target, {
    purge: opts.purge ?? false,
    onLockWait: lockWait,
    ...(opts.lockTimeout !== undefined ? { lockTimeoutMs: opts.lockTimeout * 1000 } : {}),
    ...(script ? { sql: script.write } : {}),
  });
  if (script) script.print();
  else print(`Stamped: ${formatHeads(result.before)} -> ${formatHeads(result.after)}`);
}

function formatHeads(heads: readonly string[]): string {
  return heads.length === 0 ? 'base' : heads.join(', ');
}
