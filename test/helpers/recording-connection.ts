/** A connection that records every request it is given, in order, for tests of what the runner sends. */
import type { Connection } from '../../src/dialects/dialect.js';

export class RecordingConnection implements Connection {
  readonly log: string[] = [];
  constructor(private readonly inner: Connection) {}
  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<R[]> {
    this.log.push(sql);
    return this.inner.query<R>(sql, params);
  }
  close(): Promise<void> {
    return this.inner.close();
  }
}
