/**
 * PostgreSQL's own parser (libpg-query: the server's grammar compiled to WebAssembly, no native build) and small
 * readers over the tree it returns. Lint never reads SQL with regular expressions: a statement is what this parser
 * says it is. The tree is plain JSON: every node is an object with one key, its type (`{ IndexStmt: {...} }`).
 */
import { createRequire } from 'node:module';

/** A parse-tree node: one key, the node's type, holding its fields. */
export type PgNode = Readonly<Record<string, unknown>>;
/** A node's fields. */
export type PgFields = Readonly<Record<string, unknown>>;

/** libpg-query's result: each statement with its place in the text, in bytes (a missing location is 0, a missing length the rest). */
type ParseResult = { stmts?: { stmt?: PgNode; stmt_location?: number; stmt_len?: number }[] };
type Parser = { loadModule(): Promise<void>; parseSync(sql: string): ParseResult };
let parser: Promise<Parser> | null = null;

/** Loads the parser once (about 30 ms: the WebAssembly module compiles). */
function loadParser(): Promise<Parser> {
  parser ??= (async () => {
    const p = createRequire(import.meta.url)('libpg-query') as Parser;
    await p.loadModule();
    return p;
  })();
  return parser;
}

/** What parsing one piece of SQL gave: its statements, or the parser's message. */
export type Parsed = { readonly ok: true; readonly statements: readonly PgNode[] } | { readonly ok: false; readonly error: string };

/** Returns a synchronous parse function once the parser is loaded. */
export async function pgParser(): Promise<(sql: string) => Parsed> {
  const p = await loadParser();
  return (sql) => parseOne(p, sql);
}

/**
 * Returns a function that parses several pieces of SQL in one call of the parser and gives each piece what parsing
 * it alone gives. Each call crosses into WebAssembly, copies the text in and the tree out as JSON: one call for a
 * revision's statements instead of one per statement. The `location` fields of the nodes count from the start
 * of the joined text (lint reads none).
 */
export async function pgBatchParser(): Promise<(pieces: readonly string[]) => Parsed[]> {
  const p = await loadParser();
  return (pieces) => parseMany(p, pieces);
}

function parseOne(p: Parser, sql: string): Parsed {
  try {
    return { ok: true, statements: statementsOf(p.parseSync(sql)) };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}

function statementsOf(result: ParseResult): PgNode[] {
  return (result.stmts ?? []).flatMap((s) => (s.stmt ? [s.stmt] : []));
}

// A newline first, so that a piece ending in a `--` comment does not comment out the semicolon.
const SEPARATOR = '\n;\n';

/**
 * The pieces joined by semicolons, parsed once, each statement given back to the piece it lies in. That is what
 * parsing each piece alone gives when every statement lies within one piece: the lexer is then in its plain state at
 * each separator, so each piece starts afresh. A statement that reaches over a separator (a piece that ends inside a
 * string, a comment or BEGIN ATOMIC), or a text that does not parse, is split in halves and parsed again, down to
 * single pieces, which give their own errors.
 */
function parseMany(p: Parser, pieces: readonly string[]): Parsed[] {
  if (pieces.length === 0) return [];
  // An empty piece is an error alone (the parser refuses empty text) and nothing at all when joined.
  if (pieces.length === 1 || pieces.includes('')) return pieces.map((sql) => parseOne(p, sql));
  const split = (): Parsed[] => {
    const half = Math.ceil(pieces.length / 2);
    return [...parseMany(p, pieces.slice(0, half)), ...parseMany(p, pieces.slice(half))];
  };
  let result: ParseResult;
  const text = pieces.join(SEPARATOR);
  try {
    result = p.parseSync(text);
  } catch {
    return split();
  }
  // Where each piece's separating semicolon is, in bytes (the parser's locations are byte offsets).
  const semicolons: number[] = [];
  let at = 0;
  for (const piece of pieces) {
    at += Buffer.byteLength(piece);
    semicolons.push(at + 1);
    at += SEPARATOR.length;
  }
  const total = Buffer.byteLength(text);
  const out: PgNode[][] = pieces.map(() => []);
  let i = 0;
  for (const s of result.stmts ?? []) {
    const from = s.stmt_location ?? 0;
    const to = s.stmt_len ? from + s.stmt_len : total;
    while (i < pieces.length - 1 && from > semicolons[i]!) i++;
    if (i < pieces.length - 1 && to > semicolons[i]!) return split();
    if (s.stmt) out[i]!.push(s.stmt);
  }
  return out.map((statements) => ({ ok: true, statements }));
}

/** The node's type (`IndexStmt`). */
export function nodeType(node: unknown): string | null {
  if (node === null || typeof node !== 'object') return null;
  const keys = Object.keys(node);
  return keys.length === 1 ? keys[0]! : null;
}

/** The fields of `node` when it is of type `type`, else null. */
export function fieldsOf(node: unknown, type: string): PgFields | null {
  if (node === null || typeof node !== 'object') return null;
  const inner = (node as Record<string, unknown>)[type];
  return inner !== null && typeof inner === 'object' ? (inner as PgFields) : null;
}

/** A field that is a list of nodes (absent lists read as empty). */
export function listOf(fields: PgFields | null, key: string): readonly PgNode[] {
  const v = fields?.[key];
  return Array.isArray(v) ? (v as PgNode[]) : [];
}

/** A string field ('' when absent). */
export function str(fields: PgFields | null, key: string): string {
  const v = fields?.[key];
  return typeof v === 'string' ? v : '';
}

/** A boolean field (false when absent: the parser leaves false out). */
export function flag(fields: PgFields | null, key: string): boolean {
  return fields?.[key] === true;
}

/** The strings of a name list (`[{ String: { sval: 'public' } }, { String: { sval: 't' } }]`). */
export function names(list: readonly PgNode[]): string[] {
  return list.flatMap((n) => {
    const s = fieldsOf(n, 'String');
    return s ? [str(s, 'sval')] : [];
  });
}

/** The table a RangeVar field names (its relname; the schema is left out). */
export function relationName(fields: PgFields | null, key = 'relation'): string {
  return str(fieldsOf({ RangeVar: fields?.[key] }, 'RangeVar'), 'relname');
}

/** Every node in `tree`, depth first (for searching an expression). */
export function* walk(tree: unknown): Generator<[string, PgFields]> {
  if (Array.isArray(tree)) {
    for (const item of tree) yield* walk(item);
    return;
  }
  if (tree === null || typeof tree !== 'object') return;
  for (const [key, value] of Object.entries(tree)) {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && /^[A-Z]/.test(key)) yield [key, value as PgFields];
    yield* walk(value);
  }
}

/** The table a RangeVar node in a list names (TRUNCATE's and LOCK's relations are nodes, not bare fields). */
export function rangeVarName(node: PgNode): string {
  return str(fieldsOf(node, 'RangeVar'), 'relname');
}
