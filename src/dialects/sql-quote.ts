/**
 * SQL-standard quoting, which PostgreSQL and SQLite share: identifiers in
 * double quotes, string literals in single quotes, the quote doubled inside.
 * Dialects expose these through their own quoteIdentifier/quoteLiteral.
 */

/** quoteIdentifier always double-quotes, doubling inner quotes, so reserved words, mixed case and non-ASCII names survive. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** quoteLiteral writes a string literal with only its single quotes doubled (PostgreSQL's standard_conforming_strings, SQLite). */
export function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * canonicalNumber spells a numeric literal one way, so that defaults the database and a model write
 * differently compare equal: `0.0`, `+0` and `0` are `0`; `1.50` is `1.5`; `007` is `7`; `1.0E3` is `1e3`
 * (trailing zeros of a fraction only: `10` stays `10`). Null when `n` is not a numeric literal.
 */
export function canonicalNumber(n: string): string | null {
  const m = /^([+-]?)(?:(\d+)\.?(\d*)|\.(\d+))(e[+-]?\d+)?$/i.exec(n);
  if (!m) return null;
  const fraction = (m[3] ?? m[4] ?? '').replace(/0+$/, '');
  const whole = (m[2] ?? '').replace(/^0+(?=\d)/, '') || '0';
  const sign = m[1] === '-' && /[1-9]/.test(whole + fraction) ? '-' : '';
  return `${sign}${whole}${fraction ? `.${fraction}` : ''}${m[5]?.toLowerCase() ?? ''}`;
}
