/**
 * What the database left unfinished, read from the differ's operations: an index a failed concurrent build left
 * INVALID (the differ drops and creates it again), a constraint left NOT VALID (the differ validates it). Neither
 * matches its declaration, and each needs a word on what to do: `check` says it, and autogenerate refuses to write
 * a revision over an INVALID index, which `upgrade` would refuse to run (migrate.ts refuseInvalidIndexes).
 * The statements are the dialect's (its compiler's), so the text names what to run as the dialect spells it.
 */
import { RetortError } from '../errors.js';
import { noCatalog, type Dialect } from '../dialects/dialect.js';
import type { Operation } from '../operations/operations.js';

/** An object the database holds in an unfinished state, the statement that settles it, and what to tell the user. */
export interface UnfinishedState {
  readonly kind: 'invalid index' | 'constraint NOT VALID';
  readonly table: string;
  readonly name: string;
  /** What to run: the index's non-blocking drop, or the constraint's validation. */
  readonly sql: string;
  /** One line: the object, its state, and what to do. */
  readonly text: string;
}

/** The unfinished states among the differ's operations `ops`, in their order. */
export async function unfinishedStates(dialect: Dialect, ops: readonly Operation[]): Promise<UnfinishedState[]> {
  const out: UnfinishedState[] = [];
  for (const o of ops) {
    if (o.kind === 'dropIndex' && o.index?.invalid === true) {
      const sql = await statementOf(dialect, { ...o, concurrently: true });
      out.push({
        kind: 'invalid index', table: o.table, name: o.name, sql,
        text: `index "${o.name}" on "${o.table}" is INVALID: a concurrent build failed or was interrupted, so queries do not use it and \`retort upgrade\` refuses to run while it is there; drop it with \`${sql}\`, then \`retort upgrade\` builds it again where a revision that has not run yet creates it, else \`retort revision --autogenerate\` writes the revision that does`,
      });
    } else if (o.kind === 'validateConstraint') {
      const sql = await statementOf(dialect, o);
      out.push({
        kind: 'constraint NOT VALID', table: o.table, name: o.name, sql,
        text: `constraint "${o.name}" on "${o.table}" is NOT VALID: its validation failed or never ran, so the rows already there were not checked; once they comply, run \`${sql}\` (or \`retort revision --autogenerate\` writes the revision that does)`,
      });
    }
  }
  return out;
}

/** Refuses to write a revision over an INVALID index: `upgrade` would refuse to run it, and the index must go first. */
export function refuseInvalidIndexes(states: readonly UnfinishedState[]): void {
  const invalid = states.filter((s) => s.kind === 'invalid index');
  if (invalid.length === 0) return;
  const names = invalid.map((s) => `"${s.name}" on "${s.table}"`).join(', ');
  const one = invalid.length === 1;
  throw new RetortError('MIGRATION_FAILED', `index ${names} ${one ? 'is' : 'are'} INVALID (a concurrent build failed or was interrupted): a revision that builds ${one ? 'it' : 'them'} again would not run while ${one ? 'it is' : 'they are'} there, so none was written`, {
    details: invalid.map((s) => `run: ${s.sql}`),
    hint: `drop ${one ? 'it' : 'them'} (the statement${one ? '' : 's'} above), then run \`retort revision --autogenerate\` again: it writes the revision that builds ${one ? 'it' : 'them'} anew`,
  });
}

async function statementOf(dialect: Dialect, op: Operation): Promise<string> {
  return (await dialect.compile([op], noCatalog)).map((s) => s.sql).join('; ');
}
