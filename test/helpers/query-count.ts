/** Counts what a project's connections send: round trips, and statements (a batch is one round trip of several). */
import type { Connection } from '../../src/dialects/dialect.js';
import type { Project } from '../../src/runtime/project.js';

export interface QueryCounts {
  roundTrips: number;
  statements: number;
  /** Each round trip's statements, in order. */
  readonly sent: (readonly string[])[];
}

/** Wraps `project`'s connect so that every query of every connection it opens from now on is counted in the result. */
export function countQueries(project: Project): QueryCounts {
  const counts: QueryCounts = { roundTrips: 0, statements: 0, sent: [] };
  const connect = project.connect.bind(project);
  project.connect = async (opts) => {
    const r = await connect(opts);
    const conn: Connection = r.conn;
    const query = conn.query.bind(conn);
    conn.query = ((sql: string, params?: readonly unknown[]) => {
      counts.roundTrips++;
      counts.statements++;
      counts.sent.push([sql]);
      return query(sql, params);
    }) as Connection['query'];
    if (conn.queryBatch) {
      const batch = conn.queryBatch.bind(conn);
      conn.queryBatch = ((sqls: readonly string[]) => {
        counts.roundTrips++;
        counts.statements += sqls.length;
        counts.sent.push([...sqls]);
        return batch(sqls);
      }) as NonNullable<Connection['queryBatch']>;
    }
    return r;
  };
  return counts;
}
