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
