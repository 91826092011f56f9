/**
 * A Project is what every command starts from: the resolved config, the
 * revision graph (read from headers, built once) and, only when a command needs
 * the database, the dialect and a connection.
 */
import { nextTurn } from '../next-turn.js';
import { RetortError, messageOf } from '../errors.js';
import type { ResolvedConfig } from '../config/config.js';
import { parseDatabaseUrl, type DatabaseUrl } from '../config/url.js';
import type { ConnectOptions, Connection, Dialect, Statement } from '../dialects/dialect.js';
import type { DialectConnector } from '../dialects/registry-entry.js';
import type { RevisionGraph } from '../revisions/revision-graph.js';
import { readRevisionGraph, type HeaderCheck } from '../revisions/read-graph.js';

export class Project {
  private graphMemo: RevisionGraph | null = null;
  private graphCheck: HeaderCheck = 'files';

  constructor(readonly config: ResolvedConfig) {}

  /**
   * The revision graph, read from the files' headers without running them. `check` 'folder' trusts the header
   * cache on the folder's stamp (HeaderCheck): only read-only listings ask for it; a graph read that way is read
   * again, file by file, if the same project is then asked for the default.
   */
  graph(check: HeaderCheck = 'files'): RevisionGraph {
    if (this.graphMemo === null || (this.graphCheck === 'folder' && check === 'files')) {
      this.graphMemo = readRevisionGraph(this.config, check);
      this.graphCheck = check;
    }
    return this.graphMemo;
  }

  /**
   * Reads the graph (the files check) at the event loop's next turn, for a command that will need it once connected:
   * a connection to a server is mostly waiting for its replies, and the graph is read meanwhile (1000 revisions:
   * about 20 ms, a stat per file). A graph that fails to read is read again, and the error reported, where the
   * command asks for it, after the connection's own errors, as before.
   */
  readGraphSoon(): void {
    // A graph that fails is read again where it is needed.
    nextTurn().then(() => this.graph('files')).catch(() => undefined);
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
    return loadDialect(await this.checkedDialectId());
  }

  /** Connects; `readOnly` for commands that only read (a SQLite file that does not exist is then not created). */
  async connect(opts: ConnectOptions = {}): Promise<{ dialect: Dialect; conn: Connection }> {
    const url = this.url();
    const dialect = await this.dialect();
    return { dialect, conn: await this.open(dialect, url, opts) };
  }

  /**
   * Connects read-only with the dialect's connector alone (no compiler, planner or schema reader): what reading
   * the version table needs (`current`).
   */
  async connectToRead(): Promise<{ connector: DialectConnector; conn: Connection }> {
    const url = this.url();
    const { loadConnector } = await import('../dialects/index.js');
    const connector = await loadConnector(await this.checkedDialectId());
    return { connector, conn: await this.open(connector, url, { readOnly: true }) };
  }

  // The URL's dialect, once Retort's own table names are known to survive whole in it (as the models' names must).
  private async checkedDialectId(): Promise<string> {
    const { dialectEntry } = await import('../dialects/index.js');
    const id = this.url().dialect;
    const { maxIdentifierBytes: max, displayName } = dialectEntry(id);
    for (const [key, name] of [['versionTable', this.config.versionTable], ['historyTable', this.config.historyTable]] as const) {
      if (max !== null && Buffer.byteLength(name, 'utf8') > max) {
        throw new RetortError('CONFIG', `${this.config.file ?? 'configuration'}: "${key}" is ${Buffer.byteLength(name, 'utf8')} bytes long; ${displayName} would silently cut it to ${max}`, { hint: 'choose a shorter name' });
      }
    }
    return id;
  }

  private async open(dialect: DialectConnector, url: DatabaseUrl, opts: ConnectOptions): Promise<Connection> {
    const conn = await dialect.connect(url, opts);
    try {
      for (const s of this.schemaSetup(dialect)) await conn.query(s.sql);
    } catch (e) {
      await conn.close();
      throw new RetortError('CONFIG', `cannot use schema "${this.config.schema}" in ${url.masked}: ${messageOf(e)}`, {
        hint: `create it (CREATE SCHEMA ${dialect.quoteIdentifier(this.config.schema ?? '')}) or fix \`schema\` in the config`,
      });
    }
    return conn;
  }

  /** The schema Retort manages on `dialect`: the config's, else the dialect's default; undefined where there are none. */
  schema(dialect: Pick<Dialect, 'defaultSchema'>): string | undefined {
    return this.config.schema ?? dialect.defaultSchema ?? undefined;
  }

  /** The schema as an option of the dialect's readers: `{ schema }`, or nothing where there is none. */
  schemaOption(dialect: Pick<Dialect, 'defaultSchema'>): { schema?: string; schemas?: readonly string[] } {
    const schema = this.schema(dialect);
    if (schema === undefined) return {};
    const schemas = this.namedSchemas(dialect);
    return schemas.length === 0 ? { schema } : { schema, schemas };
  }

  /** The other schemas Retort manages (the config's `schemas` but the default one); none where the database has no schemas. */
  namedSchemas(dialect: Pick<Dialect, 'defaultSchema'>): readonly string[] {
    const schema = this.schema(dialect);
    return schema === undefined ? [] : this.config.schemas.filter((s) => s !== schema);
  }

  /** What the models may declare in named schemas on `dialect` (models/collect-schemas.ts). */
  modelSchemas(dialect: Pick<Dialect, 'defaultSchema' | 'displayName'>): { managed: readonly string[]; defaultSchema: string | null; dialect: string; hasSchemas: boolean } {
    return { managed: this.namedSchemas(dialect), defaultSchema: this.schema(dialect) ?? null, dialect: dialect.displayName, hasSchemas: dialect.defaultSchema !== null };
  }

  /** The statements that make the project's schema the session's (printed first by --sql too); none without one. */
  schemaSetup(dialect: Pick<Dialect, 'defaultSchema' | 'schemaSetup'>): Statement[] {
    const schema = this.schema(dialect);
    return schema === undefined ? [] : dialect.schemaSetup?.(schema) ?? [];
  }

  /**
   * The lock key: the version table, qualified by the schema unless it is the dialect's default, so that two
   * schemas of one database migrate independently (and naming the default schema changes nothing).
   */
  lockKey(dialect: Pick<Dialect, 'defaultSchema'>): string {
    const schema = this.config.schema;
    return schema === null || schema === dialect.defaultSchema ? this.config.versionTable : `${schema}.${this.config.versionTable}`;
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
