/**
 * SQL text for SQLite DDL: CREATE TABLE with every constraint inline (SQLite
 * cannot add most constraints later), column definitions and indexes. Tables
 * given here are already normalised (enum columns are TEXT with their CHECK).
 */
import { RetortError } from '../../errors.js';
import type { CheckIR, ColumnIR, ForeignKeyIR, IndexIR, TableIR } from '../../ir/ir.js';
import { defaultSql, quoteId, typeSql, withoutOperatorClass } from './sqlite-normalize.js';

const list = (cols: readonly string[]) => cols.map(quoteId).join(', ');

/** True when the column is the table's one AUTOINCREMENT key, written inline as INTEGER PRIMARY KEY AUTOINCREMENT. */
export function isInlineAutoIncrement(t: TableIR, c: ColumnIR): boolean {
  if (!c.autoIncrement) return false;
  const pk = t.primaryKey?.columns ?? [];
  if (pk.length !== 1 || pk[0] !== c.name) {
    // SQLite's AUTOINCREMENT exists only on a single-column INTEGER PRIMARY KEY.
    throw new RetortError('UNSUPPORTED', `column "${t.name}"."${c.name}" auto-increments, but on SQLite only a table's single-column primary key can`, {
      hint: 'make it the primary key (serial().primaryKey()) or use integer()',
    });
  }
  return true;
}

/** A column definition; `check` adds a column-level CHECK (ADD COLUMN of an enum column). */
export function columnSql(t: TableIR, c: ColumnIR, check?: CheckIR, spelled: string = c.spelledAs ?? typeSql(c.type)): string {
  const parts = [quoteId(c.name), spelled];
  if (!c.nullable) parts.push('NOT NULL');
  if (isInlineAutoIncrement(t, c)) parts.push(`${pkName(t)}PRIMARY KEY AUTOINCREMENT`);
  if (c.serverDefault !== null && !c.autoIncrement) parts.push(`DEFAULT ${defaultSql(c.serverDefault, c.type)}`);
  if (check) parts.push(checkSql(check));
  return parts.join(' ');
}

/** `CONSTRAINT <name> ` before a named primary key, kept through rebuilds; nothing for an unnamed one. */
function pkName(t: TableIR): string {
  return t.primaryKey?.name == null ? '' : `CONSTRAINT ${quoteId(t.primaryKey.name)} `;
}

function checkSql(k: CheckIR): string {
  return `CONSTRAINT ${quoteId(k.name)} CHECK (${k.expression})`;
}

function foreignKeySql(fk: ForeignKeyIR, deferrable: string | null): string {
  let s = `CONSTRAINT ${quoteId(fk.name)} FOREIGN KEY (${list(fk.columns)}) REFERENCES ${quoteId(fk.refTable)} (${list(fk.refColumns)})`;
  if (fk.onDelete !== 'NO ACTION') s += ` ON DELETE ${fk.onDelete}`;
  if (fk.onUpdate !== 'NO ACTION') s += ` ON UPDATE ${fk.onUpdate}`;
  // The clause the table was written with (kept through a rebuild), else the one the operation asks for.
  const clause = deferrable ?? (fk.deferrable === undefined ? null : `DEFERRABLE INITIALLY ${fk.deferrable.toUpperCase()}`);
  if (clause !== null) s += ` ${clause}`;
  return s;
}

/** What a CREATE TABLE carries beyond the IR: table options and DEFERRABLE clauses, which a rebuild copies from the old table's text. */
export interface TableExtras {
  readonly withoutRowid?: boolean;
  readonly strict?: boolean;
  /** The `DEFERRABLE ...` clause of a foreign key, or null. */
  readonly deferrable?: (fk: ForeignKeyIR) => string | null;
  /** A column's type as the old table declared it, for a column whose type the rebuild keeps, or null. */
  readonly declaredType?: (c: ColumnIR) => string | null;
}

/** CREATE TABLE for `t`, under `name` when given (the rebuild's temporary name); constraints name their final table. */
export function createTableSql(t: TableIR, name: string = t.name, extras: TableExtras = {}): string {
  const items = t.columns.map((c) => columnSql(t, c, undefined, extras.declaredType?.(c) ?? c.spelledAs ?? typeSql(c.type)));
  const inlinePk = t.columns.some((c) => c.autoIncrement);
  if (t.primaryKey && !inlinePk) items.push(`${pkName(t)}PRIMARY KEY (${list(t.primaryKey.columns)})`);
  for (const u of t.uniques) if (u.nullsNotDistinct === true) throw new RetortError('UNSUPPORTED', `unique constraint "${u.name}" on "${t.name}" is NULLS NOT DISTINCT, which SQLite does not have`, { hint: 'leave nullsNotDistinct out of the revision for SQLite' });
  // SQLite defers foreign keys only: its unique constraints and keys are checked at each row.
  const deferred = t.primaryKey?.deferrable !== undefined ? 'the primary key' : t.uniques.find((u) => u.deferrable !== undefined)?.name;
  if (deferred !== undefined) throw new RetortError('UNSUPPORTED', `${deferred === 'the primary key' ? deferred : `unique constraint "${deferred}"`} on "${t.name}" is DEFERRABLE, which SQLite has only for foreign keys`, { hint: 'leave deferrable out of the revision for SQLite' });
  for (const u of t.uniques) items.push(`CONSTRAINT ${quoteId(u.name)} UNIQUE (${list(u.columns)})`);
  for (const fk of t.foreignKeys) items.push(foreignKeySql(fk, extras.deferrable?.(fk) ?? null));
  for (const k of t.checks) items.push(checkSql(k));
  const options = [...(extras.withoutRowid ? ['WITHOUT ROWID'] : []), ...(extras.strict ? ['STRICT'] : [])];
  return `CREATE TABLE ${quoteId(name)} (\n  ${items.join(',\n  ')}\n)${options.length === 0 ? '' : ` ${options.join(', ')}`}`;
}

/** CREATE INDEX; an entry naming a column of the table is quoted, anything else is an expression written as is. */
export function createIndexSql(t: TableIR, ix: IndexIR, ifNotExists = false): string {
  // SQLite has only b-tree indexes without INCLUDE: an index method and INCLUDE columns are PostgreSQL's, and
  // left out here (as the SQLite normaliser leaves them out of declared models), so one model serves both.
  if (ix.nullsNotDistinct === true) throw new RetortError('UNSUPPORTED', `index "${ix.name}" on "${t.name}" is NULLS NOT DISTINCT, which SQLite does not have`, { hint: 'leave nullsNotDistinct out of the revision for SQLite' });
  const names = new Set(t.columns.map((c) => c.name));
  const cols = ix.columns.map((c) => (names.has(c) ? quoteId(c) : withoutOperatorClass(c))).join(', ');
  return `CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX ${ifNotExists ? 'IF NOT EXISTS ' : ''}${quoteId(ix.name)} ON ${quoteId(t.name)} (${cols})${ix.where === null ? '' : ` WHERE ${ix.where}`}`;
}

/**
 * True when the table's primary key is an alias of the rowid, so rowids travel with it: a single
 * column declared exactly INTEGER (SQLite's rule: `INT PRIMARY KEY` is not an alias). `spelled`
 * gives the type as written, when it may differ from the IR's spelling.
 */
export function hasRowidAlias(t: TableIR, spelled: (c: ColumnIR) => string = (c) => typeSql(c.type)): boolean {
  const pk = t.primaryKey?.columns ?? [];
  if (pk.length !== 1) return false;
  const c = t.columns.find((x) => x.name === pk[0]);
  return c !== undefined && spelled(c).trim().toUpperCase() === 'INTEGER';
}
