/**
 * The rules `retort lint` checks, as data: each has an id (what `// retort-lint-ignore <id>: <reason>` names), a
 * severity (errors make `retort lint` exit 1), the one-line reason it exists, the fix, and what it is about:
 * `locks` rules read the compiled statements with PostgreSQL's parser and apply where the dialect has per-table
 * lock levels; `code` rules (renames and drops that break the application still running) apply everywhere;
 * `lint` rules are about lint itself. The checks live in check-*.ts; docs/reference/lint.md has an example of each.
 */
export type Severity = 'error' | 'warning';
export type RuleScope = 'locks' | 'code' | 'lint';

/** LintRule describes one rule. */
export interface LintRule {
  readonly id: string;
  readonly severity: Severity;
  readonly scope: RuleScope;
  /** Why it matters, one line. */
  readonly summary: string;
  /** What to write instead, one line. */
  readonly fix: string;
}

const rule = (id: string, severity: Severity, scope: RuleScope, summary: string, fix: string): LintRule => ({ id, severity, scope, summary, fix });

/** LINT_RULES lists every rule, in the order docs/reference/lint.md gives them. */
export const LINT_RULES: readonly LintRule[] = [
  rule('require-concurrent-index', 'error', 'locks',
    'CREATE INDEX without CONCURRENTLY on an existing table blocks every write to it while the index builds',
    'build it with CREATE INDEX CONCURRENTLY IF NOT EXISTS inside op.autocommitBlock()'),
  rule('constraint-not-valid', 'error', 'locks',
    'adding a foreign key or check to an existing table checks every row under a lock that blocks writes (a foreign key locks the referenced table too)',
    'add it NOT VALID, then VALIDATE CONSTRAINT inside op.autocommitBlock() after it: the ADD commits first, and the scan runs under a lock that lets writes through'),
  rule('unique-via-index', 'error', 'locks',
    'ADD UNIQUE, PRIMARY KEY or EXCLUDE on an existing table builds its index under a lock that blocks writes',
    'CREATE UNIQUE INDEX CONCURRENTLY first (in op.autocommitBlock), then ADD CONSTRAINT ... UNIQUE USING INDEX'),
  rule('validate-in-same-transaction', 'error', 'locks',
    'VALIDATE CONSTRAINT in the transaction that added the constraint NOT VALID (or took another lock blocking writes to the table) holds that lock through the whole validation scan',
    'put the VALIDATE in op.autocommitBlock() after the ADD ... NOT VALID (as autogenerate writes it): the ADD commits and releases its lock first, and the scan runs under a lock that lets writes go on'),
  rule('attach-partition-needs-check', 'error', 'locks',
    'ATTACH PARTITION of an existing table scans all its rows under ACCESS EXCLUSIVE on it to prove they fit the bound',
    'add a CHECK matching the bound NOT VALID, VALIDATE it inside op.autocommitBlock(), ATTACH (PostgreSQL then skips the scan), then drop the check'),
  rule('domain-check-not-valid', 'error', 'locks',
    'ALTER DOMAIN ... ADD CONSTRAINT checks every column of every table that uses the domain, under a lock that blocks writes to them',
    'add it NOT VALID (new values are checked at once), then ALTER DOMAIN ... VALIDATE CONSTRAINT inside op.autocommitBlock() after it'),
  rule('set-not-null-needs-check', 'error', 'locks',
    'SET NOT NULL on an existing table scans every row under an exclusive lock',
    "add CHECK (col IS NOT NULL) NOT VALID, VALIDATE it inside op.autocommitBlock(), then SET NOT NULL (PostgreSQL 12+ skips the scan) and drop the check"),
  rule('adding-required-column', 'error', 'code',
    'ADD COLUMN ... NOT NULL without a default fails on a table that has rows',
    'add it with a default, or nullable, backfill, then make it NOT NULL'),
  rule('volatile-default', 'error', 'locks',
    'a column added with a volatile default (random(), gen_random_uuid(), clock_timestamp(), serial, identity, a stored generated column) rewrites the table under an exclusive lock',
    'add the column without a default, then SET DEFAULT (new rows only) and backfill existing rows in batches'),
  rule('changing-column-type', 'error', 'locks',
    'a type change that is not binary-coercible rewrites the table and its indexes under an exclusive lock',
    'add a new column, backfill it in batches, switch the application, drop the old one (widening a varchar, or varchar to text, is fine)'),
  rule('enum-rebuild', 'error', 'locks',
    'removing, renaming away or reordering enum values rebuilds the type and rewrites every table that uses it',
    'keep the value and stop writing it, or rebuild at a quiet time; adding a value (ALTER TYPE ... ADD VALUE) needs no rebuild'),
  rule('concurrently-in-transaction', 'error', 'locks',
    'CREATE/DROP INDEX CONCURRENTLY, REINDEX CONCURRENTLY and VACUUM cannot run inside a transaction block: the revision fails',
    'put the statement inside op.autocommitBlock()'),
  rule('require-concurrent-index-drop', 'warning', 'locks',
    'DROP INDEX without CONCURRENTLY takes an exclusive lock on the table, blocking reads and writes behind any long query',
    'DROP INDEX CONCURRENTLY IF EXISTS inside op.autocommitBlock()'),
  rule('require-concurrent-reindex', 'error', 'locks',
    'REINDEX without CONCURRENTLY blocks writes to the table, and reads using each index (ACCESS EXCLUSIVE on it), while the indexes are rebuilt',
    'REINDEX ... CONCURRENTLY (PostgreSQL 12+) inside op.autocommitBlock()'),
  rule('rewriting-table', 'error', 'locks',
    'VACUUM FULL, CLUSTER and ALTER TABLE SET LOGGED / UNLOGGED rewrite the whole table under ACCESS EXCLUSIVE: reads and writes wait until it is copied',
    'leave it out of the revision: compact or reorder a busy table online with pg_repack or pg_squeeze, or run it by hand at a quiet time (VACUUM FULL only in op.autocommitBlock())'),
  rule('explicit-table-lock', 'warning', 'locks',
    'LOCK TABLE in SHARE mode or stronger blocks writes (ACCESS EXCLUSIVE: reads too) to the table until the revision\'s transaction commits',
    'leave it out (each statement takes the lock it needs), or keep the transaction short and accept it with a reason'),
  rule('truncating-table', 'warning', 'locks',
    'TRUNCATE deletes every row of an existing table, under ACCESS EXCLUSIVE; code still running finds it empty',
    'delete what must go in batches (DELETE ... WHERE, a revision of its own), or accept it with a reason when the rows may go (a cache)'),
  rule('require-lock-timeout', 'warning', 'locks',
    'a statement that needs a strong lock on an existing table, with no lock_timeout, waits behind long transactions while every query on the table queues behind it',
    "start the revision with op.execute(\"SET LOCAL lock_timeout = '5s'\") and run it again if it times out"),
  rule('timeout-disabled', 'warning', 'locks',
    'SET lock_timeout = 0 (or statement_timeout = 0, or RESET) turns off the bound Retort puts on each revision\'s lock waits (or statements), so a blocked statement queues every query on its table behind it for as long as it waits',
    "raise the timeout instead of turning it off (op.execute(\"SET LOCAL lock_timeout = '30s'\")), or accept it with a reason"),
  rule('ddl-with-data-change', 'warning', 'locks',
    'an UPDATE, DELETE or INSERT ... SELECT in the same transaction as a schema change keeps the change\'s lock for as long as the data change runs',
    'move the data change to a revision of its own (or an autocommit block), in batches'),
  rule('unchecked-do-block', 'warning', 'locks',
    'a DO block runs PL/pgSQL (often EXECUTE of a string) that lint cannot read, so none of the rules checked what it does',
    'write its statements with op.execute() so lint reads them, or review the block and accept it with // retort-lint-ignore unchecked-do-block: <reason>'),
  rule('unparsable-sql', 'error', 'locks',
    "PostgreSQL's parser rejects this statement, so the revision would fail",
    'fix the SQL'),
  rule('renaming-column', 'warning', 'code',
    'the application still running during the deploy reads and writes the old column name',
    'add the new column, write both, switch reads, drop the old one later; or accept it when no running code uses the column'),
  rule('renaming-table', 'warning', 'code',
    'the application still running during the deploy uses the old table name',
    'create a view with the old name for the transition, or accept it when no running code uses the table'),
  rule('renaming-object', 'warning', 'code',
    'the application still running during the deploy uses the old name of the view, sequence, enum type or enum value',
    'keep the old name until no running code uses it (a view with the old name can stand in for a renamed view); or accept it'),
  rule('dropping-column', 'warning', 'code',
    'code still running (and an ORM that lists columns) fails once the column is gone',
    'stop using the column in one deploy, drop it in a later one'),
  rule('dropping-table', 'warning', 'code',
    'code still running fails once the table is gone, and its data is lost',
    'stop using the table in one deploy, drop it in a later one'),
  rule('invalid-ignore', 'error', 'lint',
    'a retort-lint-ignore comment must name known rules and give a reason, so that a reviewer sees why the risk is accepted',
    'write // retort-lint-ignore <rule-id>: <reason>'),
  rule('unused-ignore', 'warning', 'lint',
    'a retort-lint-ignore comment that accepts nothing on its line or the next',
    'remove it, or move it to the line before the op call it is meant for'),
  rule('revision-not-linted', 'error', 'lint',
    'the revision could not be run offline, so nothing in it (after the failure) was checked',
    'fix the error; code that needs the database belongs behind `if (!ctx.isOffline)`'),
];

const BY_ID = new Map(LINT_RULES.map((r) => [r.id, r]));

/** The rule with this id; throws on an id that is not one (a bug in a check). */
export function lintRule(id: string): LintRule {
  const r = BY_ID.get(id);
  if (!r) throw new Error(`internal: no lint rule '${id}'`);
  return r;
}

/** Whether `id` names a rule. */
export function isLintRule(id: string): boolean {
  return BY_ID.has(id);
}
