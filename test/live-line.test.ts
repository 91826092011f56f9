/** The live progress line of a terminal run (cli/live-line.ts), with a fake clock and a fake terminal. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LiveLine } from '../src/cli/live-line.js';
import type { StepEvent } from '../src/commands/events.js';

const step = (index: number, revision: string): StepEvent => ({
  revision,
  direction: 'up',
  downRevisions: [],
  message: 'create users',
  index,
  total: 200,
  description: `upgrade <base> -> ${revision}, create users`,
});

test('shows the step count, the revision and the elapsed times; a finished step leaves its plain line', () => {
  let now = 1000;
  const written: string[] = [];
  const line = new LiveLine((t) => written.push(t), () => now, () => 200);
  now = 1500;
  line.start(step(3, '1a2b'));
  assert.equal(written.at(-1), '\r\x1b[K[3/200] upgrade <base> -> 1a2b, create users  0 ms (total 500 ms)');
  now = 4000;
  assert.equal(line.text(), '[3/200] upgrade <base> -> 1a2b, create users  2.50 s (total 3.00 s)');
  line.done(step(3, '1a2b'), 2500);
  assert.deepEqual(written.slice(-2), ['\r\x1b[K', 'Running upgrade <base> -> 1a2b, create users (2.50 s)\n']);
  assert.equal(line.text(), '', 'nothing is running');
  line.stop();
  assert.equal(written.at(-1), 'Running upgrade <base> -> 1a2b, create users (2.50 s)\n', 'an erased line is not erased twice');
});

test('is cut to the terminal width, the description first, and erased when the run stops', () => {
  const written: string[] = [];
  const line = new LiveLine((t) => written.push(t), () => 0, () => 50);
  line.start(step(1, 'abcdef123456'));
  assert.equal(line.text(), '[1/200] upgrade <base> -> abc…  0 ms (total 0 ms)');
  assert.equal(line.text().length, 49);
  const narrow = new LiveLine(() => undefined, () => 0, () => 25);
  narrow.start(step(1, 'abcdef123456'));
  assert.equal(narrow.text().length, 24, 'too narrow for the times: the line is cut');
  narrow.stop();
  line.stop();
  assert.equal(written.at(-1), '\r\x1b[K');
});
