/**
 * A Project is what every command starts from: the resolved config, the
 * revision graph (read from headers, built once) and, only when a command needs
 * the database, the dialect and a connection.
 */
import { RetortError, messageOf } from '../errors.js';
import type { ResolvedConfig } from '../config/config.js';
import { parseDatabaseUrl, type DatabaseUrl } from '../config/url.js';
import type { ConnectOptions, Connection, Dialect } from '../dialects/dialect.js';
import type { RevisionGraph } from '../revisions/revision-graph.js';
import { readRevisionGraph } from '../revisions/read-graph.js';

export class Project {
  private graphMemo: RevisionGraph | null = null;

  constructor(readonly config: ResolvedConfig) {}

  /** The revision graph, read from the files' headers without running them. */
  graph(): RevisionGraph {
    this.graphMemo ??= readRevisionGraph(this.config);
    return this.graphMemo;
  }

  /** The database URL, parsed; a clear error when none is configured. */
  url(): DatabaseUrl {
    if (this.config.url === null) {
      throw new RetortError('CONFIG', 'no database URL is configured', {
        hint: this.config.file === null
          ? `there is no retort.config.ts in ${this.config.dir} or any folder above it: run \`retort init\` there, or pass --url / set RETORT_DATABASE_URL`
          : `pass --url, set RETORT_DATABASE_URL or DATABASE_URL, or add \`url\` to ${this.config.file}`,
      });
    }
    return parseDatabaseUrl(this.config.url, this.config.dir, process.env, this.config.urlSource);
  }

  // The dialect registry, and with it every database module, is imported only by commands that need a database.
  async dialect(): Promise<Dialect> {
    const { loadDialect } = await import('../dialects/index.js');
    return loadDialect(this.url().dialect);
  }

  /** Connects; `readOnly` for commands that only read (a SQLite file that does not exist is then not created). */
  async connect(opts: ConnectOptions = {}): Promise<{ dialect: Dialect; conn: Connection }> {
    const url = this.url();
    const dialect = await this.dialect();
    const conn = await dialect.connect(url, opts);
    try {
      for (const s of dialect.schemaSetup?.(this.config.schema) ?? []) await conn.query(s.sql);
    } catch (e) {
      await conn.close();
      throw new RetortError('CONFIG', `cannot use schema "${this.config.schema}" in ${url.masked}: ${messageOf(e)}`, {
        hint: `create it (CREATE SCHEMA "${this.config.schema}") or fix \`schema\` in the config`,
      });
    }
    return { dialect, conn };
  }

  /** The lock key: the version table, qualified by the schema, so that two schemas of one database migrate independently. */
  lockKey(): string {
    return this.config.schema === 'public' ? this.config.versionTable : `${this.config.schema}.${this.config.versionTable}`;
  }
}

/** Runs `fn` with a connection and closes it afterwards, whatever happens. */
export async function withConnection<T>(project: Project, fn: (dialect: Dialect, conn: Connection) => Promise<T>, opts: ConnectOptions = {}): Promise<T> {
  const { dialect, conn } = await project.connect(opts);
  try {
    return await fn(dialect, conn);
  } finally {
    await conn.close();
  }
}
