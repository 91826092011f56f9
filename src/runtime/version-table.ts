/**
 * The version table: one row per applied head (`version_num varchar(32)`),
 * the same shape as Alembic's, so a team can point Retort at `alembic_version`
 * and carry on where Alembic stopped.
 */
import { RetortError, isRetortError, messageOf } from '../errors.js';
import type { Connection, Dialect, Statement } from '../dialects/dialect.js';
import type { HeaderCheck } from '../revisions/header-cache.js';
import type { RevisionGraph } from '../revisions/revision-graph.js';
import type { Project } from './project.js';

/**
 * Why a version-table write changed no row, or another than the one it expected: the table no longer holds what
 * this run read under its lock, so another process (one that reached the database by another path, or without the
 * lock) migrated it meanwhile. The step fails rather than record a revision twice.
 */
export const VERSION_CONFLICT = 'the version table changed under this run: another process migrated the database; run retort current';

/**
 * The heads recorded in the version table `name`, sorted, or [] when the table does not exist yet (`present`, from
 * findOwnTables, says whether it does when given; else it is looked for). It asks the dialect only to quote and to
 * check the table, so `current` reads it with the dialect's connector alone.
 */
export async function readVersionHeads(conn: Connection, dialect: Pick<Dialect, 'quoteIdentifier' | 'tableExists'>, name: string, schema?: string, present?: ReadonlySet<string>): Promise<string[]> {
  const exists = present === undefined ? await dialect.tableExists(conn, name, schema === undefined ? {} : { schema }) : present.has(name);
  if (!exists) return [];
  const rows = await conn.query<{ version_num: string }>(`SELECT ${dialect.quoteIdentifier('version_num')} FROM ${dialect.quoteIdentifier(name)}`);
  return rows.map((r) => r.version_num).sort();
}

/** `heads` as they are, once each is known to the revision graph (the project's, read with `check`; or `graph`). */
/**
 * The way out for a database at a revision no file has (a branch switched or a revert): its file, where it is, to
 * downgrade with; a stamp where its changes are gone from the database too.
 */
export function missingHeadHint(rev: string): string {
  return `check out the branch that has ${rev}'s file and downgrade there to a revision this checkout has too (\`retort downgrade <rev>\`); if ${rev}'s changes are not in the database either, \`retort stamp <rev> --purge\` (stamp rewrites the version table only and leaves the schema as it is)`;
}

export function requireKnownHeads(project: Project, heads: string[], check: HeaderCheck | RevisionGraph = 'files'): string[] {
  const graph = typeof check === 'string' ? project.graph(check) : check;
  for (const h of heads) {
    if (!graph.has(h)) {
      throw new RetortError('NOT_FOUND', `Can't locate revision identified by '${h}': the database's ${project.config.versionTable} table names it, but no file in ${project.config.migrationsDir} has it`, {
        hint: missingHeadHint(h),
      });
    }
  }
  return heads;
}

export class VersionTable implements OwnTable {
  constructor(
    private readonly dialect: Dialect,
    readonly name: string,
    /** Where to look for the table, where the database has schemas. */
    readonly schema?: string,
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

  /**
   * The applied heads, or [] when the table does not exist yet; `present` (findOwnTables), when given, says whether
   * it does, so it is not looked for again.
   */
  async readHeads(conn: Connection, present?: ReadonlySet<string>): Promise<string[]> {
    return readVersionHeads(conn, this.dialect, this.name, this.schema, present);
  }

  /** What the table is, for messages. */
  readonly role = 'version';

  /**
   * The statements that move the table from one set of heads to another (UPDATE where one head replaces one), each
   * write checked by the dialect to change exactly the row expected (VERSION_CONFLICT otherwise); `printed` for a
   * --sql script.
   */
  transition(before: readonly string[], after: readonly string[], printed = false): Statement[] {
    const removed = before.filter((h) => !after.includes(h));
    const added = after.filter((h) => !before.includes(h));
    const col = this.dialect.quoteIdentifier('version_num');
    const lit = (v: string) => this.dialect.quoteLiteral(v);
    const guarded = (write: string) => this.dialect.guardedWrite(write, VERSION_CONFLICT, printed);
    if (removed.length === 1 && added.length === 1) {
      return guarded(`UPDATE ${this.q} SET ${col} = ${lit(added[0]!)} WHERE ${col} = ${lit(removed[0]!)}`);
    }
    // An insert checks the table holds nothing but the heads this transition keeps or adds (at base: nothing at all).
    const unexpected = (h: string) => {
      const others = after.filter((x) => x !== h);
      return others.length === 0 ? '' : ` WHERE ${col} = ${lit(h)} OR ${col} NOT IN (${others.map(lit).join(', ')})`;
    };
    return [
      ...removed.flatMap((h) => guarded(`DELETE FROM ${this.q} WHERE ${col} = ${lit(h)}`)),
      ...added.flatMap((h) => guarded(`INSERT INTO ${this.q} (${col}) SELECT ${lit(h)} WHERE NOT EXISTS (SELECT 1 FROM ${this.q}${unexpected(h)})`)),
    ];
  }
}

/**
 * Which of Retort's own tables `tables` exist, in one query: a run looks once, under its lock, and hands the answer
 * to what reads them and to createOwnTables (each looking for itself cost a round trip per table, twice a run).
 */
export async function findOwnTables(conn: Connection, dialect: Dialect, tables: readonly OwnTable[]): Promise<ReadonlySet<string>> {
  const schema = tables[0]?.schema;
  return dialect.existingTables(conn, tables.map((t) => t.name), schema === undefined ? {} : { schema });
}

/**
 * Creates Retort's own tables where they do not exist yet (`present`: those findOwnTables found; looked for when not
 * given). Looked for first: PostgreSQL checks the privilege to create in the schema even for CREATE TABLE IF NOT
 * EXISTS of a table that is there, and a role without it can still migrate a database whose tables an administrator
 * created. The missing ones are created in one request where the driver sends several statements at once; a failure
 * says which table Retort was creating.
 */
export async function createOwnTables(conn: Connection, dialect: Dialect, tables: readonly OwnTable[], present?: ReadonlySet<string>): Promise<void> {
  const found = present ?? (await findOwnTables(conn, dialect, tables));
  const missing = tables.filter((t) => !found.has(t.name));
  if (missing.length > 1 && conn.queryBatch) {
    try {
      await conn.queryBatch(missing.map((t) => t.createStatement().sql));
      return;
    } catch {
      // Created one by one below (IF NOT EXISTS), so that the error names the table that failed.
    }
  }
  for (const t of missing) {
    try {
      await conn.query(t.createStatement().sql);
    } catch (e) {
      if (isRetortError(e)) throw e;
      const explained = dialect.explainFailure?.(messageOf(e)) ?? null;
      throw new RetortError('MIGRATION_FAILED', `cannot create Retort's ${t.role} table ${t.name}: ${explained?.message ?? messageOf(e)}`, {
        ...(explained?.hint ? { hint: explained.hint } : {}),
        cause: e,
      });
    }
  }
}

/** One of Retort's own tables (version, history), as createOwnTables needs it. */
export interface OwnTable {
  readonly name: string;
  /** The schema it is in, where the database has schemas (the project's). */
  readonly schema?: string | undefined;
  readonly role: string;
  createStatement(): Statement;
}
