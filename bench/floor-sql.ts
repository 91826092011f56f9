/**
 * The revisions' own statements of a `retort upgrade --sql` (or downgrade) script, for the bench's server floor
 * (upgrade-floor.ts): Retort prints each statement followed by a blank line, and its bookkeeping statements start in
 * fixed ways.
 */

/** Retort's bookkeeping in its `--sql` scripts: a statement that starts so is not the revisions' own work. */
const BOOKKEEPING = [/^BEGIN$/, /^COMMIT$/, /^SET LOCAL /, /^SET client_min_messages/, /^RESET /, /^DO \$/, /^INSERT INTO "retort_history"/, /^UPDATE "retort_version"/, /^DELETE FROM "retort_version"/, /^INSERT INTO "retort_version"/];

/** The statements of `script` less Retort's bookkeeping and comments, in order. */
export function ownStatements(script: string): string[] {
  return script
    .split(/;\n\n/)
    .map((s) => s.split('\n').filter((l) => !l.startsWith('-- ')).join('\n').trim())
    .filter((s) => s !== '' && !BOOKKEEPING.some((b) => b.test(s)));
}
