/**
 * The version table: one row per applied head (`version_num varchar(32)`),
 * the same shape as Alembic's, so a team can point Retort at `alembic_version`
 * and carry on where Alembic stopped.
 */
import type { Connection, Dialect, Statement } from '../dialects/dialect.js';

export class VersionTable {
  constructor(
    private readonly dialect: Dialect,
    readonly name: string,
    /** Where to look for the table (PostgreSQL's schema; ignored by SQLite). */
    private readonly schema = 'public',
  ) {}

  private get q(): string {
    return this.dialect.quoteIdentifier(this.name);
  }

  createStatement(): Statement {
    const d = this.dialect;
    return {
      sql: `CREATE TABLE IF NOT EXISTS ${this.q} (${d.quoteIdentifier('version_num')} VARCHAR(32) NOT NULL, CONSTRAINT ${d.quoteIdentifier(`${this.name}_pkc`)} PRIMARY KEY (${d.quoteIdentifier('version_num')}))`,
    };
  }

  /** The applied heads, or [] when the table does not exist yet. */
  async readHeads(conn: Connection): Promise<string[]> {
    if (!(await this.exists(conn))) return [];
    const rows = await conn.query<{ version_num: string }>(`SELECT ${this.dialect.quoteIdentifier('version_num')} FROM ${this.q}`);
    return rows.map((r) => r.version_num).sort();
  }

  async exists(conn: Connection): Promise<boolean> {
    return this.dialect.tableExists(conn, this.name, { schema: this.schema });
  }

  /** The statements that move the table from one set of heads to another (UPDATE where one head replaces one). */
  transition(before: readonly string[], after: readonly string[]): Statement[] {
    const removed = before.filter((h) => !after.includes(h));
    const added = after.filter((h) => !before.includes(h));
    const col = this.dialect.quoteIdentifier('version_num');
    const lit = (v: string) => this.dialect.quoteLiteral(v);
    if (removed.length === 1 && added.length === 1) {
      return [{ sql: `UPDATE ${this.q} SET ${col} = ${lit(added[0]!)} WHERE ${col} = ${lit(removed[0]!)}` }];
    }
    return [
      ...removed.map((h) => ({ sql: `DELETE FROM ${this.q} WHERE ${col} = ${lit(h)}` })),
      ...added.map((h) => ({ sql: `INSERT INTO ${this.q} (${col}) VALUES (${lit(h)})` })),
    ];
  }
}
