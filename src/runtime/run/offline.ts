/**
 * Offline runs (`--sql`): the runner runs the same steps on a connection that prints each statement instead of
 * running it, mirroring it onto the dialect's scratch database where the compiler needs to read the schema
 * (SQLite's table rebuild).
 */
import { RetortError, isRetortError } from '../../errors.js';
import { liveCatalog, noCatalog, type Catalog, type Connection, type Dialect } from '../../dialects/dialect.js';

/** A Connection that prints statements instead of running them, mirroring them onto a scratch database when there is one. */
export class PrintingConnection implements Connection {
  constructor(
    private readonly write: (text: string) => void,
    private readonly scratch: Connection | null,
    /** The dialect's literal for a parameter (Dialect.literalSql). */
    private readonly literal: (value: unknown) => string,
  ) {}
  /** A `-- ...` line for whoever reads the script (which revision the next statements belong to). */
  comment(text: string): void {
    // A line comment ends at any line break a reader knows (psql ends one at a bare \r too): none may reach
    // the script, or the text after it would run as SQL. Headers already refuse such messages; this is the second guard.
    this.write(`-- ${text.replace(/[\n\r\u2028\u2029\u0085\v\f]/g, ' ')}\n\n`);
  }

  async query<R>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    this.write(`${params && params.length ? inlineParams(sql, params, this.literal) : sql};\n\n`);
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

/**
 * SQL with its parameters written in as literals, so printed SQL runs as it is: `$1`-style and `?`-style
 * placeholders outside quotes. `literal` spells a value as the dialect reads it; a value it refuses is named
 * by its placeholder.
 */
export function inlineParams(sql: string, params: readonly unknown[], literal: (value: unknown) => string): string {
  let next = 0;
  const unquoted = sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"/g, '');
  // One style per statement: with $n placeholders a `?` is PostgreSQL's jsonb operator, not a parameter.
  const dollars = /\$\d+/.test(unquoted);
  // Quoted strings and identifiers are skipped whole; placeholders are replaced.
  return sql.replace(/'(?:[^']|'')*'|"(?:[^"]|"")*"|\$(\d+)|\?/g, (m, n: string | undefined) => {
    if (m.startsWith("'") || m.startsWith('"') || (m === '?' && dollars)) return m;
    const i = n === undefined ? next++ : Number(n) - 1;
    if (i < 0 || i >= params.length) throw new RetortError('USAGE', `statement has placeholder ${m} but ${params.length} parameter(s): ${sql}`);
    try {
      return literal(params[i]);
    } catch (e) {
      if (!isRetortError(e)) throw e;
      const which = n === undefined ? `parameter ${i + 1} (${m})` : `parameter ${m}`;
      throw new RetortError(e.code, `${which} cannot be written into the SQL: ${e.message}`, e.hint ? { hint: e.hint } : {});
    }
  });
}
