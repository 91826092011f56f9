/**
 * applyOperations: runs operations symbolically on a Schema IR, without a
 * database. It is the oracle of the property tests (apply(A, diff(A, B)) == B)
 * and lets the lead predict the schema a revision produces. It refuses what
 * PostgreSQL refuses (dropping a table another table references, a column a
 * constraint uses, an enum a column uses), so an ordering bug in the differ
 * fails here instead of on a real database.
 */
import { RetortError } from '../errors.js';
import type { ColumnIR, ColumnType, EnumIR, SchemaIR, TableIR } from '../ir/ir.js';
import { enumNameOf } from '../ir/ir.js';
import type { ColumnChanges, ConstraintDef, Operation } from './operations.js';
import { byCodePoint, renameEnumInType, sameIR } from '../ir/ir-util.js';

/** Options for applyOperations. */
export interface ApplyOptions {
  /** Also check that every drop's definition and every alterColumn's `from` match the schema as it stands (so the inverse is right). */
  readonly strict?: boolean;
}

function fail(o: Operation, message: string): never {
  throw new RetortError('MIGRATION_FAILED', `applyOperations: ${o.kind}: ${message}`);
}

/** The schema after running `ops` on `schema`; tables and enums stay sorted by name. */
export function applyOperations(schema: SchemaIR, ops: readonly Operation[], options: ApplyOptions = {}): SchemaIR {
  const tables = new Map<string, TableIR>(schema.tables.map((t) => [t.name, t]));
  const enums = new Map<string, EnumIR>(schema.enums.map((e) => [e.name, e]));
  const strict = options.strict ?? false;

  const table = (o: Operation, name: string): TableIR => tables.get(name) ?? fail(o, `no table "${name}"`);
  const checkType = (o: Operation, type: ColumnType) => {
    const e = enumNameOf(type);
    if (e !== null && !enums.has(e)) fail(o, `enum type "${e}" does not exist`);
  };
  const referencedBy = (name: string, columns: readonly string[] | null, except: string | null) =>
    [...tables.values()].some((t) => t.name !== except && t.foreignKeys.some((fk) => fk.refTable === name && (columns === null || columns.some((c) => fk.refColumns.includes(c)))));
  const checkFk = (o: Operation, owner: TableIR, fk: TableIR['foreignKeys'][number]) => {
    const target = fk.refTable === owner.name ? owner : table(o, fk.refTable);
    for (const c of fk.refColumns) if (!target.columns.some((x) => x.name === c)) fail(o, `foreign key "${fk.name}" references missing column ${fk.refTable}.${c}`);
    for (const c of fk.columns) if (!owner.columns.some((x) => x.name === c)) fail(o, `foreign key "${fk.name}" uses missing column ${owner.name}.${c}`);
  };
  const sameAs = (o: Operation, what: string, expected: unknown, actual: unknown) => {
    if (strict && expected !== null && !sameIR(expected, actual)) fail(o, `the recorded definition of ${what} differs from the schema as it stands`);
  };

  for (const o of ops) {
    switch (o.kind) {
      case 'createTable': {
        if (tables.has(o.table.name)) fail(o, `table "${o.table.name}" already exists`);
        for (const c of o.table.columns) checkType(o, c.type);
        for (const fk of o.table.foreignKeys) checkFk(o, o.table, fk);
        tables.set(o.table.name, o.table);
        break;
      }
      case 'dropTable': {
        const t = table(o, o.name);
        if (referencedBy(o.name, null, o.name)) fail(o, `table "${o.name}" is referenced by a foreign key of another table`);
        sameAs(o, `table "${o.name}"`, o.table, t);
        tables.delete(o.name);
        break;
      }
      case 'renameTable': {
        const t = table(o, o.from);
        if (tables.has(o.to)) fail(o, `table "${o.to}" already exists`);
        tables.delete(o.from);
        tables.set(o.to, { ...t, name: o.to });
        // Foreign keys follow a renamed table, as in PostgreSQL.
        for (const [n, x] of tables) {
          if (x.foreignKeys.some((fk) => fk.refTable === o.from)) tables.set(n, { ...x, foreignKeys: x.foreignKeys.map((fk) => (fk.refTable === o.from ? { ...fk, refTable: o.to } : fk)) });
        }
        break;
      }
      case 'setTableComment': {
        const t = table(o, o.table);
        if (strict && o.from !== undefined && o.from !== t.comment) fail(o, `the recorded comment of "${o.table}" differs`);
        tables.set(o.table, { ...t, comment: o.comment });
        break;
      }
      case 'addColumn': {
        const t = table(o, o.table);
        if (t.columns.some((c) => c.name === o.column.name)) fail(o, `column ${o.table}.${o.column.name} already exists`);
        checkType(o, o.column.type);
        tables.set(o.table, { ...t, columns: [...t.columns, o.column] });
        break;
      }
      case 'dropColumn': {
        const t = table(o, o.table);
        const col = t.columns.find((c) => c.name === o.name) ?? fail(o, `no column ${o.table}.${o.name}`);
        const uses = (cols: readonly string[]) => cols.includes(o.name);
        if (uses(t.primaryKey?.columns ?? []) || t.uniques.some((u) => uses(u.columns)) || t.indexes.some((i) => uses(i.columns)) || t.foreignKeys.some((f) => uses(f.columns))) {
          fail(o, `column ${o.table}.${o.name} is still used by a constraint or index`);
        }
        if (referencedBy(o.table, [o.name], null)) fail(o, `column ${o.table}.${o.name} is referenced by a foreign key`);
        sameAs(o, `column ${o.table}.${o.name}`, o.column, col);
        tables.set(o.table, { ...t, columns: t.columns.filter((c) => c !== col) });
        break;
      }
      case 'alterColumn': {
        const t = table(o, o.table);
        const col = t.columns.find((c) => c.name === o.column) ?? fail(o, `no column ${o.table}.${o.column}`);
        if (strict && o.from) checkFrom(o, col, o.from);
        if (o.to.type) checkType(o, o.to.type);
        const next = alterColumnIR(col, o.to);
        tables.set(o.table, renameColumnRefs({ ...t, columns: t.columns.map((c) => (c === col ? next : c)) }, o.column, next.name));
        if (next.name !== o.column) {
          for (const [n, x] of tables) {
            if (n !== o.table && x.foreignKeys.some((fk) => fk.refTable === o.table)) {
              tables.set(n, { ...x, foreignKeys: x.foreignKeys.map((fk) => (fk.refTable === o.table ? { ...fk, refColumns: fk.refColumns.map((c) => (c === o.column ? next.name : c)) } : fk)) });
            }
          }
        }
        break;
      }
      case 'createIndex': {
        const t = table(o, o.table);
        if (t.indexes.some((i) => i.name === o.index.name)) fail(o, `index "${o.index.name}" already exists on ${o.table}`);
        tables.set(o.table, { ...t, indexes: [...t.indexes, o.index] });
        break;
      }
      case 'dropIndex': {
        const t = table(o, o.table);
        const ix = t.indexes.find((i) => i.name === o.name) ?? fail(o, `no index "${o.name}" on ${o.table}`);
        sameAs(o, `index "${o.name}"`, o.index, ix);
        tables.set(o.table, { ...t, indexes: t.indexes.filter((i) => i !== ix) });
        break;
      }
      case 'addConstraint':
        tables.set(o.table, addConstraint(o, table(o, o.table), o.constraint, (fk, owner) => checkFk(o, owner, fk)));
        break;
      case 'dropConstraint': {
        const t = table(o, o.table);
        const found = findConstraint(t, o.name, o.constraintKind) ?? fail(o, `no constraint "${o.name}" on ${o.table}`);
        if (found.kind === 'unique' || found.kind === 'primaryKey') {
          // A foreign key needs some key on its referenced columns; another key on the same columns can serve it.
          const cols = found.def.columns;
          const same = (xs: readonly string[]) => xs.length === cols.length && xs.every((c) => cols.includes(c));
          const others = [...(t.primaryKey && found.kind !== 'primaryKey' ? [t.primaryKey.columns] : []), ...t.uniques.filter((u) => u.name !== o.name).map((u) => u.columns), ...t.indexes.filter((i) => i.unique && i.where === null).map((i) => i.columns)];
          const needed = [...tables.values()].some((x) => x.foreignKeys.some((fk) => fk.refTable === o.table && same(fk.refColumns)));
          if (!others.some(same) && needed) fail(o, `constraint "${o.name}" is needed by a foreign key`);
        }
        sameAs(o, `constraint "${o.name}"`, o.constraint, found);
        tables.set(o.table, removeConstraint(t, found));
        break;
      }
      case 'createEnum':
        if (enums.has(o.enum.name)) fail(o, `enum type "${o.enum.name}" already exists`);
        enums.set(o.enum.name, o.enum);
        break;
      case 'dropEnum': {
        const e = enums.get(o.name) ?? fail(o, `no enum type "${o.name}"`);
        for (const t of tables.values()) for (const c of t.columns) if (enumNameOf(c.type) === o.name) fail(o, `enum type "${o.name}" is used by ${t.name}.${c.name}`);
        sameAs(o, `enum "${o.name}"`, o.enum, e);
        enums.delete(o.name);
        break;
      }
      case 'renameEnum': {
        const e = enums.get(o.from) ?? fail(o, `no enum type "${o.from}"`);
        if (enums.has(o.to)) fail(o, `enum type "${o.to}" already exists`);
        enums.delete(o.from);
        enums.set(o.to, { ...e, name: o.to });
        // Columns hold the type itself (by OID in PostgreSQL), so they follow the rename.
        for (const [n, t] of tables) {
          if (t.columns.some((c) => enumNameOf(c.type) === o.from)) tables.set(n, { ...t, columns: t.columns.map((c) => ({ ...c, type: renameEnumInType(c.type, o.from, o.to) })) });
        }
        break;
      }
      case 'addEnumValue': {
        const e = enums.get(o.name) ?? fail(o, `no enum type "${o.name}"`);
        if (e.values.includes(o.value)) fail(o, `enum "${o.name}" already has the value "${o.value}"`);
        const values = [...e.values];
        const anchor = o.before ?? o.after;
        if (anchor === undefined) values.push(o.value);
        else {
          const i = values.indexOf(anchor);
          if (i < 0) fail(o, `enum "${o.name}" has no value "${anchor}"`);
          values.splice(o.before !== undefined ? i : i + 1, 0, o.value);
        }
        enums.set(o.name, { ...e, values });
        break;
      }
      case 'execute':
        fail(o, 'raw SQL cannot be applied symbolically');
    }
  }
  return {
    tables: [...tables.values()].sort((a, b) => byCodePoint(a.name, b.name)),
    enums: [...enums.values()].sort((a, b) => byCodePoint(a.name, b.name)),
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

function alterColumnIR(col: ColumnIR, to: ColumnChanges): ColumnIR {
  return {
    ...col,
    name: to.name ?? col.name,
    type: to.type ?? col.type,
    nullable: to.nullable ?? col.nullable,
    serverDefault: to.serverDefault !== undefined ? to.serverDefault : col.serverDefault,
    comment: to.comment !== undefined ? to.comment : col.comment,
    autoIncrement: to.autoIncrement ?? col.autoIncrement,
  };
}

function renameColumnRefs(t: TableIR, from: string, to: string): TableIR {
  if (from === to) return t;
  const r = (cols: readonly string[]) => cols.map((c) => (c === from ? to : c));
  return {
    ...t,
    primaryKey: t.primaryKey ? { ...t.primaryKey, columns: r(t.primaryKey.columns) } : null,
    uniques: t.uniques.map((u) => ({ ...u, columns: r(u.columns) })),
    indexes: t.indexes.map((i) => ({ ...i, columns: r(i.columns) })),
    foreignKeys: t.foreignKeys.map((f) => ({ ...f, columns: r(f.columns), refColumns: f.refTable === t.name ? r(f.refColumns) : f.refColumns })),
  };
}

function findConstraint(t: TableIR, name: string, kind: ConstraintDef['kind'] | null): ConstraintDef | null {
  if ((kind === null || kind === 'primaryKey') && t.primaryKey && (t.primaryKey.name ?? '') === name) return { kind: 'primaryKey', def: t.primaryKey };
  if (kind === null || kind === 'unique') { const u = t.uniques.find((x) => x.name === name); if (u) return { kind: 'unique', def: u }; }
  if (kind === null || kind === 'foreignKey') { const f = t.foreignKeys.find((x) => x.name === name); if (f) return { kind: 'foreignKey', def: f }; }
  if (kind === null || kind === 'check') { const c = t.checks.find((x) => x.name === name); if (c) return { kind: 'check', def: c }; }
  return null;
}

function removeConstraint(t: TableIR, c: ConstraintDef): TableIR {
  switch (c.kind) {
    case 'primaryKey': return { ...t, primaryKey: null };
    case 'unique': return { ...t, uniques: t.uniques.filter((x) => x.name !== c.def.name) };
    case 'foreignKey': return { ...t, foreignKeys: t.foreignKeys.filter((x) => x.name !== c.def.name) };
    case 'check': return { ...t, checks: t.checks.filter((x) => x.name !== c.def.name) };
  }
}

function addConstraint(o: Operation, t: TableIR, c: ConstraintDef, checkFk: (fk: TableIR['foreignKeys'][number], owner: TableIR) => void): TableIR {
  const name = c.def.name ?? '';
  if (findConstraint(t, name, c.kind)) fail(o, `constraint "${name}" already exists on ${t.name}`);
  switch (c.kind) {
    case 'primaryKey':
      if (t.primaryKey) fail(o, `table "${t.name}" already has a primary key`);
      // A primary key makes its columns NOT NULL, as in PostgreSQL.
      return { ...t, primaryKey: c.def, columns: t.columns.map((col) => (c.def.columns.includes(col.name) ? { ...col, nullable: false } : col)) };
    case 'unique': return { ...t, uniques: [...t.uniques, c.def] };
    case 'foreignKey': checkFk(c.def, t); return { ...t, foreignKeys: [...t.foreignKeys, c.def] };
    case 'check': return { ...t, checks: [...t.checks, c.def] };
  }
}
