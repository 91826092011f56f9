/**
 * PostgreSQL statements for sequences and identity columns. A sequence is altered in place (ALTER SEQUENCE), never
 * dropped and created again, so its current value survives every change of options. Moving a column between
 * serial and identity keeps the next value it hands out: the old sequence's position is read and given to the
 * new one, in one DO block, since the statement cannot know the value in advance.
 */
import type { IdentityIR, SequenceChanges, SequenceIR, SequenceOwnerIR } from '../../ir/ir.js';
import type { OperationOf } from '../../operations/operations.js';
import { alterOptionsSql, createOptionsSql } from './postgres-sequence-options.js';
import { dollarQuote, quoteIdentifier as q, quoteLiteral, quoteQualified as qn } from './postgres-sql.js';
import { bareName, qualifiedName, schemaOf } from '../../ir/qualified.js';

const owner = (o: SequenceOwnerIR | null) => (o === null ? 'NONE' : `${qn(o.table)}.${q(o.column)}`);

/** CREATE SEQUENCE with the options away from their defaults and its owner. */
export function createSequenceSql(s: SequenceIR): string {
  const clauses = [...createOptionsSql(s), ...(s.ownedBy !== null ? [`OWNED BY ${owner(s.ownedBy)}`] : [])];
  return `CREATE SEQUENCE ${qn(s.name)}${clauses.map((c) => ` ${c}`).join('')}`;
}

/** The statements of one sequence operation. */
export function compileSequenceOp(op: OperationOf<'createSequence' | 'dropSequence' | 'alterSequence'>): string[] {
  switch (op.kind) {
    case 'createSequence':
      return [createSequenceSql(op.sequence)];
    case 'dropSequence':
      return [`DROP SEQUENCE ${qn(op.name)}`];
    case 'alterSequence': {
      const clauses = [...alterOptionsSql(op.to), ...(op.to.ownedBy !== undefined ? [`OWNED BY ${owner(op.to.ownedBy)}`] : [])];
      return clauses.length === 0 ? [] : [`ALTER SEQUENCE ${qn(op.name)} ${clauses.join(' ')}`];
    }
  }
}

/** `GENERATED ALWAYS AS IDENTITY (START WITH 10)`, as in a column definition and ADD GENERATED. */
export function identitySql(i: IdentityIR): string {
  const options = createOptionsSql(i);
  return `GENERATED ${i.always ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY${options.length > 0 ? ` (${options.join(' ')})` : ''}`;
}

/** What changes an identity's options and kind in place: SET GENERATED and SET <option>, one ALTER COLUMN. */
function identityChanges(from: IdentityIR, to: IdentityIR): string[] {
  const changed: { -readonly [K in keyof SequenceChanges]: SequenceChanges[K] } = {};
  // The four that decide the bounds go together (see alterOptionsSql).
  if (to.start !== from.start || to.increment !== from.increment || to.min !== from.min || to.max !== from.max) Object.assign(changed, { start: to.start, increment: to.increment, min: to.min, max: to.max });
  if (to.cache !== from.cache) changed.cache = to.cache;
  if (to.cycle !== from.cycle) changed.cycle = to.cycle;
  return [...(to.always !== from.always ? [`SET GENERATED ${to.always ? 'ALWAYS' : 'BY DEFAULT'}`] : []), ...alterOptionsSql(changed, 'SET ')];
}

/**
 * The statements that move a column from `from` to `to` identity (null: none). `serialBefore` and `serialAfter`
 * say whether the column is serial before and after: serial -> identity and back keep the next value.
 */
export function identityStatements(table: string, column: string, from: IdentityIR | null, to: IdentityIR | null, serialBefore: boolean, serialAfter: boolean): string[] {
  const alter = `ALTER TABLE ${qn(table)} ALTER COLUMN ${q(column)}`;
  const seq = `pg_get_serial_sequence(${quoteLiteral(qn(table))}, ${quoteLiteral(column)})`;
  // The position of the sequence the column has now (serial's or the identity's), read before it goes.
  const read = `seq := ${seq}; IF seq IS NOT NULL THEN EXECUTE format('SELECT last_value, is_called FROM %s', seq) INTO v, called; END IF;`;
  const restore = (target: string) => `IF v IS NOT NULL THEN PERFORM setval(${target}, v, called); END IF;`;
  const block = (body: string) => `DO ${dollarQuote(` DECLARE seq text; v bigint; called boolean; BEGIN ${body} END `)}`;
  if (from === null && to !== null) {
    if (!serialBefore) return [`${alter} ADD ${identitySql(to)}`];
    // serial -> identity: the serial sequence goes (the identity's takes its name), its position is carried over.
    return [block(`${read} ${alter} DROP DEFAULT; IF seq IS NOT NULL THEN EXECUTE 'DROP SEQUENCE ' || seq; END IF; ${alter} ADD ${identitySql(to)}; ${restore(seq)}`)];
  }
  if (from !== null && to === null) {
    if (!serialAfter) return [`${alter} DROP IDENTITY`];
    // identity -> serial: what serial() creates (a sequence the column owns, its nextval() default), at the identity's position.
    // The sequence has the column's type, as serial's has (read from the catalog: the operation may not carry it).
    const name = qn(qualifiedName(schemaOf(table), `${bareName(table)}_${column}_seq`));
    const as = `(SELECT format_type(atttypid, NULL) FROM pg_attribute WHERE attrelid = ${quoteLiteral(qn(table))}::regclass AND attname = ${quoteLiteral(column)})`;
    const create = `EXECUTE format('CREATE SEQUENCE %s AS %s OWNED BY %s', ${quoteLiteral(name)}, ${as}, ${quoteLiteral(`${qn(table)}.${q(column)}`)});`;
    return [block(`${read} ${alter} DROP IDENTITY; ${create} ${alter} SET DEFAULT nextval(${quoteLiteral(name)}::regclass); ${restore(quoteLiteral(name))}`)];
  }
  if (from !== null && to !== null) {
    const changes = identityChanges(from, to);
    return changes.length === 0 ? [] : [`${alter} ${changes.join(' ')}`];
  }
  return [];
}
