/**
 * Compiles operations to PostgreSQL DDL. PostgreSQL has transactional DDL and
 * can alter everything in place, so every operation maps to a few statements
 * and the Catalog is never read.
 */
import type { Statement } from '../dialect.js';
import type { ColumnChanges, ConstraintDef, Operation } from '../../operations/operations.js';
import { isGeneratedType, type ColumnIR, type ColumnType, type Deferral, type ReferentialAction, type TableIR } from '../../ir/ir.js';
import { indexColumnSql, isColumnKey, splitIndexEntry, unquoteIdentifier } from './postgres-index.js';
import { closingParen, quotedRunAt } from '../sql-text.js';
import { assertNever, columnTypeSql, conditionSql, defaultSql, dollarQuote, isIntegerKind, postgresSyntax, quoteIdentifier as q, quoteLiteral, quoteQualified as qn, typeSql } from './postgres-sql.js';
import { RetortError } from '../../errors.js';
import { bareName, qualifiedName, schemaOf } from '../../ir/qualified.js';
import { compileSequenceOp, identitySql, identityStatements } from './postgres-sequences.js';
import { compileViewOperation } from './postgres-views.js';
import { compileRoutineOperation } from './postgres-routines.js';
import { commentOnSql, compileDomainOp, compileExtensionOp } from './postgres-domains.js';
import { compilePartitionOp, createPartitionSql, exclusionSql, partitionKeySql } from './postgres-partitions.js';
import { compilePolicyOperation } from './postgres-policies.js';

/** compilePostgres turns operations into statements, in order. */
export function compilePostgres(ops: readonly Operation[]): Statement[] {
  return ops.flatMap(compileOne).map((s) => (typeof s === 'string' ? { sql: s } : s));
}

