/**
 * Index key entries with their options. An IndexIR entry is a column name, an
 * expression, or either followed by PostgreSQL's per-key options in the order
 * CREATE INDEX takes them: `title DESC`, `name text_pattern_ops`,
 * `"Title" COLLATE "C" DESC NULLS LAST`, `lower(email) DESC`. The introspector,
 * the normaliser and the compiler read and write entries through this file so
 * that the three agree.
 */
import { closingParen, quotedRunAt, splitTopLevel as splitOn } from '../sql-text.js';
import { postgresSyntax, quoteIdentifier } from './postgres-sql.js';

/** An index entry split into its key (a column name or an expression, as written) and its options (`''` for none). */
export interface IndexKey {
  readonly key: string;
  readonly options: string;
}

// Options at the end of an entry, last first: NULLS FIRST/LAST, ASC/DESC, an operator class (every built-in and
// contrib one is named *_ops), COLLATE name. A column literally named like "title desc" must be declared quoted.
const NULLS = /\s+NULLS\s+(FIRST|LAST)$/i;
const ORDER = /\s+(ASC|DESC)$/i;
const OPCLASS = /\s+((?:(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)\.)?(?:"(?:[^"]|"")+_ops"|[a-z_][a-z0-9_$]*_ops))$/i;
const COLLATE = /\s+COLLATE\s+((?:(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*)\.)?(?:"(?:[^"]|"")+"|[a-z_][a-z0-9_$]*))$/i;

/** splitIndexEntry separates trailing key options from the key; an entry without options comes back whole. */
export function splitIndexEntry(entry: string): IndexKey {
  let rest = entry.trim();
  let nulls: string | null = null;
  let order: string | null = null;
  let opclass: string | null = null;
  let collate: string | null = null;
  const take = (re: RegExp): string | null => {
    const m = re.exec(rest);
    if (!m || m.index === 0) return null;
    rest = rest.slice(0, m.index).trimEnd();
    return m[1]!;
  };
  nulls = take(NULLS);
  order = take(ORDER);
  opclass = take(OPCLASS);
  collate = take(COLLATE);
  const parts: string[] = [];
  if (collate !== null) parts.push(`COLLATE ${collate}`);
  if (opclass !== null) parts.push(opclass);
  if (order !== null) parts.push(order.toUpperCase());
  if (nulls !== null) parts.push(`NULLS ${nulls.toUpperCase()}`);
  return { key: rest, options: parts.join(' ') };
}

/**
 * normalizeIndexOptions writes options as pg_get_indexdef prints them: ASC and the NULLS order that goes
 * with the direction are defaults and go; a collation is quoted only where it must be.
 */
export function normalizeIndexOptions(options: string): string {
  const { collate, opclass, desc, nulls } = parseOptions(options);
  const out: string[] = [];
  if (collate !== null) out.push(`COLLATE ${collate.split('.').map(identifierText).join('.')}`);
  if (opclass !== null) out.push(opclass.split('.').map(identifierText).join('.'));
  if (desc) out.push('DESC');
  if (nulls !== null && nulls !== (desc ? 'FIRST' : 'LAST')) out.push(`NULLS ${nulls}`);
  return out.join(' ');
}

function parseOptions(options: string): { collate: string | null; opclass: string | null; desc: boolean; nulls: string | null } {
  const m = /^(?:COLLATE\s+(\S+)\s*)?((?!ASC\b|DESC\b|NULLS\b)\S+)?\s*(ASC|DESC)?\s*(?:NULLS\s+(FIRST|LAST))?$/i.exec(options.trim());
  if (!m) return { collate: null, opclass: null, desc: false, nulls: null };
  return { collate: m[1] ?? null, opclass: m[2] ?? null, desc: (m[3] ?? '').toUpperCase() === 'DESC', nulls: m[4] ? m[4].toUpperCase() : null };
}

