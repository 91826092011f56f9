/**
 * renderOperations: the body of a revision's upgrade or downgrade, as
 * TypeScript calling the `op` API, one call per operation, consecutive calls
 * on one table grouped with a blank line between groups, and a
 * `// DESTRUCTIVE:` comment above each call that loses data. Running the code
 * through OperationRecorder with the same naming convention gives back the
 * same operations (less the `from` state the op API does not carry).
 * Whatever the API cannot express exactly is written as `op.run({...})`.
 */
import { definitionOf, tableOf, type Operation } from '../operations/operations.js';
import { defaultNaming, type NamingConvention } from '../models/naming.js';
import { addsRequiredColumn, destructiveNote, type DataLossReading } from '../operations/destructive.js';
import type { Imports } from './render-column.js';
import { commentLine, commentText, indentCode } from './literal.js';

/** Options for renderOperations. */
export interface RenderOptions {
  /** The naming convention the revision will run with (the config's); decides when a name can be left out. */
  readonly naming?: NamingConvention;
  /** Prefix for every line (the writer's indentation inside `upgrade(op) {`). Default none. */
  readonly indent?: string;
  /** How the database the revision is generated against reads types and CHECKs, for the `// DESTRUCTIVE:` notes (its dialect); default: no database's. */
  readonly dataLoss?: DataLossReading;
  /** When `ops` are a part of a longer list (a step of a plan): the whole list and where `ops` start, read by the destructive notes. */
  readonly within?: { readonly all: readonly Operation[]; readonly start: number };
}

/** Rendered code and the names it uses from `retort-migrate`. */
export interface RenderedOperations {
  readonly code: string;
  readonly imports: Set<string>;
}

/** Renders operations as TypeScript calls on `op`. */
export function renderOperations(ops: readonly Operation[], options: RenderOptions = {}): RenderedOperations {
  const naming = options.naming ?? defaultNaming;
  const imports: Imports = new Set();
  const groups: string[][] = [];
  let lastKey: string | undefined;
  ops.forEach((o, i) => {
    const key = tableOf(o) ?? '';
    if (key !== lastKey || groups.length === 0) groups.push([]);
    lastKey = key;
    const group = groups[groups.length - 1]!;
    // The same ops render in upgrade() and, reversed, in downgrade(): the note must read right in both.
    const note = options.within ? destructiveNote(options.within.all, options.within.start + i, 'migration', options.dataLoss) : destructiveNote(ops, i, 'migration', options.dataLoss);
    if (note !== null) group.push(`// DESTRUCTIVE: ${commentText(note)}`);
    if (addsRequiredColumn(o)) group.push(commentLine(`FAILS ON ROWS: "${o.table}"."${o.column.name}" is added NOT NULL without a default, which fails once "${o.table}" has a row: give it a serverDefault, or add it nullable, fill it and then set NOT NULL`));
    group.push(renderOperation(o, naming, imports));
  });
  const indent = options.indent ?? '';
  const code = indentCode(groups.map((g) => g.join('\n')).join('\n\n'), indent);
  return { code, imports };
}

/** One op call for one operation: its kind's rendering (operations/kinds/*.ts `render`). */
export function renderOperation(o: Operation, naming: NamingConvention, imports: Imports): string {
  return definitionOf(o).render(o, { naming, imports });
}
