/**
 * Which tables a migration's statements may have left with foreign-key violations, so that the check
 * before COMMIT reads those tables instead of the whole database (a full `foreign_key_check` scans
 * every row of every table with a foreign key: seconds per revision on a large file). Read from the
 * statements' text, conservatively: anything not recognised means "check everything".
 */
import { asciiLower, isKeyword, tokenize, unquote, type Token } from './sqlite-sql-text.js';

/** What the statements of one transaction may have done, as far as foreign keys go. Names are ASCII-lowercased. */
export interface WriteEffects {
  /** Something was not recognised (a script, a CTE, an unknown statement): check every table. */
  readonly all: boolean;
  /** Tables whose own rows or foreign keys changed: their references may now point nowhere. */
  readonly touched: ReadonlySet<string>;
  /** Tables whose rows may have gone or changed key: their children's references may now point nowhere. */
  readonly parents: ReadonlySet<string>;
  /** Tables rows were written to, whose triggers (if any) may have written anywhere. */
  readonly written: ReadonlySet<string>;
  /** Tables created empty in the transaction (rows written to them fire no trigger made before). */
  readonly created: ReadonlySet<string>;
  /** New name -> the name the table had before the transaction, for tables renamed in it. */
  readonly renamedFrom: ReadonlyMap<string, string>;
}

const HARMLESS = new Set(['BEGIN', 'COMMIT', 'END', 'ROLLBACK', 'SAVEPOINT', 'RELEASE', 'PRAGMA', 'SELECT', 'ANALYZE', 'REINDEX', 'VACUUM']);

/**
 * The effects of `statements`, in order. Rows written to the tables in `bookkeeping` (ASCII-lowercased names:
 * Retort's version and history tables) count for nothing: no foreign key points at them.
 */
export function writeEffects(statements: readonly string[], bookkeeping: ReadonlySet<string> = new Set()): WriteEffects {
  const e = { all: false, touched: new Set<string>(), parents: new Set<string>(), written: new Set<string>(), created: new Set<string>(), renamedFrom: new Map<string, string>() };
  for (const sql of statements) {
    if (!classify(sql, e, bookkeeping)) return { ...e, all: true };
  }
  return e;
}

const name = (t: Token | undefined): string | null => {
  if (t === undefined || (t.kind !== 'word' && t.kind !== 'quoted' && t.kind !== 'string')) return null;
  // main.t, "main"."t": the schema is this database's own.
  const text = t.kind === 'string' ? t.text.slice(1, -1) : unquote(t.text);
  return asciiLower(text.replace(/^main\./i, ''));
};

// Reads one statement into `e`; false when it is not one this knows to be harmless or bounded.
function classify(sql: string, e: { touched: Set<string>; parents: Set<string>; written: Set<string>; created: Set<string>; renamedFrom: Map<string, string> }, bookkeeping: ReadonlySet<string>): boolean {
  const all = tokenize(sql);
  const head = all.slice(0, 3).map((x) => x.text.toUpperCase());
  // A trigger's body holds semicolons of its own; rows written after it may fire it, on whichever table it is.
  if (head[0] === 'CREATE' && (head[1] === 'TRIGGER' || (['TEMP', 'TEMPORARY'].includes(head[1]!) && head[2] === 'TRIGGER'))) {
    e.created.clear();
    return true;
  }
  // One statement only: a script (`a; b`) is read as unknown.
  const semi = all.findIndex((t) => t.kind === 'punct' && t.text === ';');
  if (semi >= 0 && semi < all.length - 1) return false;
  const t = semi >= 0 ? all.slice(0, semi) : all;
  const k = (i: number) => t[i]?.text.toUpperCase();
  const first = k(0);
  if (first === undefined) return true;
  if (HARMLESS.has(first)) return true;
  const rename = (from: string, to: string) => {
    e.renamedFrom.set(to, e.renamedFrom.get(from) ?? from);
    e.renamedFrom.delete(from);
  };
  if (first === 'CREATE') {
    let i = 1;
    while (['TEMP', 'TEMPORARY', 'UNIQUE'].includes(k(i) ?? '')) i++;
    const what = k(i);
    if (what === 'INDEX' || what === 'VIEW' || what === 'VIRTUAL') return true;
    if (what !== 'TABLE') return false;
    i++;
    if (k(i) === 'IF' && k(i + 1) === 'NOT' && k(i + 2) === 'EXISTS') i += 3;
    const n = name(t[i]);
    if (n === null) return false;
    if (t.slice(i + 1).some((x) => isKeyword(x, 'AS'))) e.touched.add(n);
    else if (!e.touched.has(n)) e.created.add(n);
    return true;
  }
  if (first === 'DROP') {
    const what = k(1);
    if (what === 'INDEX' || what === 'VIEW' || what === 'TRIGGER') return true;
    if (what !== 'TABLE') return false;
    const n = name(t[k(2) === 'IF' ? 4 : 2]);
    if (n === null) return false;
    // Its children now name a table that is gone (or that a rebuild is about to put back).
    e.parents.add(n);
    e.touched.delete(n);
    e.created.delete(n);
    return true;
  }
  if (first === 'ALTER' && k(1) === 'TABLE') {
    const n = name(t[2]);
    if (n === null) return false;
    if (k(3) === 'RENAME' && k(4) === 'TO') {
      const to = name(t[5]);
      if (to === null) return false;
      rename(n, to);
      for (const set of [e.touched, e.created, e.written, e.parents]) if (set.delete(n)) set.add(to);
      e.touched.add(to);
      e.parents.add(to);
      return true;
    }
    if (k(3) === 'RENAME' || k(3) === 'DROP') {
      e.touched.add(n);
      e.parents.add(n);
      return true;
    }
    if (k(3) === 'ADD') {
      // A new column breaks no reference unless it is one (REFERENCES with a default may point nowhere).
      if (t.slice(4).some((x) => isKeyword(x, 'REFERENCES'))) e.touched.add(n);
      return true;
    }
    return false;
  }
  if (first === 'INSERT' || first === 'REPLACE' || first === 'UPDATE' || first === 'DELETE') {
    let i = 1;
    if (k(i) === 'OR') i += 2;
    if (k(i) === 'INTO' || k(i) === 'FROM') i++;
    const n = name(t[i]);
    if (n === null) return false;
    if (bookkeeping.has(n)) return true;
    e.touched.add(n);
    e.written.add(n);
    // UPDATE and DELETE change or remove keys; so do INSERT OR REPLACE and an upsert.
    e.parents.add(n);
    return true;
  }
  return false;
}
