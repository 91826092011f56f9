/**
 * A query parameter written into printed SQL (`--sql`) as the literal SQLite reads as the value the driver
 * (better-sqlite3, through sqlite-driver's bindable) would have bound. A value the driver cannot bind is refused
 * here too, with what to pass instead, rather than printed as something the online run would not have stored.
 */
import { RetortError } from '../../errors.js';
import { quoteLit } from './sqlite-normalize.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** literalSql: `1`/`0` for booleans, `5.0` (the driver binds every number as a REAL), `X'6869'`, `'text'`, NULL. */
export function literalSql(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'string') return quoteLit(value);
  if (typeof value === 'number') return realLiteral(value);
  if (typeof value === 'bigint') {
    if (value < INT64_MIN || value > INT64_MAX) throw refused('a bigint beyond 64 bits', 'SQLite stores integers of up to 64 bits: pass it as a string');
    return value < 0n ? `(${value})` : String(value);
  }
  if (ArrayBuffer.isView(value)) return `X'${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}'`;
  if (value instanceof Date) throw refused('a Date', 'SQLite has no date type: pass date.toISOString() (text) or date.getTime() (a number)');
  if (Array.isArray(value)) throw refused('an array', 'SQLite has no array type: pass JSON.stringify(value) to store it as JSON text');
  throw refused(typeof value === 'object' ? 'an object' : `a ${typeof value}`, 'pass a string, number, bigint, boolean, Buffer or null (JSON.stringify(value) for JSON text)');
}

/** A number as the REAL the driver binds: NaN is stored as NULL, the infinities as SQLite's overflowing literal. */
function realLiteral(n: number): string {
  if (Number.isNaN(n)) return 'NULL';
  if (!Number.isFinite(n)) return n > 0 ? '9e999' : '(-9e999)';
  const text = String(Math.abs(n));
  // Without a point or an exponent SQLite would read an INTEGER.
  const real = /[.e]/.test(text) ? text : `${text}.0`;
  return n < 0 ? `(-${real})` : real;
}

function refused(what: string, hint: string): RetortError {
  return new RetortError('UNSUPPORTED', `SQLite cannot take ${what} as a parameter`, { hint });
}
