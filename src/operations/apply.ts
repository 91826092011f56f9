/**
 * applyOperations: runs operations symbolically on a Schema IR, without a
 * database. It is the oracle of the property tests (apply(A, diff(A, B)) == B)
 * and lets the lead predict the schema a revision produces. It refuses what
 * PostgreSQL refuses (dropping a table another table references, a column a
 * constraint uses, an enum a column uses), so an ordering bug in the differ
 * fails here instead of on a real database. What an operation does to one
 * table is the shared applier's (apply-table.ts); this file adds the schema:
 * tables and enums, and the checks that look across tables.
 */
import { RetortError } from '../errors.js';
import type { ColumnIR, ColumnType, EnumIR, ForeignKeyIR, SchemaIR, TableIR } from '../ir/ir.js';
import { enumNameOf } from '../ir/ir.js';
import type { ApplyPolicy, ApplyRefusal } from './apply-policy.js';
import { applyTableOperation, findConstraint, type TableOperation } from './apply-table.js';
import type { ColumnChanges, Operation, OperationKind, OperationOf } from './operations.js';
import { byCodePoint, renameEnumInType, sameIR } from '../ir/ir-util.js';

/** Options for applyOperations. */
export interface ApplyOptions {
  /** Also check that every drop's definition and every alterColumn's `from` match the schema as it stands (so the inverse is right). */
  readonly strict?: boolean;
}

function fail(o: Operation, message: string): never {
  throw new RetortError('MIGRATION_FAILED', `applyOperations: ${o.kind}: ${message}`);
}

function refusal(why: ApplyRefusal): string {
  switch (why.reason) {
    case 'exists': return why.what === 'column' ? `column ${why.table}.${why.name} already exists` : `${why.what} "${why.name}" already exists on ${why.table}`;
    case 'missing': return why.what === 'column' ? `no column ${why.table}.${why.name}` : `no ${why.what} "${why.name}" on ${why.table}`;
    case 'primaryKeyExists': return `table "${why.table}" already has a primary key`;
    case 'columnInUse': return `column ${why.table}.${why.name} is still used by a constraint or index`;
  }
}

/** The oracle's policy: as strict as PostgreSQL without CASCADE, and it never reads SQL text (expressions are opaque to it). */
const ORACLE: ApplyPolicy = {
  // Refused rather than cascaded, so that the differ must drop what uses a column first, as its ordering promises.
  dropColumnRemovesDependents: false,
  uniqueConstraintNames: true,
  namedPrimaryKey: true,
  autoIncrementNeedsPrimaryKey: false,
  tableComments: true,
  sqlNames: null,
  refuse: (o, why) => new RetortError('MIGRATION_FAILED', `applyOperations: ${o.kind}: ${refusal(why)}`),
};

/** The schema being changed, with the lookups and checks the handlers share. */
class SchemaState {
  readonly tables: Map<string, TableIR>;
  readonly enums: Map<string, EnumIR>;

  constructor(schema: SchemaIR, readonly strict: boolean) {
    this.tables = new Map(schema.tables.map((t) => [t.name, t]));
    this.enums = new Map(schema.enums.map((e) => [e.name, e]));
  }

  table(o: Operation, name: string): TableIR {
    return this.tables.get(name) ?? fail(o, `no table "${name}"`);
  }

  checkType(o: Operation, type: ColumnType): void {
    const e = enumNameOf(type);
    if (e !== null && !this.enums.has(e)) fail(o, `enum type "${e}" does not exist`);
  }

  /** Whether a foreign key of a table other than `except` references table `name` (on one of `columns`, when given). */
  referencedBy(name: string, columns: readonly string[] | null, except: string | null): boolean {
    return [...this.tables.values()].some((t) => t.name !== except && t.foreignKeys.some((fk) => fk.refTable === name && (columns === null || columns.some((c) => fk.refColumns.includes(c)))));
  }

  checkFk(o: Operation, owner: TableIR, fk: ForeignKeyIR): void {
    const target = fk.refTable === owner.name ? owner : this.table(o, fk.refTable);
    for (const c of fk.refColumns) if (!target.columns.some((x) => x.name === c)) fail(o, `foreign key "${fk.name}" references missing column ${fk.refTable}.${c}`);
    for (const c of fk.columns) if (!owner.columns.some((x) => x.name === c)) fail(o, `foreign key "${fk.name}" uses missing column ${owner.name}.${c}`);
  }

