/**
 * The live progress line of a long run on a terminal: `[3/200] upgrade 1a2b -> 3c4d, add users  1.2 s (total 14.0 s)`,
 * redrawn in place while the step runs. Each finished step still leaves today's line (`Running ... (12 ms)`), so
 * the scrollback reads as it does on a non-terminal; the live line itself is erased before any other output and
 * at the end. Only for a terminal and not under --json: a pipe or a log file gets the plain lines as they come.
 */
import type { StepEvent } from '../commands/events.js';

const CLEAR = '\r\x1b[K';

/** Formats milliseconds for progress lines. */
export function ms(value: number): string {
  return value < 1000 ? `${value.toFixed(0)} ms` : `${(value / 1000).toFixed(2)} s`;
}

export class LiveLine {
  private step: StepEvent | null = null;
  private stepStarted = 0;
  private readonly runStarted: number;
  private shown = false;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly write: (text: string) => void,
    private readonly now: () => number = () => performance.now(),
    // A pseudo-terminal without a size (under `script`, some CI runners) says 0 columns.
    private readonly columns: () => number = () => process.stderr.columns || 80,
    /** How the finished step's time is styled (dim on a colour terminal). */
    private readonly dim: (text: string) => string = (t) => t,
  ) {
    this.runStarted = now();
  }

  /** A step began: show it, and keep its elapsed time current. */
  start(step: StepEvent): void {
    this.step = step;
    this.stepStarted = this.now();
    this.draw();
    if (this.timer === null) {
      this.timer = setInterval(() => this.draw(), 250);
      // The line never keeps the process alive.
      this.timer.unref();
    }
  }

  /** A step ended: its permanent line replaces the live one. */
  done(step: StepEvent, took: number): void {
    this.clear();
    this.write(`Running ${step.description} ${this.dim(`(${ms(took)})`)}\n`);
    if (this.step === step || this.step?.index === step.index) this.step = null;
  }

  /** Erases the live line (before other output); the timer draws it again. */
  clear(): void {
    if (!this.shown) return;
    this.write(CLEAR);
    this.shown = false;
  }

  /** The run is over: erase the line and stop the timer. */
  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
    this.clear();
    this.step = null;
  }

  /** The text of the live line now (cut to the terminal's width). */
  text(): string {
    const s = this.step;
    if (s === null) return '';
    const now = this.now();
    const head = `[${s.index}/${s.total}] `;
    const tail = `  ${ms(now - this.stepStarted)} (total ${ms(now - this.runStarted)})`;
    const width = Math.max(20, this.columns() - 1);
    // A line wider than the terminal would wrap, and `\r` would then redraw only its last part: the description gives way first.
    const room = width - head.length - tail.length;
    if (s.description.length <= room) return `${head}${s.description}${tail}`;
    if (room >= 10) return `${head}${s.description.slice(0, room - 1)}…${tail}`;
    const line = `${head}${s.description}${tail}`;
    return `${line.slice(0, width - 1)}…`;
  }

  private draw(): void {
    const text = this.text();
    if (text === '') return;
    this.write(`${CLEAR}${text}`);
    this.shown = true;
  }
}
