/**
 * What a table rebuild must carry over beyond the Schema IR, and what it must
 * refuse: SQLite keeps features in the CREATE TABLE text that neither its
 * PRAGMAs nor the IR describe (STRICT, DEFERRABLE foreign keys, ON CONFLICT
 * clauses, ordered key columns, generated columns). A rebuild writes the table
 * anew, so each of them is either written again or the rebuild is refused
 * with a RetortError naming it: never dropped without a word.
 */
import { RetortError } from '../../errors.js';
import type { ColumnIR, ForeignKeyIR, TableIR } from '../../ir/ir.js';
import type { Origin } from './sqlite-apply.js';
import { mentions } from './sqlite-names.js';
import { readColumnType, spellColumnType, type Generated } from './sqlite-column-type.js';
import { normalizeType, parseType, quoteId, typeSql } from './sqlite-normalize.js';
import type { TableText } from './sqlite-table-text.js';

/** The GENERATED clause a column's type carries, or null for a stored-by-insert column. */
export function generatedOf(c: ColumnIR): Generated | null {
  return c.type.kind === 'custom' ? readColumnType(c.type.sql).generated : null;
}

/** True when a STORED generated column: ALTER TABLE ADD COLUMN cannot add one, so it takes a rebuild. */
export function isStoredGenerated(c: ColumnIR): boolean {
  return generatedOf(c)?.stored === true;
}

// STRICT tables accept only these type names (https://sqlite.org/stricttables.html).
const STRICT_TYPES = new Set(['INT', 'INTEGER', 'REAL', 'TEXT', 'BLOB', 'ANY']);

const byHand = (table: string) => `change table ${quoteId(table)} by hand with op.execute (CREATE TABLE new, INSERT ... SELECT, DROP, ALTER TABLE ... RENAME)`;

function refuse(table: string, feature: string, hint: string): RetortError {
  return new RetortError('UNSUPPORTED', `table "${table}" has ${feature}, which Retort cannot rebuild yet`, { hint });
}

/** Throws when rebuilding `before` into `after` would lose something the CREATE TABLE text holds. */
export function refuseLosses(before: TableIR, after: TableIR, origins: ReadonlyMap<string, Origin>, text: TableText): void {
  const table = before.name;
  if (text.onConflict !== null) {
    throw refuse(table, `an ON CONFLICT clause (on ${text.onConflict})`, byHand(table));
  }
  const ordered = text.constraints.find((c) => c.ordered);
  if (ordered) {
    const what = ordered.kind === 'unique' ? 'a UNIQUE constraint' : 'a PRIMARY KEY';
    throw refuse(table, `${what} with COLLATE or DESC on its columns (${ordered.columns.join(', ')})`,
      `${byHand(table)}, or replace the constraint by a unique index, which keeps COLLATE and DESC (uniqueIndex().on(sql\`col COLLATE NOCASE\`))`);
  }
  const beforeCols = new Map(before.columns.map((c) => [c.name, c]));
  const kept = new Set([...origins.values()].map((o) => o.from));
  const gone = before.columns.filter((c) => !kept.has(c.name)).map((c) => c.name);
  const renamedAway = [...origins].filter(([to, o]) => to !== o.from).map(([, o]) => o.from);
  for (const c of after.columns) {
    const g = generatedOf(c);
    const o = origins.get(c.name);
    const old = o ? beforeCols.get(o.from) : undefined;
    const oldG = old ? generatedOf(old) : null;
    if (old && (g !== null || oldG !== null) && JSON.stringify(old.type) !== JSON.stringify(c.type)) {
      // Values cannot be copied into a generated column, and a generated one turned plain would need them computed.
      throw refuse(table, `a generated column "${old.name}" whose type or expression would change`,
        `${byHand(table)}, or drop the column and add it again with its new definition`);
    }
    if (g === null) continue;
    if (c.serverDefault !== null) {
      throw new RetortError('UNSUPPORTED', `column "${table}"."${c.name}" is generated, so it cannot have a default`, { hint: 'leave its default out; SQLite computes its values' });
    }
    const lost = [...gone, ...renamedAway].find((n) => mentions(g.expression, n));
    if (lost !== undefined) {
      throw refuse(table, `a generated column "${c.name}" that uses column "${lost}", which this change drops or renames`,
        `drop "${c.name}" first (op.dropColumn) and add it again after, or ${byHand(table)}`);
    }
  }
  if (text.strict) {
    for (const c of after.columns) {
      const spelled = typeSql(c.type);
      const base = (c.type.kind === 'custom' ? readColumnType(spelled).base : spelled).toUpperCase();
      if (!STRICT_TYPES.has(base)) {
        throw new RetortError('UNSUPPORTED', `table "${table}" is STRICT, which accepts only INT, INTEGER, REAL, TEXT, BLOB and ANY, and column "${c.name}" would be ${spelled}`, {
          hint: 'use integer(), text(), real() or customType(\'BLOB\') for that column, or make the table non-STRICT by hand with op.execute',
        });
      }
    }
  }
}

/**
 * The DEFERRABLE clause the table's text gives a foreign key of the rebuilt table, when the key is
 * one of `original`'s (the table before the batch) unchanged; `renamed` maps a parent table's
 * name before the batch to its name now.
 */
export function deferrableFor(fk: ForeignKeyIR, original: TableIR | null, text: TableText, renamed: (table: string) => string): string | null {
  const key = (cols: readonly string[], ref: string) => `${cols.map((c) => c.toLowerCase()).join(',')}>${ref.toLowerCase()}`;
  const same = original?.foreignKeys.find((b) => JSON.stringify({ ...b, refTable: renamed(b.refTable) }) === JSON.stringify(fk));
  if (!same || !original) return null;
  const written = text.constraints.filter((w) => w.kind === 'foreignKey' && key(w.columns, w.refTable) === key(same.columns, same.refTable));
  const clauses = new Set(written.map((w) => w.deferrable));
  if (clauses.size > 1) {
    throw refuse(original.name, `two foreign keys on (${fk.columns.join(', ')}) to "${same.refTable}" that differ in DEFERRABLE`, byHand(original.name));
  }
  return written[0]?.deferrable ?? null;
}

/**
 * A column's type as the old table declared it, for columns whose type the rebuild keeps: SQLite
 * stores the declared name verbatim, and `INT PRIMARY KEY` (no rowid alias) must not become
 * `INTEGER PRIMARY KEY` (an alias), nor `DATETIME` turn into `TIMESTAMP` under the user's feet.
 */
export function keptTypes(before: TableIR, after: TableIR, origins: ReadonlyMap<string, Origin>, text: TableText): (c: ColumnIR) => string | null {
  const beforeCols = new Map(before.columns.map((c) => [c.name, c]));
  const kept = new Map<string, string>();
  for (const c of after.columns) {
    const o = origins.get(c.name);
    const old = o ? beforeCols.get(o.from) : undefined;
    const written = o ? text.columns.get(o.from.toLowerCase()) : undefined;
    if (!old || !written || JSON.stringify(old.type) !== JSON.stringify(c.type)) continue;
    const parts = c.type.kind === 'custom' ? readColumnType(c.type.sql) : null;
    // The text is the table as it was before the batch: an earlier rebuild in it may have changed the type since.
    if (typeSql(normalizeType(parseType(written.base), false)) !== (parts === null ? typeSql(c.type) : parts.base)) continue;
    kept.set(c.name, parts === null ? written.base : spellColumnType(written.base, parts.collate, parts.generated, (e) => e));
  }
  return (c) => kept.get(c.name) ?? null;
}
