/**
 * Offline runs (`--sql`): the runner runs the same steps on a connection that prints each statement instead of
 * running it, mirroring it onto the dialect's scratch database where the compiler needs to read the schema
 * (SQLite's table rebuild).
 */
import { liveCatalog, noCatalog, type Catalog, type Connection, type Dialect, type SqlSpellingPart } from '../../dialects/dialect.js';

/** A Connection that prints statements instead of running them, mirroring them onto a scratch database when there is one. */
export class PrintingConnection implements Connection {
  constructor(
    private readonly write: (text: string) => void,
    private readonly scratch: Connection | null,
    /** The dialect's spelling of parameters: its placeholders written in as its literals. */
    private readonly spelling: Pick<SqlSpellingPart, 'inlineParams' | 'literalSql'>,
  ) {}
  /** A `-- ...` line for whoever reads the script (which revision the next statements belong to). */
  comment(text: string): void {
    // A line comment ends at any line break a reader knows (psql ends one at a bare \r too): none may reach
    // the script, or the text after it would run as SQL. Headers already refuse such messages; this is the second guard.
    this.write(`-- ${text.replace(/[\n\r\u2028\u2029\u0085\v\f]/g, ' ')}\n\n`);
  }

  async query<R>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    this.write(`${params && params.length ? this.spelling.inlineParams(sql, params, (v) => this.spelling.literalSql(v)) : sql};\n\n`);
    return this.scratch ? this.scratch.query<R>(sql, params) : [];
  }
  async close(): Promise<void> {
    await this.scratch?.close();
  }
}

/** The catalog offline runs read: the scratch database where the dialect has one. */
export function offlineCatalog(dialect: Dialect, scratch: Connection | null): Catalog {
  return scratch ? liveCatalog(dialect, scratch) : noCatalog;
}
