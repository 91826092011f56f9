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
 * canonicalNumber spells a numeric literal one way, by value, so that defaults the database and a model write
 * differently compare equal: `0.0`, `+0` and `0` are `0`; `1.50` is `1.5`; `007` is `7`; `1e3` and `1.0E3` are
 * `1000`, `25e-3` is `0.025`. Null when `n` is not a numeric literal. A number whose point would move more than
 * 100 places is written with one digit before the point and an exponent (`15e299` and `1.5e300` are `1.5e300`):
 * written out it would be hundreds of digits long.
 */
export function canonicalNumber(n: string): string | null {
  const m = /^([+-]?)(?:(\d+)\.?(\d*)|\.(\d+))(?:e([+-]?\d+))?$/i.exec(n);
  if (!m) return null;
  const whole = m[2] ?? '';
  const fraction = m[3] ?? m[4] ?? '';
  const exponent = m[5] === undefined ? 0 : Number(m[5]);
  let digits = whole + fraction;
  let point = whole.length + exponent;
  if (Math.abs(exponent) > 100) {
    // Scientific form, by the number's size: the first significant digit before the point.
    const first = digits.search(/[1-9]/);
    if (first < 0) return '0';
    const sign = m[1] === '-' ? '-' : '';
    const significant = digits.slice(first).replace(/0+$/, '');
    const e = point - first - 1;
    return `${sign}${significant[0]}${significant.length > 1 ? `.${significant.slice(1)}` : ''}e${e}`;
  }
  // Pad so that the point falls inside the digits, then read off the two parts.
  if (point < 0) {
    digits = '0'.repeat(-point) + digits;
    point = 0;
  }
  if (point > digits.length) digits += '0'.repeat(point - digits.length);
  const intPart = digits.slice(0, point).replace(/^0+(?=\d)/, '') || '0';
  const fracPart = digits.slice(point).replace(/0+$/, '');
  const sign = m[1] === '-' && /[1-9]/.test(intPart + fracPart) ? '-' : '';
  return `${sign}${intPart}${fracPart ? `.${fracPart}` : ''}`;
}
