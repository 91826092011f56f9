/**
 * `--json`: a command's report, or its error, as one JSON document on stdout. The shapes are documented in
 * docs/reference/cli.md; `schemaVersion` changes only when a field is removed or changes meaning (new fields may
 * be added under the same version).
 */
import { isRetortError, messageOf } from '../errors.js';
import { print } from './output.js';

/** The version of the JSON documents' shape. */
export const JSON_SCHEMA_VERSION = 1;

// BigInt (a default in the models) has no JSON form of its own: it is written as its decimal digits.
const replacer = (_key: string, value: unknown): unknown => (typeof value === 'bigint' ? value.toString() : value);

/** Prints `{ schemaVersion, command, ...report }`. */
export function printJson(command: string, report: object): void {
  print(JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, command, ...report }, replacer, 2));
}

/** The error document's `error`: a RetortError's code, message, hint and details; anything else is INTERNAL (a bug). */
export function errorJson(e: unknown): { code: string; message: string; hint: string | null; details: readonly string[] } {
  if (isRetortError(e)) return { code: e.code, message: messageOf(e), hint: e.hint ?? null, details: e.details };
  return { code: 'INTERNAL', message: messageOf(e), hint: 'this looks like a bug in Retort; run again with --debug for the stack trace and report it', details: [] };
}

/** Prints `{ schemaVersion, command, error: { code, message, hint, details } }`; `command` null when none was read. */
export function printJsonError(e: unknown, command: string | null): void {
  print(JSON.stringify({ schemaVersion: JSON_SCHEMA_VERSION, command, error: errorJson(e) }, replacer, 2));
}
