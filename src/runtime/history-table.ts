/**
 * The history table: one row per step run (revision, direction, checksum of
 * the file, when, how long, which Retort), written in the step's own
 * transaction. Beside the version table, never instead of it: a database
 * adopted from Alembic or stamped has no rows here and keeps working.
 */
import { packageVersion } from '../package-version.js';
import type { Connection, Dialect, Statement, StepClock } from '../dialects/dialect.js';
import type { OwnTable } from './version-table.js';

export interface HistoryRow {
  readonly revision: string;
  /** `accept` records that a changed file was accepted with --allow-changed: its checksum replaces the recorded one. */
  readonly direction: 'up' | 'down' | 'accept';
  readonly checksum: string;
  readonly appliedAt: string;
  readonly durationMs: number;
  readonly toolVersion: string;
}

/** This Retort's version, from its package.json. */
export const toolVersion = packageVersion;

export class HistoryTable implements OwnTable {
  constructor(
    private readonly dialect: Dialect,
    readonly name: string,
    /** Where to look for the table, where the database has schemas. */
    readonly schema?: string,
  ) {}

  private q(name: string): string {
    return this.dialect.quoteIdentifier(name);
  }

  /** What the table is, for messages. */
  readonly role = 'history';

  async exists(conn: Connection): Promise<boolean> {
    return this.dialect.tableExists(conn, this.name, this.schema === undefined ? {} : { schema: this.schema });
  }

  createStatement(): Statement {
    // Portable column types only, so one statement serves every dialect; times are ISO-8601 text, which sorts.
    return {
      sql: `CREATE TABLE IF NOT EXISTS ${this.q(this.name)} (${this.q('revision')} VARCHAR(32) NOT NULL, ${this.q('direction')} VARCHAR(10) NOT NULL, ${this.q('checksum')} VARCHAR(64) NOT NULL, ${this.q('applied_at')} VARCHAR(32) NOT NULL, ${this.q('duration_ms')} INTEGER NOT NULL, ${this.q('tool_version')} VARCHAR(32) NOT NULL)`,
    };
  }

  /** The row to insert; with `clock`, its time and duration are the server's (SQL expressions), not the values in `row`. */
  insertStatement(row: HistoryRow, clock?: StepClock): Statement {
    return this.insertRows([row], clock);
  }

  /** One INSERT of several rows (revisions committed together); with `clock`, as insertStatement. */
  insertRows(rows: readonly HistoryRow[], clock?: StepClock): Statement {
    const lit = (v: string) => this.dialect.quoteLiteral(v);
    const values = rows.map((row) => {
      const appliedAt = clock ? clock.nowSql : lit(row.appliedAt);
      const duration = clock ? clock.elapsedMsSql : String(Math.round(row.durationMs));
      return `(${lit(row.revision)}, ${lit(row.direction)}, ${lit(row.checksum)}, ${appliedAt}, ${duration}, ${lit(row.toolVersion)})`;
    });
    return {
      sql: `INSERT INTO ${this.q(this.name)} (${['revision', 'direction', 'checksum', 'applied_at', 'duration_ms', 'tool_version'].map((c) => this.q(c)).join(', ')}) VALUES ${values.join(', ')}`,
    };
  }

  /** Every row, oldest first; [] when the table does not exist (`present`, from findOwnTables, says so when given). */
  async read(conn: Connection, present?: ReadonlySet<string>): Promise<HistoryRow[]> {
    if (!(present === undefined ? await this.exists(conn) : present.has(this.name))) return [];
    const rows = await conn.query<{ revision: string; direction: string; checksum: string; applied_at: string; duration_ms: number | string; tool_version: string }>(
      `SELECT * FROM ${this.q(this.name)} ORDER BY ${this.q('applied_at')}`,
    );
    return rows.map((r) => ({
      revision: r.revision,
      direction: r.direction === 'down' ? 'down' : r.direction === 'accept' ? 'accept' : 'up',
      checksum: r.checksum,
      appliedAt: r.applied_at,
      durationMs: Number(r.duration_ms),
      toolVersion: r.tool_version,
    }));
  }
}

/** The latest upgrade row of each revision that is applied now. */
export function lastUpgrades(rows: readonly HistoryRow[]): Map<string, HistoryRow> {
  const out = new Map<string, HistoryRow>();
  for (const r of rows) {
    if (r.direction === 'up') out.set(r.revision, r);
    else if (r.direction === 'accept') {
      const applied = out.get(r.revision);
      if (applied) out.set(r.revision, { ...applied, checksum: r.checksum });
    }
    else out.delete(r.revision);
  }
  return out;
}
