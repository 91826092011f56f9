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
  /**
   * `accept` records that a changed file was accepted with --allow-changed: its checksum replaces the recorded one.
   * `part` records the work a step committed before one of its autocommit blocks (see `part`).
   */
  readonly direction: 'up' | 'down' | 'accept' | 'part';
  /**
   * On a `part` row: the step's direction, and how many of its operations had committed, with their hash in
   * `checksum` (operationsHash): a later run of the same step skips them (step-run.ts, "resuming").
   */
  readonly part?: CommittedPart;
  readonly checksum: string;
  readonly appliedAt: string;
  readonly durationMs: number;
  readonly toolVersion: string;
}

/** What a step committed before an autocommit block: its first `operations` operations. */
export interface CommittedPart {
  readonly direction: 'up' | 'down';
  readonly operations: number;
}

/** A revision an earlier run left part-way: its committed part (a `part` row, the history's newest). */
export interface StoppedRevision {
  readonly revision: string;
  readonly direction: 'up' | 'down';
  /** How many of its operations committed before the autocommit block it stopped in or after. */
  readonly operations: number;
}

/** The revision the newest history row says an earlier run left part-way, or null. */
export function stoppedRevision(newest: HistoryRow | null): StoppedRevision | null {
  return newest?.part ? { revision: newest.revision, direction: newest.part.direction, operations: newest.part.operations } : null;
}

/**
 * What committed of a revision left part-way, as precisely as its `part` row says: the row is written with the work
 * before an autocommit block, as that work commits; the block's statements then commit one by one, and a failure
 * after them (in the block, or in the work after it) leaves the same row. So the block may have run in part or whole.
 */
export function stoppedText(s: StoppedRevision): string {
  const verb = s.direction === 'up' ? 'upgrade' : 'downgrade';
  return `the ${verb} of ${s.revision} stopped part-way in an earlier run: the work before one of its autocommit blocks committed (its first ${s.operations} operation${s.operations === 1 ? '' : 's'}), and that block's statements, each committed on its own, may have run in part or whole; \`retort ${verb}\` resumes it at that block`;
}

/** A `part` row's direction column: `up:12` (VARCHAR(10) holds `down:99999`). */
const PART = /^(up|down):(\d{1,5})$/;

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
      const direction = row.part ? `${row.part.direction}:${row.part.operations}` : row.direction;
      return `(${lit(row.revision)}, ${lit(direction)}, ${lit(row.checksum)}, ${appliedAt}, ${duration}, ${lit(row.toolVersion)})`;
    });
    return {
      sql: `INSERT INTO ${this.q(this.name)} (${['revision', 'direction', 'checksum', 'applied_at', 'duration_ms', 'tool_version'].map((c) => this.q(c)).join(', ')}) VALUES ${values.join(', ')}`,
    };
  }

  /** Every row, oldest first; [] when the table does not exist (`present`, from findOwnTables, says so when given). */
  async read(conn: Connection, present?: ReadonlySet<string>): Promise<HistoryRow[]> {
    if (!(present === undefined ? await this.exists(conn) : present.has(this.name))) return [];
    const rows = await conn.query<RawRow>(`SELECT * FROM ${this.q(this.name)} ORDER BY ${this.q('applied_at')}`);
    return rows.map((r) => rowOf(r));
  }

  /**
   * The newest row, or null when there is none (or no table): a `part` row counts only while it is the newest. Of
   * rows written in the same millisecond, a step's own row is newer than its part row.
   */
  async newest(conn: Connection): Promise<HistoryRow | null> {
    // Read whole, by the rule newestRow keeps: asked only when a run tries a revision again after a lock timeout.
    return newestRow(await this.read(conn));
  }

  /** The `part` row recording that a step's first `operations` operations (of hash `hash`) committed. */
  partStatement(revision: string, part: CommittedPart, hash: string): Statement {
    return this.insertStatement({ revision, direction: 'part', part, checksum: hash, appliedAt: new Date().toISOString(), durationMs: 0, toolVersion: toolVersion() });
  }
}

export type RawRow = { revision: string; direction: string; checksum: string; applied_at: string; duration_ms: number | string; tool_version: string };

/** A row as read. */
function rowOf(r: RawRow): HistoryRow {
  const part = PART.exec(r.direction);
  return {
    revision: r.revision,
    direction: part ? 'part' : r.direction === 'down' ? 'down' : r.direction === 'accept' ? 'accept' : 'up',
    ...(part ? { part: { direction: part[1] as 'up' | 'down', operations: Number(part[2]) } } : {}),
    checksum: r.checksum,
    appliedAt: r.applied_at,
    durationMs: Number(r.duration_ms),
    toolVersion: r.tool_version,
  };
}

/**
 * The query for the rows `newestRow` chooses among (those of the latest applied_at) of history table `table` (quoted),
 * in a form both dialects read: `current` reads them with the version table, in one statement (`lead`: a first
 * column of its own).
 */
export function newestRowsSql(table: string, q: (name: string) => string, lead = ''): string {
  return `SELECT ${lead}${['revision', 'direction', 'checksum', 'applied_at', 'duration_ms', 'tool_version'].map(q).join(', ')} FROM ${table} WHERE ${q('applied_at')} = (SELECT max(${q('applied_at')}) FROM ${table})`;
}

/** Rows as `newestRowsSql` and `read` return them. */
export function rowsOf(rows: readonly RawRow[]): HistoryRow[] {
  return rows.map((r) => rowOf(r));
}

/** The newest of `rows` (oldest first, as read): of rows of the same millisecond, a step's own row before its part row. */
export function newestRow(rows: readonly HistoryRow[]): HistoryRow | null {
  let newest: HistoryRow | null = null;
  for (const r of rows) if (!newest || r.appliedAt > newest.appliedAt || (r.appliedAt === newest.appliedAt && (r.direction !== 'part' || newest.direction === 'part'))) newest = r;
  return newest;
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
    // A step's committed part says nothing of what is applied: the version table does.
    else if (r.direction !== 'part') out.delete(r.revision);
  }
  return out;
}