/** An identifier as PostgreSQL's deparser prints it: bare when lower-case and plain, double-quoted otherwise. */
export function identifierText(name: string): string {
  const bare = /^"(?:[^"]|"")+"$/.test(name) ? name.slice(1, -1).replace(/""/g, '"') : name;
  return /^[a-z_][a-z0-9_$]*$/.test(bare) ? bare : `"${bare.replace(/"/g, '""')}"`;
}

/** unquoteIdentifier turns `"Title"` into `Title`; anything else comes back as it is. */
export function unquoteIdentifier(name: string): string {
  return /^"(?:[^"]|"")+"$/.test(name) ? name.slice(1, -1).replace(/""/g, '"') : name;
}

/**
 * splitTopLevel splits a list at the commas outside parentheses, quoted strings and quoted
 * names: the key list of a pg_get_indexdef definition.
 */
export function splitTopLevel(list: string): string[] {
  return splitOn(list, postgresSyntax);
}

/** The parenthesised list that starts at `open` in `s`, without its parentheses, or null. */
export function parenthesised(s: string, open: number): string | null {
  const close = closingParen(s, open, postgresSyntax);
  return close < 0 ? null : s.slice(open + 1, close);
}

/**
 * keyOptionsFromDefinition reads each key's options out of a full pg_get_indexdef(oid, 0, true):
 * key k of the list starts with `keyTexts[k]` (pg_get_indexdef(oid, k + 1, true), the key alone)
 * and the rest of it is its options.
 */
export function keyOptionsFromDefinition(definition: string, method: string, keyTexts: readonly string[]): string[] {
  const marker = ` USING ${method} (`;
  const at = definition.indexOf(marker);
  const list = at < 0 ? null : parenthesised(definition, at + marker.length - 1);
  const pieces = list === null ? [] : splitTopLevel(list);
  return keyTexts.map((key, k) => {
    const piece = pieces[k];
    return piece !== undefined && piece.startsWith(key) ? piece.slice(key.length).trim() : '';
  });
}

/**
 * indexColumnSql quotes a column name and leaves an expression as SQL. An entry
 * with a parenthesis is an expression (`lower(email)`, `(a + b)`); PostgreSQL
 * wants expressions other than function calls in parentheses. Key options after
 * the key (`title DESC`, `"Name" text_pattern_ops`) are kept as written.
 */
export function indexColumnSql(entry: string): string {
  const { key, options } = splitIndexEntry(entry);
  if (options === '') return keySql(entry);
  return `${/^"(?:[^"]|"")+"$/.test(key) ? key : keySql(key)} ${options}`;
}

/**
 * True when an index key (options split off) names a column: a quoted name, or one without parentheses, operators
 * or a whole string literal (`it's` and `Order Items` are names; `ff + 3` and `doc->>'a'` are expressions).
 */
export function isColumnKey(key: string): boolean {
  return /^"(?:[^"]|"")+"$/.test(key) || (!key.includes('(') && !isBareExpression(key));
}

function keySql(key: string): string {
  if (/^"(?:[^"]|"")+"$/.test(key)) return key;
  // A key without parentheses is a column name unless it holds an operator or a whole string literal (`ff + 3`,
  // `doc->>'a'`), which a revision file gives as sql`ff + 3`: PostgreSQL wants such an expression in parentheses.
  if (isColumnKey(key)) return quoteIdentifier(key);
  return /^[\p{L}_][\p{L}\p{N}_$.]*\s*\(/u.test(key) && closingParen(key, key.indexOf('('), postgresSyntax) === key.length - 1 ? key : key.startsWith('(') && closingParen(key, 0, postgresSyntax) === key.length - 1 ? key : `(${key})`;
}

/** True when a key holds an operator or a closed string literal outside quoted names: `ff + 3`, not `it's` or `Order Items`. */
function isBareExpression(key: string): boolean {
  for (let i = 0; i < key.length;) {
    const run = quotedRunAt(key, i, postgresSyntax);
    if (run !== null) {
      if (run.kind === 'string' && run.closed) return true;
      i = run.end;
      continue;
    }
    if ('+-*/<>=|&!~%^@#:'.includes(key[i]!)) return true;
    i++;
  }
  return false;
}
