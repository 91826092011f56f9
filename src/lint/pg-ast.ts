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

type Parser = { loadModule(): Promise<void>; parseSync(sql: string): { stmts?: { stmt?: PgNode }[] } };
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
  return (sql) => {
    try {
      const result = p.parseSync(sql);
      return { ok: true, statements: (result.stmts ?? []).flatMap((s) => (s.stmt ? [s.stmt] : [])) };
    } catch (e) {
      return { ok: false, error: e instanceof Error ? e.message : String(e) };
    }
  };
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
