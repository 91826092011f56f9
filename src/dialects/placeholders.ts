/**
 * Placeholders written in as literals, for printed scripts: `$1`-style (PostgreSQL) and `?`-style (SQLite)
 * outside quoted text. Shared by the dialects that use these styles (SqlSpellingPart.inlineParams).
 */
import { RetortError, isRetortError } from '../errors.js';

/**
 * SQL with its parameters written in as literals, so printed SQL runs as it is: `$1`-style and `?`-style
 * placeholders outside quotes. `literal` spells a value as the dialect reads it; a value it refuses is named
 * by its placeholder.
 */
export function inlinePlaceholders(sql: string, params: readonly unknown[], literal: (value: unknown) => string): string {
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
