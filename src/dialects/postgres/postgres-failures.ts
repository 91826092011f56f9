/** PostgreSQL's errors in the user's terms: what a failed migration's message means and how to fix it. */
import { quoteIdentifier } from './postgres-sql.js';

// max_locks_per_transaction (64) x max_connections (100) shared slots; a table with a serial key, an index and
// a unique takes about six. Measured: the 3000-table revision of a QA pass failed at table 956.
const TABLES_PER_TRANSACTION = 800;

/** The hint for a failed migration's message, where PostgreSQL's cause is known. */
export function explainPostgresFailure(message: string): { readonly message: string; readonly hint?: string } | null {
  // PostgreSQL takes a lock per table created in a transaction; a create-everything revision can exceed the lock table.
  if (/out of shared memory/i.test(message)) {
    return { message, hint: 'the revision touches more tables than the server can lock in one transaction: raise max_locks_per_transaction or split the revision' };
  }
  // Autogenerate moves the views the models declare out of the way; one they do not (excluded, or a hand-written
  // revision) must be set aside by hand.
  if (/cannot alter type of a column used by a view or rule/i.test(message)) {
    return { message, hint: 'declare the view in the models (view()) so autogenerate moves it out of the way, or drop it before the change and create it again after, in the revision (op.dropView / op.createView)' };
  }
  // The role may use the schema but not create in it (PostgreSQL 15 no longer lets every role create in public).
  const denied = /permission denied for schema (.+?)(?: \(|$)/i.exec(message);
  if (denied) {
    return { message, hint: `let the role Retort connects as create tables there (GRANT CREATE ON SCHEMA ${quoteIdentifier(denied[1]!)} TO <role>), or set \`schema\` in retort.config.ts to a schema it may create in` };
  }
  // Policies reference roles; Retort never creates them.
  const role = /role "(.+?)" does not exist/i.exec(message);
  if (role) {
    return { message, hint: `create the role first (CREATE ROLE ${quoteIdentifier(role[1]!)}): Retort references the roles policies name, it does not create them` };
  }
  if (/cannot alter type of a column used in a policy definition/i.test(message)) {
    return { message, hint: 'declare the policy in the models (policy()) so autogenerate moves it out of the way, or drop it before the change and create it again after, in the revision (op.dropPolicy / op.createPolicy)' };
  }
  if (/cannot alter type of a column used by a generated column/i.test(message)) {
    return { message, hint: 'drop the generated column before the change and add it again after, in the revision' };
  }
  // The data the revision meets: what to do with the rows, as SQLite's messages say it.
  const nulls = /column "(.+?)" of relation "(.+?)" contains null values/i.exec(message);
  if (nulls) {
    return { message, hint: `rows of ${nulls[2]} hold NULL in ${nulls[1]} (or a new NOT NULL column has no default): fill them in the revision first (op.execute('UPDATE ...')) or give the column a server default` };
  }
  const duplicated = /could not create unique index "(.+?)"/i.exec(message);
  if (duplicated) {
    return { message, hint: `rows share a value the unique index "${duplicated[1]}" forbids: remove or change the duplicates (in the revision, or by hand), drop the INVALID index a concurrent build leaves, and run again` };
  }
  const enumValue = /invalid input value for enum (.+?): "(.*)"/i.exec(message);
  if (enumValue) {
    return { message, hint: `rows hold '${enumValue[2]}', which the enum type ${enumValue[1]} does not have: change those rows first (op.execute('UPDATE ...') in the revision)` };
  }
  const violated = /check constraint "(.+?)" of relation "(.+?)" is violated by some row/i.exec(message);
  if (violated) {
    return { message, hint: `rows of ${violated[2]} break the check ${violated[1]}: fix them first (op.execute('UPDATE ...') in the revision, or by hand), then run again` };
  }
  return null;
}

/** The warning for a revision that creates more tables in one transaction than default settings can lock. */
export function postgresBigTransactionWarning(tables: number): string | null {
  return tables > TABLES_PER_TRANSACTION
    ? `the revision creates ${tables} tables in one transaction; PostgreSQL with default settings locks about ${TABLES_PER_TRANSACTION}: applying it may fail with "out of shared memory" (and disturb other sessions meanwhile). Split its upgrade into revisions of a few hundred tables, or raise max_locks_per_transaction`
    : null;
}
