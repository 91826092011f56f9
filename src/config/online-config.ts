/**
 * The config keys that bound how a revision waits on PostgreSQL's table locks and which plans autogenerate
 * writes: `revisionLockTimeout`, `revisionStatementTimeout`, `lockRetries` and `safety`. Kept apart from
 * config.ts's `lockTimeout`, which is how long a command waits for Retort's own migration lock.
 */
import { RetortError } from '../errors.js';

/** `online`: autogenerate writes lock-safe forms for tables that exist; `simple`: the plain forms. */
export type Safety = 'online' | 'simple';

/** OnlineSettings are the resolved keys: durations in milliseconds, 0 or null meaning "not set". */
export interface OnlineSettings {
  /** Each revision's transaction waits at most this long for a lock (0: no limit). Default 5 s. */
  readonly lockTimeoutMs: number;
  /** Each statement of a revision runs at most this long; null leaves the server's setting. */
  readonly statementTimeoutMs: number | null;
  /** How many times a revision that hit the lock timeout is run again before the command fails. Default 3. */
  readonly lockRetries: number;
  readonly safety: Safety;
}

export const ONLINE_KEYS = ['revisionLockTimeout', 'revisionStatementTimeout', 'lockRetries', 'safety'] as const;

export const DEFAULT_ONLINE: OnlineSettings = { lockTimeoutMs: 5000, statementTimeoutMs: null, lockRetries: 3, safety: 'online' };

const UNITS: Record<string, number> = { ms: 1, s: 1000, min: 60_000, h: 3_600_000 };

/** Reads a duration: a number of seconds, or text such as '500ms', '5s', '2min'; returns milliseconds. */
export function parseDuration(v: unknown, key: string, where: string): number {
  const fail = () => new RetortError('CONFIG', `${where}: "${key}" must be a number of seconds or a duration such as '500ms', '5s' or '2min'`);
  if (typeof v === 'number') {
    if (!(v >= 0) || !Number.isFinite(v)) throw fail();
    return Math.round(v * 1000);
  }
  if (typeof v !== 'string') throw fail();
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|min|h)?\s*$/.exec(v);
  if (!m) throw fail();
  return Math.round(Number(m[1]) * UNITS[m[2] ?? 's']!);
}

/** Resolves the online keys of a config object `c` (already checked to be an object). */
export function resolveOnline(c: Record<string, unknown>, where: string): OnlineSettings {
  const retries = c.lockRetries;
  if (retries !== undefined && (typeof retries !== 'number' || !Number.isInteger(retries) || retries < 0 || retries > 100)) {
    throw new RetortError('CONFIG', `${where}: "lockRetries" must be a whole number from 0 to 100 (got ${JSON.stringify(retries)})`);
  }
  const safety = c.safety;
  if (safety !== undefined && safety !== 'online' && safety !== 'simple') {
    throw new RetortError('CONFIG', `${where}: "safety" must be 'online' or 'simple' (got ${JSON.stringify(safety)})`);
  }
  return {
    lockTimeoutMs: c.revisionLockTimeout === undefined ? DEFAULT_ONLINE.lockTimeoutMs : parseDuration(c.revisionLockTimeout, 'revisionLockTimeout', where),
    // Set (0 included: no timeout, whatever the role or database sets) or not set (null: the session's own applies).
    statementTimeoutMs: c.revisionStatementTimeout === undefined ? null : parseDuration(c.revisionStatementTimeout, 'revisionStatementTimeout', where),
    lockRetries: retries ?? DEFAULT_ONLINE.lockRetries,
    safety: safety ?? DEFAULT_ONLINE.safety,
  };
}
