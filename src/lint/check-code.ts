/**
 * The rules about the application still running while a revision applies: renames and drops. They read the
 * operation a statement came from (`op.renameTable`, `op.dropColumn`...), which every dialect has, or, for raw SQL
 * (`op.execute`) that PostgreSQL's parser reads, the statement itself.
 */
import type { Operation } from '../operations/operations.js';
import { addsRequiredColumn } from '../operations/destructive.js';
import type { Hit } from './check-types.js';
import { alterCommands, dropNames } from './revision-walk.js';
import { fieldsOf, relationName, str, type PgNode } from './pg-ast.js';

const q = (name: string) => `"${name}"`;

/** The renames and drops an operation makes (tables created in the same revision are skipped by the caller). */
export function checkOperation(op: Operation): Hit[] {
  switch (op.kind) {
    // Not about locks: the database refuses it on a table with a row, on either dialect (the same words as the
    // statement rule's, so a statement and its operation report it once).
    case 'addColumn':
      return addsRequiredColumn(op) ? [{ rule: 'adding-required-column', message: `adding ${q(op.table)}.${q(op.column.name)} NOT NULL without a default fails as soon as ${q(op.table)} has a row` }] : [];
    case 'renameTable':
      return [{ rule: 'renaming-table', message: `renaming table ${q(op.from)} to ${q(op.to)} breaks code still using the old name` }];
    case 'dropTable':
      return [{ rule: 'dropping-table', message: `dropping table ${q(op.name)} breaks code still using it` }];
    case 'dropColumn':
      return [{ rule: 'dropping-column', message: `dropping column ${q(op.table)}.${q(op.name)} breaks code still using it` }];
    case 'alterColumn':
      return op.to.name !== undefined && op.to.name !== op.column ? [{ rule: 'renaming-column', message: `renaming column ${q(op.table)}.${q(op.column)} to ${q(op.to.name)} breaks code still using the old name` }] : [];
    // Renaming an index or a constraint breaks no query: not reported.
    case 'renameView':
      return [{ rule: 'renaming-object', message: `renaming ${op.materialized ? 'materialized view' : 'view'} ${q(op.from)} to ${q(op.to)} breaks code still using the old name` }];
    case 'renameSequence':
      return [{ rule: 'renaming-object', message: `renaming sequence ${q(op.from)} to ${q(op.to)} breaks code still using the old name (nextval('${op.from}'))` }];
    case 'renameEnum':
      return [{ rule: 'renaming-object', message: `renaming enum type ${q(op.from)} to ${q(op.to)} breaks code still casting to the old name` }];
    case 'renameEnumValue':
      return [{ rule: 'renaming-object', message: `renaming value '${op.from}' of enum ${q(op.name)} to '${op.to}' breaks code still writing the old value` }];
    default:
      return [];
  }
}

/** The enum type an operation's rename is on (to skip enums created earlier in the same revision). */
export function operationEnum(op: Operation): string | null {
  return op.kind === 'renameEnum' ? op.from : op.kind === 'renameEnumValue' ? op.name : null;
}

/** The renames and drops a raw SQL statement makes, with the table each is on. */
export function checkRawStatement(node: PgNode): { table: string; hit: Hit }[] {
  const rename = fieldsOf(node, 'RenameStmt');
  if (rename) {
    const table = relationName(rename);
    const type = str(rename, 'renameType');
    if (type === 'OBJECT_TABLE') return [{ table, hit: { rule: 'renaming-table', message: `renaming table ${q(table)} to ${q(str(rename, 'newname'))} breaks code still using the old name` } }];
    if (type === 'OBJECT_COLUMN') return [{ table, hit: { rule: 'renaming-column', message: `renaming column ${q(table)}.${q(str(rename, 'subname'))} to ${q(str(rename, 'newname'))} breaks code still using the old name` } }];
  }
  const drop = fieldsOf(node, 'DropStmt');
  if (drop && str(drop, 'removeType') === 'OBJECT_TABLE') {
    return dropNames(drop).map((table) => ({ table, hit: { rule: 'dropping-table', message: `dropping table ${q(table)} breaks code still using it` } }));
  }
  const alter = fieldsOf(node, 'AlterTableStmt');
  if (alter) {
    const table = relationName(alter);
    return alterCommands(alter)
      .filter((c) => str(c, 'subtype') === 'AT_DropColumn')
      .map((c) => ({ table, hit: { rule: 'dropping-column', message: `dropping column ${q(table)}.${q(str(c, 'name'))} breaks code still using it` } }));
  }
  return [];
}

/** The table an operation's rename or drop is on (to skip tables created earlier in the same revision). */
export function operationTable(op: Operation): string | null {
  switch (op.kind) {
    case 'renameTable':
    case 'renameView':
    case 'renameSequence':
      return op.from;
    case 'dropTable':
      return op.name;
    case 'dropColumn':
    case 'alterColumn':
      return op.table;
    default:
      return null;
  }
}
