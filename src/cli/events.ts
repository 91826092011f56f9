/**
 * How the CLI tells a command's progress: lock waits and warnings as lines on stderr, each step as
 * `Running upgrade ... (12 ms)`, and on a terminal (not under --json) a live line with the running step, the step
 * count and the elapsed time.
 */
import path from 'node:path';
import type { CommandEvents } from '../commands/events.js';
import type { CliContext } from './context.js';
import { LiveLine } from './live-line.js';
import { err, info, lockWait, ms, out, progress, reportLateError, setLiveLine, stderrIsTerminal, warn } from './output.js';

/** Said once when another run is writing a revision in the same folder. */
function revisionLockWait(holder: string, lockFile: string): void {
  info(`waiting for ${holder}, which is writing a revision (lock file ${path.relative(process.cwd(), lockFile)})`);
}

/** The events every command gets from the CLI; `finish` ends the progress output (call it however the command ends). */
export function cliEvents(ctx: CliContext): { events: CommandEvents; finish: () => void } {
  const live = !ctx.json && stderrIsTerminal ? new LiveLine((t) => process.stderr.write(t), undefined, undefined, (t) => err.dim(t)) : null;
  let midLine = false;
  const events: CommandEvents = {
    lockWait,
    revisionLockWait,
    warning: warn,
    lateError: (e) => reportLateError(e),
    stepStart: (step) => {
      if (live) {
        setLiveLine(live);
        live.start(step);
        return;
      }
      progress(`Running ${step.description}`);
      midLine = true;
    },
    stepDone: (step, took) => {
      if (live) {
        live.done(step, took);
        return;
      }
      progress(` ${out.dim(`(${ms(took)})`)}\n`);
      midLine = false;
    },
  };
  return {
    events,
    finish: () => {
      if (live) setLiveLine(null);
      if (midLine) progress('\n');
      midLine = false;
    },
  };
}
