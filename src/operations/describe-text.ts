/**
 * The pieces of summary lines that several operation kinds share (`describe` in kinds/*.ts):
 * value lists, defaults, index and foreign-key text.
 */
import type { Deferral, ForeignKeyIR, IndexIR } from '../ir/ir.js';

/** `a, b, c` */
export const list = (xs: readonly string[]): string => xs.join(', ');
/** `('a', 'b')` */
export const values = (xs: readonly string[]): string => `(${xs.map((v) => `'${v}'`).join(', ')})`;
/** `default now()`, or `no default`. */
export const dflt = (d: string | null | undefined): string => (d === null || d === undefined ? 'no default' : `default ${d}`);

/** `unique index ix_users_email on users using hash (email) include (name) where ...` */
export function indexText(ix: IndexIR, table: string): string {
  const using = ix.method === undefined ? '' : ` using ${ix.method}`;
  const include = ix.include === undefined ? '' : ` include (${list(ix.include)})`;
  return `${ix.unique ? 'unique index' : 'index'} ${ix.name} on ${table}${using} (${list(ix.columns)})${include}${ix.where ? ` where ${ix.where}` : ''}${ix.invalid === true ? ' (INVALID: a concurrent build failed)' : ''}`;
}

/** `(author_id) -> users (id) on delete cascade`: the actions only where they are not the default. */
export function foreignKeyText(fk: ForeignKeyIR): string {
  const action = (when: string, a: string) => (a === 'NO ACTION' ? '' : ` on ${when} ${a.toLowerCase()}`);
  return `(${list(fk.columns)}) -> ${fk.refTable} (${list(fk.refColumns)})${action('delete', fk.onDelete)}${action('update', fk.onUpdate)}${deferralText(fk.deferrable)}`;
}

/** ` deferrable initially deferred` (or immediate) for a DEFERRABLE constraint's summary line; nothing otherwise. */
export function deferralText(d: Deferral | undefined): string {
  return d === undefined ? '' : ` deferrable initially ${d}`;
}
