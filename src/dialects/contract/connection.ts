/**
 * What every part of the contract talks through: statements, a live connection, and the catalog a compiler may
 * read. Plain types, no behaviour.
 */
import type { TableIR } from '../../ir/ir.js';

/** One SQL statement, with its parameters when it has any (placeholders in the dialect's own style). */
export interface Statement {
  readonly sql: string;
  readonly params?: readonly unknown[];
}

/** A live connection. Statements run one at a time, in order. */
export interface Connection {
  /** Runs one statement and returns its rows (an empty array for DDL). */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /**
   * Runs read statements in one round trip and returns each one's rows, in the order given. Each
   * entry is exactly one statement, without placeholders (values written in as literals). They run
   * in order like as many query() calls, inside one implicit transaction when no transaction is open;
   * the first error stops the rest and is thrown. Optional: callers without it send the statements
   * one query() at a time.
   */
  queryBatch?(statements: readonly string[]): Promise<Record<string, unknown>[][]>;
  /**
   * Asks the database to stop the statement running on this connection now (Ctrl-C); that statement then
   * fails. Does nothing when none runs. Absent where a running statement cannot be stopped (SQLite runs in
   * this process: the runner stops between statements).
   */
  cancel?(): Promise<void>;
  /**
   * Ends the session. It resolves once the end is sent: the server may still be ending its side, which keeps no
   * lock or transaction of this connection's (both are ended before), and the process need not wait for it.
   */
  close(): Promise<void>;
  /**
   * The server's version as one number where the driver learnt it when connecting (PostgreSQL's server_version_num:
   * 150004 for 15.4), so that catalog queries can name what only newer servers have; absent when unknown.
   */
  readonly serverVersion?: number;
}

/** What a dialect may read of the schema while compiling (SQLite's table rebuild needs the table as it stands). */
export interface Catalog {
  /** The table as it stands now, inside the running transaction, or null when there is no such table. */
  table(name: string): Promise<TableIR | null>;
  /**
   * A read-only query on the same connection, for catalog rows the IR does not hold (SQLite's
   * triggers and views in sqlite_master, which its table rebuild must recreate). Absent offline.
   */
  query?<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

/** A Catalog for offline runs of dialects that never read one. */
export const noCatalog: Catalog = {
  async table(name: string): Promise<TableIR | null> {
    throw new Error(`internal: the schema of "${name}" was read without a connection`);
  },
};
