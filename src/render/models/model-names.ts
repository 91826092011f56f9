/**
 * Variable names for pulled models: camelCase from the database's names (`order_items` -> `orderItems`), never a
 * reserved word, never one of the DSL's own imports (a table named `index` would shadow the builder), and unique
 * across everything `retort pull` writes (a table and an enum both called `status` become `status` and
 * `statusEnum`), so that files split per table can import each other's variables by name.
 */

// JavaScript's reserved words, strict mode's, and names a module-level const cannot take.
const RESERVED = new Set(
  ('break case catch class const continue debugger default delete do else enum export extends false finally for function if import in ' +
    'instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package ' +
    'private protected public await arguments eval undefined NaN Infinity t op')
    .split(' '),
);

/** camelCase of a database name, a valid identifier (letters of any script kept; a leading digit gets `_`; anything else separates words). */
export function camelCase(name: string): string {
  const words = name.split(/[^\p{L}\p{Nd}]+/u).filter((w) => w !== '');
  if (words.length === 0) return '_';
  // `HTTPLog` -> `httpLog`, `USERS` -> `users`: a leading run of capitals is lowered but for the one that starts the next word.
  const lowerFirst = (w: string) => {
    if (w === w.toUpperCase()) return w.toLowerCase();
    const run = /^\p{Lu}+/u.exec(w)?.[0].length ?? 0;
    const cut = run > 1 ? run - 1 : 1;
    return w.slice(0, cut).toLowerCase() + w.slice(cut);
  };
  const upperFirst = (w: string) => w[0]!.toUpperCase() + (w === w.toUpperCase() ? w.slice(1).toLowerCase() : w.slice(1));
  const out = [lowerFirst(words[0]!), ...words.slice(1).map(upperFirst)].join('');
  return /^\p{L}/u.test(out) ? out : `_${out}`;
}

/**
 * Hands out variable names: `take('users', 'Table')` gives `users`, or `usersTable` when `users` is reserved or
 * taken, then `usersTable2`, `usersTable3`...
 */
export class NameAllocator {
  private readonly used = new Set<string>();

  /** `avoid`: names already in use in every file (the DSL's imports). */
  constructor(avoid: Iterable<string>) {
    for (const n of avoid) this.used.add(n);
  }

  take(dbName: string, suffix: string): string {
    const base = camelCase(dbName);
    let candidate = RESERVED.has(base) || this.used.has(base) ? `${base}${suffix}` : base;
    for (let n = 2; RESERVED.has(candidate) || this.used.has(candidate); n++) candidate = `${base}${suffix}${n}`;
    this.used.add(candidate);
    return candidate;
  }
}

/** A file name from a database name: lower-case words joined by `-` (`order_items` -> `order-items`). */
export function fileStem(name: string): string {
  const stem = name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return stem === '' ? 'table' : stem;
}
