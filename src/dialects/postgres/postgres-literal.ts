/**
 * A query parameter written into printed SQL (`--sql`) as a literal that PostgreSQL reads as the same value the
 * driver would have sent. node-postgres sends every parameter but a Buffer as text of unknown type, which the
 * server then reads as whatever the statement needs (an int, a text[], a jsonb, a timestamptz): an untyped
 * string literal is read the same way, so the literal is the driver's own text for the value, quoted. A Buffer
 * travels as raw bytes, which is a bytea.
 */
import { createRequire } from 'node:module';
// quoteLiteral reads the same whatever standard_conforming_strings says (E'...' when there is a backslash).
import { quoteLiteral } from './postgres-sql.js';

type PrepareValue = (value: unknown) => string | Buffer | null;

let prepare: PrepareValue | null = null;

/** The driver's own conversion (node-postgres's `utils.prepareValue`), loaded when a script first needs it. */
function driverText(value: unknown): string | Buffer | null {
  prepare ??= (createRequire(import.meta.url)('pg') as { utils: { prepareValue: PrepareValue } }).utils.prepareValue;
  return prepare(value);
}

/** literalSql: `'42'`, `'true'`, `'{"a","b"}'`, `'2026-01-02T03:04:05.000+01:00'`, `E'\\x6869'::bytea`, NULL. */
export function literalSql(value: unknown): string {
  const text = driverText(value);
  if (text === null) return 'NULL';
  if (Buffer.isBuffer(text)) return `${quoteLiteral(`\\x${text.toString('hex')}`)}::bytea`;
  return quoteLiteral(text);
}
