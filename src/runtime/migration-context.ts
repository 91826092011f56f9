/** The second argument of a revision's upgrade/downgrade. */
export interface MigrationContext {
  /** Runs SQL now and returns its rows (operations queued before it run first). Not available with --sql: check `isOffline`. */
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]>;
  /** True when Retort is printing SQL (`--sql`) instead of running it. */
  readonly isOffline: boolean;
  /** The database's name for humans: "PostgreSQL" or "SQLite". */
  readonly dialect: string;
  /** The revision being run. */
  readonly revision: string;
  readonly direction: 'upgrade' | 'downgrade';
}
