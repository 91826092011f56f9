import { bareName } from '../ir/qualified.js';

/**
 * Naming convention: every constraint and index gets a deterministic name, so
 * that a declared schema and the database it produced compare equal on both
 * dialects. The defaults are PostgreSQL's own names (`users_pkey`,
 * `users_email_key`, `profiles_user_id_fkey`), so a database created by hand
 * or by another tool matches too.
 */
export interface NamingConvention {
  /** Primary key. Tokens: {table}, {columns} (joined by _), {column_0}. */
  readonly pk: string;
  readonly unique: string;
  readonly foreignKey: string;
  /** Also {refTable}. */
  readonly index: string;
  /** Also {name}: the name given to check(). Default "{name}": used as written. */
  readonly check: string;
}

export const defaultNaming: NamingConvention = {
  pk: '{table}_pkey',
  unique: '{table}_{columns}_key',
  foreignKey: '{table}_{columns}_fkey',
  index: 'ix_{table}_{columns}',
  check: '{name}',
};

const SQLALCHEMY_TOKENS: Record<string, string> = {
  '%(table_name)s': '{table}',
  '%(column_0_name)s': '{column_0}',
  '%(column_0_N_name)s': '{columns}',
  '%(column_0_label)s': '{table}_{column_0}',
  '%(referred_table_name)s': '{refTable}',
  '%(constraint_name)s': '{name}',
};

/** Accepts both `{table}` tokens and SQLAlchemy's `%(table_name)s` spelling. */
export function parseNamingConvention(partial: Partial<Record<keyof NamingConvention | 'pk' | 'uq' | 'fk' | 'ix' | 'ck', string>> | undefined): NamingConvention {
  if (!partial) return defaultNaming;
  const pick = (a: keyof typeof partial, b: keyof typeof partial, dflt: string) => translate(partial[a] ?? partial[b] ?? dflt);
  return {
    pk: pick('pk', 'pk', defaultNaming.pk),
    unique: pick('unique', 'uq', defaultNaming.unique),
    foreignKey: pick('foreignKey', 'fk', defaultNaming.foreignKey),
    index: pick('index', 'ix', defaultNaming.index),
    check: pick('check', 'ck', defaultNaming.check),
  };
}

function translate(template: string): string {
  let out = template;
  for (const [from, to] of Object.entries(SQLALCHEMY_TOKENS)) out = out.split(from).join(to);
  return out;
}

const TOKEN = /\{(table|columns|column_0|refTable|name)\}/g;

/**
 * Fills a template in one pass, with the names as written: a name holding `$$` or `$&` (which a
 * replacement string would interpret) or a token's own spelling (`{columns}`) stays as it is.
 */
export function applyNaming(template: string, tokens: { table: string; columns: readonly string[]; refTable?: string; name?: string }): string {
  let pieces = compiled.get(template);
  if (pieces === undefined) {
    // Split once per template: literal text at even places, token names at odd ones (pull names thousands of keys).
    pieces = template.split(TOKEN);
    compiled.set(template, pieces);
  }
  let out = pieces[0]!;
  for (let i = 1; i < pieces.length; i += 2) {
    switch (pieces[i]) {
      // A table in a named schema (`billing.invoices`) lends its own name: constraints and indexes live in its schema.
      case 'table': out += bareName(tokens.table); break;
      case 'columns': out += tokens.columns.join('_'); break;
      case 'column_0': out += tokens.columns[0] ?? ''; break;
      case 'refTable': out += bareName(tokens.refTable ?? ''); break;
      default: out += tokens.name ?? '';
    }
    out += pieces[i + 1]!;
  }
  return out;
}

const compiled = new Map<string, string[]>();