/** compileOne turns one operation into its statements. */
export function compileOne(op: Operation): (string | Statement)[] {
  switch (op.kind) {
    case 'createTable':
      return createTable(op.table);
    case 'dropTable':
      return [`DROP TABLE ${qn(op.name)}`];
    case 'renameTable':
      return [`ALTER TABLE ${qn(op.from)} RENAME TO ${q(bareName(op.to))}`];
    case 'setTableComment':
      return [`COMMENT ON TABLE ${qn(op.table)} IS ${commentSql(op.comment)}`];
    case 'addColumn': {
      const out = [`ALTER TABLE ${qn(op.table)} ADD COLUMN ${columnSql(op.column)}`];
      if (op.column.comment !== null) out.push(columnComment(op.table, op.column.name, op.column.comment));
      return out;
    }
    case 'dropColumn':
      return [`ALTER TABLE ${qn(op.table)} DROP COLUMN ${q(op.name)}`];
    case 'alterColumn':
      return alterColumn(op.table, op.column, op.to, op.from);
    case 'createIndex': {
      const ix = op.index;
      const where = ix.where === null ? '' : ` WHERE ${conditionSql(ix.where)}`;
      const using = ix.method === undefined || ix.method === 'btree' ? '' : ` USING ${ix.method}`;
      const include = ix.include === undefined || ix.include.length === 0 ? '' : ` INCLUDE (${ix.include.map(q).join(', ')})`;
      const nulls = ix.unique && ix.nullsNotDistinct === true ? ' NULLS NOT DISTINCT' : '';
      // IF NOT EXISTS when concurrent: its autocommit block may run again after a later failure of the revision.
      const concurrently = op.concurrently ? 'CONCURRENTLY IF NOT EXISTS ' : '';
      const create = `CREATE ${ix.unique ? 'UNIQUE ' : ''}INDEX ${concurrently}${q(ix.name)} ON ${qn(op.table)}${using} (${ix.columns.map(indexColumnSql).join(', ')})${include}${nulls}${where}`;
      return op.concurrently ? [create, sameIndexCheck(op.table, ix.name, ix.unique, ix.columns)] : [create];
    }
    case 'dropIndex':
      return [op.concurrently ? `DROP INDEX CONCURRENTLY IF EXISTS ${inTableSchema(op.table, op.name)}` : `DROP INDEX ${inTableSchema(op.table, op.name)}`];
    case 'renameIndex':
      return [`ALTER INDEX ${inTableSchema(op.table, op.from)} RENAME TO ${q(op.to)}`];
    case 'renameConstraint':
      return [`ALTER TABLE ${qn(op.table)} RENAME CONSTRAINT ${q(op.from)} TO ${q(op.to)}`];
    case 'renameSequence':
      return [`ALTER SEQUENCE ${qn(op.from)} RENAME TO ${q(bareName(op.to))}`];
    case 'renameView':
      return [`ALTER ${op.materialized ? 'MATERIALIZED VIEW' : 'VIEW'} ${qn(op.from)} RENAME TO ${q(bareName(op.to))}`];
    case 'addConstraint':
      if (op.usingIndex !== undefined) return [`ALTER TABLE ${qn(op.table)} ADD CONSTRAINT ${q(op.constraint.def.name ?? '')} UNIQUE USING INDEX ${q(op.usingIndex)}${deferrableSql(op.constraint.kind === 'unique' ? op.constraint.def.deferrable : undefined)}`];
      return [`ALTER TABLE ${qn(op.table)} ADD ${constraintSql(op.constraint)}${op.notValid ? ' NOT VALID' : ''}`];
    case 'validateConstraint':
      return [`ALTER TABLE ${qn(op.table)} VALIDATE CONSTRAINT ${q(op.name)}`];
    case 'dropConstraint':
      return [`ALTER TABLE ${qn(op.table)} DROP CONSTRAINT ${q(op.name)}`];
    case 'createEnum':
      return [`CREATE TYPE ${qn(op.enum.name)} AS ENUM (${op.enum.values.map(quoteLiteral).join(', ')})`];
    case 'dropEnum':
      return [`DROP TYPE ${qn(op.name)}`];
    case 'renameEnum':
      return [`ALTER TYPE ${qn(op.from)} RENAME TO ${q(bareName(op.to))}`];
    case 'renameEnumValue':
      return [`ALTER TYPE ${qn(op.name)} RENAME VALUE ${quoteLiteral(op.from)} TO ${quoteLiteral(op.to)}`];
    case 'addEnumValue': {
      const place = op.before !== undefined ? ` BEFORE ${quoteLiteral(op.before)}` : op.after !== undefined ? ` AFTER ${quoteLiteral(op.after)}` : '';
      // IF NOT EXISTS: a value added in an autocommit block may already be there when a revision is run again.
      return [`ALTER TYPE ${qn(op.name)} ADD VALUE IF NOT EXISTS ${quoteLiteral(op.value)}${place}`];
    }
    case 'createSequence':
    case 'dropSequence':
    case 'alterSequence':
      return compileSequenceOp(op);
    case 'createDomain':
    case 'alterDomain':
    case 'dropDomain':
    case 'validateDomainCheck':
      return compileDomainOp(op);
    case 'createExtension':
    case 'alterExtension':
    case 'dropExtension':
      return compileExtensionOp(op);
    case 'setComment':
      return [commentOnSql(op.target, op.comment)];
    case 'createSchema':
      return [`CREATE SCHEMA ${q(op.name)}`];
    case 'dropSchema':
      return [`DROP SCHEMA ${q(op.name)}`];
    case 'execute':
      return [op.params === undefined ? { sql: op.sql } : { sql: op.sql, params: op.params }];
    case 'createView':
    case 'dropView':
    case 'replaceView':
    case 'refreshMaterializedView':
      return compileViewOperation(op, (table, index) => compileOne({ kind: 'createIndex', table, index }).map((s) => (typeof s === 'string' ? s : s.sql)));
    case 'createFunction':
    case 'dropFunction':
    case 'replaceFunction':
    case 'createTrigger':
    case 'dropTrigger':
      return compileRoutineOperation(op);
    case 'attachPartition':
    case 'detachPartition':
      return compilePartitionOp(op);
    case 'alterRls':
    case 'createPolicy':
    case 'dropPolicy':
    case 'alterPolicy':
      return compilePolicyOperation(op);
    default:
      return assertNever(op);
  }
}

/** An index (named alone, in its table's schema) as DROP INDEX and ALTER INDEX name it. */
/**
 * After `CREATE INDEX CONCURRENTLY IF NOT EXISTS`: the index of that name is the one asked for (on that table, unique
 * or not, on those columns where its keys are plain columns), or the statement fails. IF NOT EXISTS lets a block run
 * again harmlessly after a later failure, but it also took a different index a person had made under that name, and
 * the revision's downgrade then dropped that person's index.
 */
