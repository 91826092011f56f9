/**
 * renderPlan: a planned revision body (diff/online-plan.ts) as TypeScript. Plain steps render as renderOperations
 * renders them, so a plan without online forms gives the same text as before; a step with a reason gets it as a
 * `//` line above, and a step outside the transaction is wrapped in `op.autocommitBlock((op) => { ... })`.
 */
import type { PlanStep } from '../diff/online-plan.js';
import { renderOperations, type RenderedOperations, type RenderOptions } from './render-operations.js';
import { commentLine, indentCode } from './literal.js';

/** Renders `steps` as the body of upgrade() or downgrade(). */
export function renderPlan(steps: readonly PlanStep[], options: RenderOptions = {}): RenderedOperations {
  const imports = new Set<string>();
  const blocks: string[] = [];
  const indent = options.indent ?? '';
  const all = steps.flatMap((s) => s.ops);
  let start = 0;
  for (const step of steps) {
    const r = renderOperations(step.ops, { ...options, indent: '', within: { all, start } });
    start += step.ops.length;
    for (const name of r.imports) imports.add(name);
    const body = step.autocommit ? `op.autocommitBlock((op) => {\n${r.code.split('\n').map((l) => (l === '' ? l : `  ${l}`)).join('\n')}\n});` : r.code;
    // An accepted lint finding goes on the line right above the operation it names (lint reads it for that line).
    const accepted = step.accepts === undefined ? body : `${commentLine(`retort-lint-ignore ${step.accepts.rule}: ${step.accepts.reason}`)}\n${body}`;
    const text = step.why === null ? accepted : `${commentLine(step.why)}\n${accepted}`;
    // The later parts of one lock-safe form (the validation after NOT VALID) follow without a blank line.
    if (step.follows && blocks.length > 0) blocks[blocks.length - 1] += `\n${text}`;
    else blocks.push(text);
  }
  const code = indentCode(blocks.join('\n\n'), indent);
  return { code, imports };
}
