/**
 * The lock rules about statements whose cost grows with the table: columns added with a default that rewrites,
 * NOT NULL columns without a default, type changes that rewrite, enum rebuilds, and data changes that hold a
 * schema change's lock. Each check reads one parsed statement.
 */
import type { ColumnType } from '../ir/ir.js';
import type { Hit, StatementCheck } from './check-types.js';
import { alterCommands, columnType, functionsIn, isDataChange, pgBinaryCoercible } from './revision-walk.js';
import { typeText } from '../ir/ir-util.js';
import { VOLATILE_DEFAULT_FUNCTIONS } from '../dialects/postgres/postgres-volatile.js';
import { fieldsOf, listOf, names, relationName, str, type PgFields } from './pg-ast.js';

const q = (name: string) => `"${name}"`;

// Functions PostgreSQL marks VOLATILE that defaults commonly call: each row gets its own value, so it is written into every row.
const VOLATILE = VOLATILE_DEFAULT_FUNCTIONS;
const SERIAL = new Set(['serial', 'serial2', 'serial4', 'serial8', 'smallserial', 'bigserial']);

/** ADD COLUMN with a default that rewrites the table, or NOT NULL with no default. */
export const checkAddColumn: StatementCheck = ({ node }, walk) => {
  const alter = fieldsOf(node, 'AlterTableStmt');
  const table = relationName(alter);
  if (!alter || !walk.existing(table)) return [];
  const hits: Hit[] = [];
  for (const cmd of alterCommands(alter)) {
    if (str(cmd, 'subtype') !== 'AT_AddColumn') continue;
    const col = fieldsOf(cmd['def'], 'ColumnDef');
    const name = `${q(table)}.${q(str(col, 'colname'))}`;
    const constraints = listOf(col, 'constraints').map((c) => fieldsOf(c, 'Constraint'));
    const kinds = new Set(constraints.map((c) => str(c, 'contype')));
    const typeName = names(listOf(fieldsOf({ t: col?.['typeName'] }, 't'), 'names')).at(-1) ?? '';
    const fallback = constraints.find((c) => str(c, 'contype') === 'CONSTR_DEFAULT');
    const volatile = functionsIn(fallback?.['raw_expr']).filter((f) => VOLATILE.has(f));
    const why = SERIAL.has(typeName) ? `a ${typeName} column` : kinds.has('CONSTR_IDENTITY') ? 'an identity column' : kinds.has('CONSTR_GENERATED') ? 'a stored generated column' : volatile.length > 0 ? `a default calling ${volatile[0]}()` : null;
    if (why) hits.push({ rule: 'volatile-default', message: `adding ${name} as ${why} writes a value into every row: the table is rewritten under an exclusive lock` });
    else if (kinds.has('CONSTR_NOTNULL') && !fallback) hits.push({ rule: 'adding-required-column', message: `adding ${name} NOT NULL without a default fails as soon as ${q(table)} has a row` });
  }
  return hits;
};

/**
 * ALTER COLUMN TYPE on an existing table, unless binary-coercible; to an enum this revision created: an enum rebuild.
 * The old type is the one the revision gives (`existing: { type }`), else the one an earlier statement of this lint run
 * gave the column (CREATE TABLE, ADD COLUMN, a type change); unknown, the change is reported, saying so.
 */