function sameIndexCheck(table: string, name: string, unique: boolean, columns: readonly string[]): string {
  const keys = columns.map((c) => splitIndexEntry(c).key);
  const plain = keys.every(isColumnKey);
  const cols = plain ? ` AND (SELECT array_agg(a.attname::text ORDER BY k.o) FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(n, o) JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.n WHERE k.o <= i.indnkeyatts) = ARRAY[${keys.map((k) => quoteLiteral(unquoteIdentifier(k))).join(', ')}]::text[]` : '';
  const index = quoteLiteral(inTableSchema(table, name));
  const message = quoteLiteral(`index ${name} exists but is not the one this revision creates (on ${table}${plain ? ` (${keys.map(unquoteIdentifier).join(', ')})` : ''}${unique ? ', unique' : ''}): IF NOT EXISTS kept it; rename or drop it, then run again`);
  const body = ` BEGIN IF NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indexrelid = to_regclass(${index}) AND i.indrelid = to_regclass(${quoteLiteral(qn(table))}) AND i.indisunique = ${unique}${cols}) THEN RAISE EXCEPTION USING MESSAGE = ${message}; END IF; END `;
  return `DO ${dollarQuote(body)}`;
}

function inTableSchema(table: string, index: string): string {
  return qn(qualifiedName(schemaOf(table), index));
}

function createTable(t: TableIR): string[] {
  const lines = t.columns.map(columnSql);
  const later: string[] = [];
  // CREATE TABLE silently merges a UNIQUE on the same column list as the primary key or an earlier UNIQUE into it
  // (the key even takes the unique's name); ALTER TABLE ... ADD keeps each one.
  const keys = t.primaryKey ? [t.primaryKey.columns.join('\u0000')] : [];
  if (t.primaryKey) lines.push(constraintSql({ kind: 'primaryKey', def: t.primaryKey }));
  for (const def of t.uniques) {
    const key = def.columns.join('\u0000');
    if (keys.includes(key)) later.push(`ALTER TABLE ${qn(t.name)} ADD ${constraintSql({ kind: 'unique', def })}`);
    else lines.push(constraintSql({ kind: 'unique', def }));
    keys.push(key);
  }
  for (const def of t.foreignKeys) lines.push(constraintSql({ kind: 'foreignKey', def }));
  for (const def of t.checks) lines.push(constraintSql({ kind: 'check', def }));
  for (const def of t.excludes ?? []) lines.push(constraintSql({ kind: 'exclude', def }));
  const create = t.partitionOf !== undefined ? createPartitionSql(t, lines) : `CREATE TABLE ${qn(t.name)} (\n${lines.map((l) => `  ${l}`).join(',\n')}\n)${t.partitionBy ? ` ${partitionKeySql(t.partitionBy)}` : ''}`;
  const out = [create, ...later];
  for (const index of t.indexes) out.push(...(compileOne({ kind: 'createIndex', table: t.name, index }) as string[]));
  if (t.comment !== null) out.push(`COMMENT ON TABLE ${qn(t.name)} IS ${commentSql(t.comment)}`);
  for (const c of t.columns) if (c.comment !== null) out.push(columnComment(t.name, c.name, c.comment));
  return out;
}

/** columnSql is a column definition as in CREATE TABLE and ADD COLUMN. */
export function columnSql(c: ColumnIR): string {
  let sql = `${q(c.name)} ${columnTypeSql(c.type, c.autoIncrement)}`;
  if (c.collation !== undefined) sql += ` COLLATE ${q(c.collation)}`;
  if (!c.nullable) sql += ' NOT NULL';
  if (c.serverDefault !== null && !c.autoIncrement) sql += ` DEFAULT ${defaultSql(c.serverDefault)}`;
  if (c.identity !== undefined) sql += ` ${identitySql(c.identity)}`;
  return sql;
}

/** constraintSql is `CONSTRAINT "name" ...` as in CREATE TABLE and ADD; an unnamed primary key is left for PostgreSQL to name. */
export function constraintSql(c: ConstraintDef): string {
  const cols = (names: readonly string[]) => names.map(q).join(', ');
  switch (c.kind) {
    case 'primaryKey':
      return `${c.def.name === null ? '' : `CONSTRAINT ${q(c.def.name)} `}PRIMARY KEY (${cols(c.def.columns)})${deferrableSql(c.def.deferrable)}`;
    case 'unique':
      return `CONSTRAINT ${q(c.def.name)} UNIQUE${c.def.nullsNotDistinct === true ? ' NULLS NOT DISTINCT' : ''} (${cols(c.def.columns)})${deferrableSql(c.def.deferrable)}`;
    case 'foreignKey': {
      const fk = c.def;
      return `CONSTRAINT ${q(fk.name)} FOREIGN KEY (${cols(fk.columns)}) REFERENCES ${qn(fk.refTable)} (${cols(fk.refColumns)})${action('DELETE', fk.onDelete)}${action('UPDATE', fk.onUpdate)}${deferrableSql(fk.deferrable)}`;
    }
    case 'check':
      return `CONSTRAINT ${q(c.def.name)} CHECK (${conditionSql(c.def.expression)})`;
    case 'exclude':
      return exclusionSql(c.def);
    default:
      return assertNever(c);
  }
}