  /** In strict mode, refuses a recorded definition (`expected`, null when not recorded) that differs from the schema. */
  sameAs(o: Operation, what: string, expected: unknown, actual: unknown): void {
    if (this.strict && expected !== null && !sameIR(expected, actual)) fail(o, `the recorded definition of ${what} differs from the schema as it stands`);
  }

  /** Applies a table-level operation with the oracle's policy; `check` runs after, on the table as it was. */
  change(o: TableOperation, check: (before: TableIR) => void = () => {}): void {
    const before = this.table(o, o.table);
    const after = applyTableOperation(before, o, ORACLE);
    check(before);
    this.tables.set(o.table, after);
  }
}

// A typed map over every operation kind: a new operation that the oracle does not handle fails to compile.
const handlers: { readonly [K in OperationKind]: (s: SchemaState, o: OperationOf<K>) => void } = {
  createTable: (s, o) => {
    if (s.tables.has(o.table.name)) fail(o, `table "${o.table.name}" already exists`);
    for (const c of o.table.columns) s.checkType(o, c.type);
    for (const fk of o.table.foreignKeys) s.checkFk(o, o.table, fk);
    s.tables.set(o.table.name, o.table);
  },
  dropTable: (s, o) => {
    const t = s.table(o, o.name);
    if (s.referencedBy(o.name, null, o.name)) fail(o, `table "${o.name}" is referenced by a foreign key of another table`);
    s.sameAs(o, `table "${o.name}"`, o.table, t);
    s.tables.delete(o.name);
  },
  renameTable: (s, o) => {
    const t = s.table(o, o.from);
    if (s.tables.has(o.to)) fail(o, `table "${o.to}" already exists`);
    s.tables.delete(o.from);
    s.tables.set(o.to, { ...t, name: o.to });
    // Foreign keys follow a renamed table, as in PostgreSQL.
    for (const [n, x] of s.tables) {
      if (x.foreignKeys.some((fk) => fk.refTable === o.from)) s.tables.set(n, { ...x, foreignKeys: x.foreignKeys.map((fk) => (fk.refTable === o.from ? { ...fk, refTable: o.to } : fk)) });
    }
  },
  setTableComment: (s, o) => s.change(o, (t) => {
    if (s.strict && o.from !== undefined && o.from !== t.comment) fail(o, `the recorded comment of "${o.table}" differs`);
  }),
  addColumn: (s, o) => s.change(o, () => s.checkType(o, o.column.type)),
  dropColumn: (s, o) => s.change(o, (t) => {
    if (s.referencedBy(o.table, [o.name], null)) fail(o, `column ${o.table}.${o.name} is referenced by a foreign key`);
    s.sameAs(o, `column ${o.table}.${o.name}`, o.column, t.columns.find((c) => c.name === o.name));
  }),
  alterColumn: (s, o) => {
    s.change(o, (t) => {
      if (s.strict && o.from) checkFrom(o, t.columns.find((c) => c.name === o.column)!, o.from);
      if (o.to.type) s.checkType(o, o.to.type);
    });
    // Foreign keys of other tables follow a renamed column.
    const to = o.to.name ?? o.column;
    if (to === o.column) return;
    for (const [n, x] of s.tables) {
      if (n !== o.table && x.foreignKeys.some((fk) => fk.refTable === o.table)) {
        s.tables.set(n, { ...x, foreignKeys: x.foreignKeys.map((fk) => (fk.refTable === o.table ? { ...fk, refColumns: fk.refColumns.map((c) => (c === o.column ? to : c)) } : fk)) });
      }
    }
  },
  createIndex: (s, o) => s.change(o),
  dropIndex: (s, o) => s.change(o, (t) => s.sameAs(o, `index "${o.name}"`, o.index, t.indexes.find((i) => i.name === o.name))),
  addConstraint: (s, o) => s.change(o, (t) => {
    if (o.constraint.kind === 'foreignKey') s.checkFk(o, t, o.constraint.def);
  }),
  dropConstraint: (s, o) => s.change(o, (t) => {
    const found = findConstraint(t, o.name, o.constraintKind, ORACLE)!;
    if (found.kind === 'unique' || found.kind === 'primaryKey') {
      // A foreign key needs some key on its referenced columns; another key on the same columns can serve it.
      const cols = found.def.columns;
      const same = (xs: readonly string[]) => xs.length === cols.length && xs.every((c) => cols.includes(c));
      const others = [...(t.primaryKey && found.kind !== 'primaryKey' ? [t.primaryKey.columns] : []), ...t.uniques.filter((u) => u.name !== o.name).map((u) => u.columns), ...t.indexes.filter((i) => i.unique && i.where === null).map((i) => i.columns)];
      const needed = [...s.tables.values()].some((x) => x.foreignKeys.some((fk) => fk.refTable === o.table && same(fk.refColumns)));
      if (!others.some(same) && needed) fail(o, `constraint "${o.name}" is needed by a foreign key`);
    }
    s.sameAs(o, `constraint "${o.name}"`, o.constraint, found);
  }),
  createEnum: (s, o) => {
    if (s.enums.has(o.enum.name)) fail(o, `enum type "${o.enum.name}" already exists`);
    s.enums.set(o.enum.name, o.enum);
  },
  dropEnum: (s, o) => {
    const e = s.enums.get(o.name) ?? fail(o, `no enum type "${o.name}"`);
    for (const t of s.tables.values()) for (const c of t.columns) if (enumNameOf(c.type) === o.name) fail(o, `enum type "${o.name}" is used by ${t.name}.${c.name}`);
    s.sameAs(o, `enum "${o.name}"`, o.enum, e);
    s.enums.delete(o.name);
  },
  renameEnum: (s, o) => {
    const e = s.enums.get(o.from) ?? fail(o, `no enum type "${o.from}"`);
    if (s.enums.has(o.to)) fail(o, `enum type "${o.to}" already exists`);
    s.enums.delete(o.from);
    s.enums.set(o.to, { ...e, name: o.to });
    // Columns hold the type itself (by OID in PostgreSQL), so they follow the rename.
    for (const [n, t] of s.tables) {
      if (t.columns.some((c) => enumNameOf(c.type) === o.from)) s.tables.set(n, { ...t, columns: t.columns.map((c) => ({ ...c, type: renameEnumInType(c.type, o.from, o.to) })) });
    }
  },
  addEnumValue: (s, o) => {
    const e = s.enums.get(o.name) ?? fail(o, `no enum type "${o.name}"`);
    if (e.values.includes(o.value)) fail(o, `enum "${o.name}" already has the value "${o.value}"`);
    const values = [...e.values];
    const anchor = o.before ?? o.after;
    if (anchor === undefined) values.push(o.value);
    else {
      const i = values.indexOf(anchor);
      if (i < 0) fail(o, `enum "${o.name}" has no value "${anchor}"`);
      values.splice(o.before !== undefined ? i : i + 1, 0, o.value);
    }
    s.enums.set(o.name, { ...e, values });
  },
  renameEnumValue: (s, o) => {
    const e = s.enums.get(o.name) ?? fail(o, `no enum type "${o.name}"`);
    if (!e.values.includes(o.from)) fail(o, `enum "${o.name}" has no value "${o.from}"`);
    if (e.values.includes(o.to)) fail(o, `enum "${o.name}" already has the value "${o.to}"`);
    // The value keeps its place: order is meaningful in an enum.
    s.enums.set(o.name, { ...e, values: e.values.map((v) => (v === o.from ? o.to : v)) });
  },
  execute: (_s, o) => fail(o, 'raw SQL cannot be applied symbolically'),
  // Validation changes what the database knows of the rows, not the schema.
  validateConstraint: (s, o) => void s.table(o, o.table),
};

/** The schema after running `ops` on `schema`; tables and enums stay sorted by name. */
export function applyOperations(schema: SchemaIR, ops: readonly Operation[], options: ApplyOptions = {}): SchemaIR {
  const s = new SchemaState(schema, options.strict ?? false);
  for (const o of ops) (handlers[o.kind] as (s: SchemaState, o: Operation) => void)(s, o);
  return {
    tables: [...s.tables.values()].sort((a, b) => byCodePoint(a.name, b.name)),
    enums: [...s.enums.values()].sort((a, b) => byCodePoint(a.name, b.name)),
  };
}

function checkFrom(o: Operation, col: ColumnIR, from: ColumnChanges): void {
  const bad = (k: string) => fail(o, `the recorded previous ${k} of ${col.name} differs from the schema as it stands`);
  if (from.type !== undefined && !sameIR(from.type, col.type)) bad('type');
  if (from.nullable !== undefined && from.nullable !== col.nullable) bad('nullability');
  if (from.serverDefault !== undefined && from.serverDefault !== col.serverDefault) bad('server default');
  if (from.comment !== undefined && from.comment !== col.comment) bad('comment');
  if (from.autoIncrement !== undefined && from.autoIncrement !== col.autoIncrement) bad('auto-increment');
}