export const checkTypeChange: StatementCheck = ({ node, captured }, walk) => {
  const alter = fieldsOf(node, 'AlterTableStmt');
  const table = relationName(alter);
  if (!alter || !walk.existing(table)) return [];
  const hits: Hit[] = [];
  for (const cmd of alterCommands(alter)) {
    if (str(cmd, 'subtype') !== 'AT_AlterColumnType') continue;
    const col = fieldsOf(cmd['def'], 'ColumnDef');
    const target = typeOf(col);
    const name = `${q(table)}.${q(str(cmd, 'name'))}`;
    if (walk.newEnums.has(target.name)) {
      hits.push({ rule: 'enum-rebuild', message: `${name} moves to enum type ${q(target.name)} created in this revision (an enum rebuild): the table is rewritten under an exclusive lock` });
      continue;
    }
    const op = captured.op;
    const declared = op?.kind === 'alterColumn' && op.from?.type && op.to.type ? { from: op.from.type, to: op.to.type } : null;
    // The type an earlier statement gave the column (this statement is recorded after its checks).
    const seen = declared ? undefined : walk.memory.columnTypes.get(`${table}.${str(cmd, 'name')}`);
    const using = col?.['raw_default'] !== undefined;
    if (!using && declared && binaryCoercible(declared.from, declared.to)) continue;
    if (!using && seen && pgBinaryCoercible(seen, columnType(col))) continue;
    const from = declared ? typeText(declared.from) : seen ? `${seen.name}${seen.mods.length > 0 ? `(${seen.mods.join(', ')})` : ''}${seen.array ? '[]' : ''}` : null;
    const to = `${target.name}${target.modifiers}${using ? ' with USING' : ''}`;
    hits.push({
      rule: 'changing-column-type',
      message: from !== null
        ? `${name} changes type from ${from} to ${to}: the table and its indexes are rewritten under an exclusive lock`
        : `${name} changes type to ${to}: the old type is not known from this revision (give it as existing: { type } in op.alterColumn), and unless the change is binary-coercible (such as varchar to text) the table and its indexes are rewritten under an exclusive lock`,
    });
  }
  return hits;
};

/** A data change in a transaction that also holds a strong lock on an existing table (reported once per transaction). */
export const checkDataWithDdl: StatementCheck = ({ node, captured }, walk) => {
  const tx = captured.transaction;
  if (tx === null || !isDataChange(node) || !walk.strongLockIn.has(tx)) return [];
  return [{ rule: 'ddl-with-data-change', message: 'this data change runs in the same transaction as a schema change on an existing table, which keeps its lock until the data change is done' }];
};

/** A data change first, then a schema change in the same transaction: the lock is held from then to the end. */
export const checkDdlAfterData: StatementCheck = (view, walk) => {
  const tx = view.captured.transaction;
  if (tx === null || !walk.dataChangeIn.has(tx) || walk.strongLockIn.has(tx)) return [];
  const alter = fieldsOf(view.node, 'AlterTableStmt') ?? fieldsOf(view.node, 'IndexStmt');
  if (!alter || !walk.existing(relationName(alter))) return [];
  return [{ rule: 'ddl-with-data-change', message: 'this schema change shares a transaction with a data change (UPDATE, DELETE or INSERT ... SELECT) in the same revision' }];
};

/** The target type's last name (`varchar`, `int4`, an enum's name), its first modifier, and all its modifiers as written. */
function typeOf(col: PgFields | null): { name: string; length: number | null; modifiers: string } {
  const t = fieldsOf({ t: col?.['typeName'] }, 't');
  const mods = listOf(t, 'typmods').map((m) => fieldsOf({ v: fieldsOf(m, 'A_Const')?.['ival'] }, 'v')?.['ival']);
  const length = typeof mods[0] === 'number' ? mods[0] : null;
  const modifiers = mods.length > 0 && mods.every((m) => typeof m === 'number') ? `(${mods.join(', ')})` : '';
  return { name: names(listOf(t, 'names')).at(-1) ?? '', length, modifiers };
}

/** Whether PostgreSQL changes `from` to `to` without rewriting (or scanning) the table. */
export function binaryCoercible(from: ColumnType, to: ColumnType): boolean {
  if (from.kind === 'varchar' && to.kind === 'varchar') return to.length === null || (from.length !== null && to.length >= from.length);
  if ((from.kind === 'varchar' || from.kind === 'text') && (to.kind === 'text' || (to.kind === 'varchar' && to.length === null))) return true;
  if (from.kind === 'numeric' && to.kind === 'numeric') {
    if (to.precision === null && to.scale === null) return true;
    return from.precision !== null && to.precision !== null && to.precision >= from.precision && (from.scale ?? 0) === (to.scale ?? 0);
  }
  return JSON.stringify(from) === JSON.stringify(to);
}