function deferrableSql(d: Deferral | undefined): string {
  return d === undefined ? '' : ` DEFERRABLE INITIALLY ${d.toUpperCase()}`;
}

function action(event: 'DELETE' | 'UPDATE', a: ReferentialAction): string {
  return a === 'NO ACTION' ? '' : ` ON ${event} ${a}`;
}

export { indexColumnSql } from './postgres-index.js';

function alterColumn(table: string, column: string, to: ColumnChanges, from: ColumnChanges | undefined): string[] {
  const alter = (clause: string) => `ALTER TABLE ${qn(table)} ALTER COLUMN ${q(column)} ${clause}`;
  const out: string[] = [];
  // serial -> identity and back are one step each (identityStatements), which keeps the sequence's position.
  const identity = to.identity === undefined ? null : { from: from?.identity ?? null, to: to.identity };
  // A sequence goes before a new default is set and comes after the old one is gone: one default per column.
  if (to.autoIncrement === false && identity?.to == null) out.push(...dropAutoIncrement(table, column));
  if (identity !== null && identity.to === null) out.push(...identityStatements(table, column, identity.from, null, false, to.autoIncrement === true));
  const oldDefault = from?.serverDefault ?? null;
  const newDefault = to.serverDefault !== undefined ? to.serverDefault : oldDefault;
  if (to.type !== undefined && (isGeneratedType(to.type) || (from?.type !== undefined && isGeneratedType(from.type)))) {
    throw new RetortError('UNSUPPORTED', `column "${table}"."${column}" is generated: Retort does not change a generated column's type or expression, or make a column generated, in place`, {
      hint: `drop the column and add it again in the revision: op.dropColumn('${table}', '${column}') then op.addColumn(...)`,
    });
  }
  if (to.type !== undefined) {
    // PostgreSQL casts the default along with the column and fails when it cannot ("default ... cannot be cast automatically"): drop it first, set it after.
    const moveDefault = oldDefault !== null || to.serverDefault !== undefined;
    if (moveDefault) out.push(alter('DROP DEFAULT'));
    const using = to.using !== undefined ? to.using.split('{col}').join(q(column)) : autoUsing(q(column), from?.type, to.type);
    const collate = to.collation === undefined || to.collation === null ? '' : ` COLLATE ${q(to.collation)}`;
    out.push(alter(`TYPE ${typeSql(to.type)}${collate}${using === null ? '' : ` USING ${using}`}`));
    if (isIntegerKind(to.type) && from?.type !== undefined && isIntegerKind(from.type) && from.type.kind !== to.type.kind) out.push(serialSequenceType(table, column, typeSql(to.type)));
    if (moveDefault && newDefault !== null) out.push(alter(`SET DEFAULT ${defaultSql(newDefault)}`));
  } else if (to.collation !== undefined) {
    // PostgreSQL changes a collation only with ALTER COLUMN ... TYPE, which needs the type: autogenerate carries it.
    throw new RetortError('USAGE', `column "${table}"."${column}": a collation is changed together with the column's type on PostgreSQL`, {
      hint: `give the type too: op.alterColumn('${table}', '${column}', { type: text(), collation: ${to.collation === null ? 'null' : `'${to.collation}'`} })`,
    });
  } else if (to.serverDefault !== undefined) {
    out.push(alter(to.serverDefault === null ? 'DROP DEFAULT' : `SET DEFAULT ${defaultSql(to.serverDefault)}`));
  }
  if (to.autoIncrement === true && identity?.to !== null) out.push(...addAutoIncrement(table, column));
  if (to.nullable !== undefined) out.push(alter(to.nullable ? 'DROP NOT NULL' : 'SET NOT NULL'));
  // After SET NOT NULL: PostgreSQL adds an identity to NOT NULL columns only.
  if (identity !== null && identity.to !== null) out.push(...identityStatements(table, column, identity.from, identity.to, to.autoIncrement === false, false));
  if (to.comment !== undefined) out.push(columnComment(table, column, to.comment));
  if (to.name !== undefined && to.name !== column) out.push(`ALTER TABLE ${qn(table)} RENAME COLUMN ${q(column)} TO ${q(to.name)}`);
  return out;
}

