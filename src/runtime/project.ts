/**
 * A Project is what every command starts from: the resolved config, the
 * revision graph (read from headers, built once) and, only when a command needs
 * the database, the dialect and a connection.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { RetortError, messageOf } from '../errors.js';
import type { ResolvedConfig } from '../config/config.js';
import { parseDatabaseUrl, type DatabaseUrl } from '../config/url.js';
import type { Connection, Dialect } from '../dialects/dialect.js';
import { RevisionGraph } from '../revisions/revision-graph.js';
import { scanRevisions } from '../revisions/revision-scan.js';

export class Project {
  private graphMemo: RevisionGraph | null = null;

  constructor(readonly config: ResolvedConfig) {}

  /** The revision graph, read from the files' headers without running them. */
  graph(): RevisionGraph {
    this.graphMemo ??= new RevisionGraph(scanRevisions(this.config.migrationsDir, this.headerCacheFile()));
    return this.graphMemo;
  }

  /** Where revision headers are cached: the project's node_modules/.cache, when the project has node_modules. */
  private headerCacheFile(): string | null {
    const modules = path.join(this.config.dir, 'node_modules');
    if (!existsSync(modules)) return null;
    const key = fnv1a(this.config.migrationsDir);
    return path.join(modules, '.cache', 'retort', `headers-${key}.json`);
  }

  /** The database URL, parsed; a clear error when none is configured. */
  url(): DatabaseUrl {
    if (!this.config.url) {
      throw new RetortError('CONFIG', 'no database URL is configured', {
        hint: 'pass --url, set RETORT_DATABASE_URL or DATABASE_URL, or add `url` to retort.config.ts',
      });
    }
    return parseDatabaseUrl(this.config.url, this.config.dir);
  }

  // The dialect registry, and with it every database module, is imported only by commands that need a database.
  async dialect(): Promise<Dialect> {
    const { loadDialect } = await import('../dialects/index.js');
    return loadDialect(this.url().dialect);
  }

  async connect(): Promise<{ dialect: Dialect; conn: Connection }> {
    const url = this.url();
    const dialect = await this.dialect();
    const conn = await dialect.connect(url);
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
export async function withConnection<T>(project: Project, fn: (dialect: Dialect, conn: Connection) => Promise<T>): Promise<T> {
  const { dialect, conn } = await project.connect();
  try {
    return await fn(dialect, conn);
  } finally {
    await conn.close();
  }
}

/** A short stable hash of a path (FNV-1a), to name a cache file; node:crypto would cost more to load than it saves. */
function fnv1a(text: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(16).padStart(8, '0');
}