/**
 * What `serial` does, on an existing column: a sequence the column owns (so dropping the column drops it),
 * the nextval() default, and the sequence moved past the values already there. Retort does not create
 * identity columns; the introspector reads both as auto-increment.
 */
function addAutoIncrement(table: string, column: string): string[] {
  const seq = qn(qualifiedName(schemaOf(table), `${bareName(table)}_${column}_seq`));
  return [
    `CREATE SEQUENCE ${seq} OWNED BY ${qn(table)}.${q(column)}`,
    `ALTER TABLE ${qn(table)} ALTER COLUMN ${q(column)} SET DEFAULT nextval(${quoteLiteral(seq)}::regclass)`,
    `SELECT setval(${quoteLiteral(seq)}, COALESCE((SELECT max(${q(column)}) FROM ${qn(table)}), 0) + 1, false)`,
  ];
}

/**
 * Undoes serial or identity, whichever the column has: the compiler does not read the catalog, so both
 * forms are written to be harmless on the other (DROP IDENTITY IF EXISTS; the owned sequence looked up
 * with pg_get_serial_sequence, which after DROP IDENTITY finds none).
 */
function dropAutoIncrement(table: string, column: string): string[] {
  const alter = (clause: string) => `ALTER TABLE ${qn(table)} ALTER COLUMN ${q(column)} ${clause}`;
  const seq = `pg_get_serial_sequence(${quoteLiteral(qn(table))}, ${quoteLiteral(column)})`;
  return [
    alter('DROP IDENTITY IF EXISTS'),
    alter('DROP DEFAULT'),
    `DO ${dollarQuote(` BEGIN IF ${seq} IS NOT NULL THEN EXECUTE 'DROP SEQUENCE ' || ${seq}; END IF; END `)}`,
  ];
}

type Family = 'number' | 'string' | 'time' | 'json' | 'other';

function family(t: ColumnType): Family {
  switch (t.kind) {
    case 'smallint': case 'integer': case 'bigint': case 'numeric': case 'real': case 'double':
      return 'number';
    case 'text': case 'varchar': case 'char':
      return 'string';
    case 'date': case 'time': case 'timestamp':
      return 'time';
    case 'json': case 'jsonb':
      return 'json';
    default:
      return 'other';
  }
}

/**
 * autoUsing is the USING clause a type change needs when PostgreSQL has no
 * assignment cast (text -> enum, text -> integer, enum -> enum, ...): "column
 * cannot be cast automatically". Everything casts to a string type, and types
 * of one family cast among themselves, so those need none.
 */
export function autoUsing(col: string, from: ColumnType | undefined, to: ColumnType): string | null {
  const el = (t: ColumnType): ColumnType => (t.kind === 'array' ? el(t.element) : t);
  const toEl = el(to);
  const dims = to.kind === 'array' ? '[]' : '';
  // enum -> enum has no cast at all; going through text works from text and from any enum.
  if (toEl.kind === 'enum') return `${col}::text${dims}::${typeSql(to)}`;
  const toFamily = family(toEl);
  if (toFamily === 'string') return null;
  if (from !== undefined) {
    const fromFamily = family(el(from));
    if (fromFamily === toFamily && fromFamily !== 'other' && (from.kind === 'array') === (to.kind === 'array')) return null;
    if (from.kind === to.kind && from.kind !== 'custom' && from.kind !== 'array') return null;
  }
  return `${col}::${typeSql(to)}`;
}

function columnComment(table: string, column: string, comment: string | null): string {
  return `COMMENT ON COLUMN ${qn(table)}.${q(column)} IS ${commentSql(comment)}`;
}

function commentSql(comment: string | null): string {
  return comment === null ? 'NULL' : quoteLiteral(comment);
}

/**
 * A serial column's sequence keeps its own type (integer for serial): widened to bigint, the column
 * would still stop at 2^31 - 1 ("nextval: reached maximum value of sequence"). This gives the sequence
 * the column's new type, when the column owns one that is not an identity's (PostgreSQL changes those
 * with the column). Its limits follow when they were the old type's.
 */
function serialSequenceType(table: string, column: string, type: string): string {
  const t = quoteLiteral(qn(table));
  const c = quoteLiteral(column);
  return `DO ${dollarQuote(` DECLARE seq text := pg_get_serial_sequence(${t}, ${c}); BEGIN IF seq IS NOT NULL AND NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = ${t}::regclass AND attname = ${c} AND attidentity <> '') THEN EXECUTE format('ALTER SEQUENCE %s AS ${type}', seq); END IF; END `)}`;
}
