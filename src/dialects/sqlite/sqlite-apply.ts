/**
 * Applies table-level operations to a TableIR in memory. The compiler keeps
 * the schema as the batch changes it this way, and the table rebuild creates
 * the table as it stands after all of a run of operations. `origins` tracks
 * which old column each new column's values come from, through renames.
 */
import { RetortError } from '../../errors.js';
import type { Operation, OperationOf } from '../../operations/operations.js';
import { enumNameOf } from '../../ir/ir.js';
import type { ColumnIR, TableIR } from '../../ir/ir.js';
import { enumCheck, enumCheckName, normalizeDefault, normalizeType, quoteId } from './sqlite-normalize.js';
import { asciiLower } from './sqlite-sql-text.js';

/** Where a column of the rebuilt table gets its values: the old column, and an expression when `using` was given. */
export interface Origin {
  readonly from: string;
  readonly using: string | null;
  /** True when the type changed, so values must convert. */
  readonly typeChanged: boolean;
}

/** The table-level operations; everything else is handled by the compiler directly. */
export type AlterOp = OperationOf<'addColumn' | 'dropColumn' | 'alterColumn' | 'createIndex' | 'dropIndex' | 'addConstraint' | 'dropConstraint' | 'setTableComment'>;

/** True for operations that act on one existing table. */
export function isAlterOp(o: Operation): o is AlterOp {
  switch (o.kind) {
    case 'addColumn': case 'dropColumn': case 'alterColumn': case 'createIndex': case 'dropIndex':
    case 'addConstraint': case 'dropConstraint': case 'setTableComment':
      return true;
    default:
      return false;
  }
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

// SQL tokens that can hold a name: string literals (never names), "quoted", `quoted` and [quoted] identifiers, bare words.
const NAME_TOKENS = /('(?:[^']|'')*')|"((?:[^"]|"")*)"|`((?:[^`]|``)*)`|\[([^\]]*)\]|([\p{L}_][\p{L}\p{N}_$]*)/gu;

// SQLite compares identifiers case-insensitively (ASCII letters only).
const sameName = (a: string, b: string) => asciiLower(a) === asciiLower(b);

function tokenName(m: RegExpMatchArray): string | undefined {
  if (m[2] !== undefined) return m[2].replace(/""/g, '"');
  if (m[3] !== undefined) return m[3].replace(/``/g, '`');
  return m[4] ?? m[5];
}

/**
 * Whether SQL text mentions a name, as a bare word or quoted. Whole tokens only: a name inside
 * a string literal or inside a longer quoted identifier (`order` in "Order Items_id") is not it.
 */
export function mentions(sql: string, name: string): boolean {
  for (const m of sql.matchAll(NAME_TOKENS)) {
    const n = tokenName(m);
    if (n !== undefined && sameName(n, name)) return true;
  }
  return false;
}

/** Whether an index entry uses a column: the entry is that column, or an expression that mentions it. */
export function entryUses(entry: string, column: string, columns: readonly string[]): boolean {
  if (columns.includes(entry)) return entry === column;
  return mentions(entry, column);
}

/** Renames a column inside SQL text (checks, partial-index WHERE, trigger bodies), leaving string literals alone. */
export function renameInSql(sql: string, from: string, to: string): string {
  const quotedTo = quoteId(to);
  // A bare name stays bare where it can, so that renaming back gives the text it started from.
  const bareTo = /^[A-Za-z_][A-Za-z0-9_]*$/.test(to) ? to : quotedTo;
  return sql.replace(NAME_TOKENS, (...args: unknown[]) => {
    const m = args.slice(0, 6) as unknown as RegExpMatchArray;
    const n = tokenName(m);
    if (n === undefined || !sameName(n, from)) return m[0];
    return m[5] !== undefined ? bareTo : quotedTo;
  });
}

/**
 * Renames a column of a trigger's own table inside the trigger: `NEW.col`, `OLD.col` and the
 * `UPDATE OF` list. Bare names in the body belong to the tables its statements name, so they stay.
 */
export function renameInTrigger(sql: string, from: string, to: string): string {
  const quotedTo = quoteId(to);
  const name = `(?:"${escapeRe(from.replace(/"/g, '""'))}"|${escapeRe(from)}(?![A-Za-z0-9_$]))`;
  const refs = sql.replace(new RegExp(`\\b(NEW|OLD)\\s*\\.\\s*${name}`, 'gi'), (_m, which: string) => `${which}.${quotedTo}`);
  return refs.replace(/\bUPDATE\s+OF\s+([\s\S]*?)\s+ON\b/i, (m, list: string) => m.replace(list, renameInSql(list, from, to)));
}

function missing(what: string, t: string): RetortError {
  return new RetortError('NOT_FOUND', `${what} does not exist on table "${t}"`, { hint: 'check the revision file against the schema (retort current, retort check)' });
}

/** Applies one table-level operation. `enums` supplies values for enum-typed columns. */
export function applyAlter(t: TableIR, o: AlterOp, enums: ReadonlyMap<string, readonly string[]>, origins: Map<string, Origin>): TableIR {
  const col = (name: string) => t.columns.find((c) => c.name === name);
  const enumValues = (name: string) => {
    const v = enums.get(name);
    if (!v) throw new RetortError('UNSUPPORTED', `the values of enum "${name}" are not known on SQLite`, { hint: 'create it with op.createEnum() in the same revision, or use text() with a check constraint' });
    return v;
  };
  switch (o.kind) {
    case 'setTableComment':
      return t;
    case 'addColumn': {
      if (col(o.column.name)) throw new RetortError('MIGRATION_FAILED', `column "${t.name}"."${o.column.name}" already exists`);
      origins.delete(o.column.name);
      const c = o.column;
      const checks = c.type.kind === 'enum' ? [...t.checks, enumCheck(t.name, c.name, c.type.name, enumValues(c.type.name))] : t.checks;
      return { ...t, columns: [...t.columns, { ...c, type: normalizeType(c.type, c.autoIncrement), comment: null }], checks };
    }
    case 'dropColumn': {
      if (!col(o.name)) throw missing(`column "${o.name}"`, t.name);
      origins.delete(o.name);
      // As PostgreSQL does: indexes and constraints that use the dropped column go with it.
      const names = t.columns.map((c) => c.name);
      const uses = (cols: readonly string[]) => cols.some((c) => entryUses(c, o.name, names));
      return {
        ...t,
        columns: t.columns.filter((c) => c.name !== o.name),
        primaryKey: t.primaryKey && uses(t.primaryKey.columns) ? null : t.primaryKey,
        uniques: t.uniques.filter((u) => !uses(u.columns)),
        indexes: t.indexes.filter((i) => !uses(i.columns) && !(i.where !== null && mentions(i.where, o.name))),
        foreignKeys: t.foreignKeys.filter((f) => !uses(f.columns)),
        checks: t.checks.filter((k) => !mentions(k.expression, o.name)),
      };
    }
    case 'alterColumn':
      return alterColumn(t, o, enumValues, origins);
    case 'createIndex':
      if (t.indexes.some((i) => i.name === o.index.name)) throw new RetortError('MIGRATION_FAILED', `index "${o.index.name}" already exists`);
      return { ...t, indexes: [...t.indexes, o.index] };
    case 'dropIndex':
      if (!t.indexes.some((i) => i.name === o.name)) throw missing(`index "${o.name}"`, t.name);
      return { ...t, indexes: t.indexes.filter((i) => i.name !== o.name) };
    case 'addConstraint': {
      const c = o.constraint;
      switch (c.kind) {
        case 'unique': return { ...t, uniques: [...t.uniques, c.def] };
        case 'foreignKey': return { ...t, foreignKeys: [...t.foreignKeys, c.def] };
        case 'check': return { ...t, checks: [...t.checks, c.def] };
        case 'primaryKey': {
          if (t.primaryKey) throw new RetortError('MIGRATION_FAILED', `table "${t.name}" already has a primary key`, { hint: 'drop it first with op.dropConstraint()' });
          const pk = new Set(c.def.columns);
          return { ...t, primaryKey: { name: null, columns: c.def.columns }, columns: t.columns.map((x) => (pk.has(x.name) ? { ...x, nullable: false } : x)) };
        }
      }
      break;
    }
    case 'dropConstraint': {
      const n = o.name;
      const k = o.constraintKind;
      if ((k === null || k === 'unique') && t.uniques.some((u) => u.name === n)) return { ...t, uniques: t.uniques.filter((u) => u.name !== n) };
      if ((k === null || k === 'foreignKey') && t.foreignKeys.some((f) => f.name === n)) return { ...t, foreignKeys: t.foreignKeys.filter((f) => f.name !== n) };
      if ((k === null || k === 'check') && t.checks.some((c) => c.name === n)) return { ...t, checks: t.checks.filter((c) => c.name !== n) };
      // SQLite keeps no primary-key name, so any name drops the key when it is asked for by kind or matches nothing else.
      if (t.primaryKey && (k === 'primaryKey' || k === null)) return { ...t, primaryKey: null, columns: t.columns.map((c) => ({ ...c, autoIncrement: false })) };
      throw missing(`constraint "${n}"`, t.name);
    }
  }
  return t;
}

function alterColumn(t: TableIR, o: OperationOf<'alterColumn'>, enumValues: (n: string) => readonly string[], origins: Map<string, Origin>): TableIR {
  const old = t.columns.find((c) => c.name === o.column);
  if (!old) throw missing(`column "${o.column}"`, t.name);
  const to = o.to;
  const newName = to.name ?? old.name;
  // Switching AUTOINCREMENT on makes the key INTEGER PRIMARY KEY AUTOINCREMENT (the only column SQLite allows it on).
  const autoIncrement = to.autoIncrement ?? old.autoIncrement;
  const type = to.type === undefined ? (autoIncrement && !old.autoIncrement ? normalizeType(old.type, true) : old.type) : normalizeType(to.type, autoIncrement);
  const changedType = JSON.stringify(type) !== JSON.stringify(old.type);
  const serverDefault = to.serverDefault === undefined ? old.serverDefault : normalizeDefault(to.serverDefault, type);
  const next: ColumnIR = {
    ...old,
    name: newName,
    type,
    nullable: to.nullable ?? old.nullable,
    serverDefault: autoIncrement ? null : serverDefault,
    autoIncrement,
  };
  const prev = origins.get(old.name);
  if (prev) {
    origins.delete(old.name);
    // An enum is TEXT here: a USING written for PostgreSQL's enum casts (`{col}::text::"e"`) has nothing to convert.
    const toEnum = to.type !== undefined && enumNameOf(to.type) !== null;
    const using = to.using === undefined || toEnum ? prev.using : to.using.split('{col}').join(prev.using ?? quoteId(prev.from));
    origins.set(newName, { from: prev.from, using, typeChanged: prev.typeChanged || changedType });
  }
  const rn = (c: string) => (c === old.name ? newName : c);
  const renameSql = (s: string) => (newName === old.name ? s : renameInSql(s, old.name, newName));
  let checks = t.checks.map((k) => ({ name: k.name, expression: renameSql(k.expression) }));
  if (to.type !== undefined) {
    // The CHECK standing in for an enum follows the column's type.
    checks = checks.filter((k) => !k.name.startsWith(enumCheckName(t.name, old.name, '')));
    if (to.type.kind === 'enum') checks.push(enumCheck(t.name, newName, to.type.name, enumValues(to.type.name)));
  } else if (newName !== old.name) {
    checks = checks.map((k) => (k.name.startsWith(enumCheckName(t.name, old.name, '')) ? { ...k, name: enumCheckName(t.name, newName, k.name.slice(enumCheckName(t.name, old.name, '').length)) } : k));
  }
  return {
    ...t,
    columns: t.columns.map((c) => (c.name === old.name ? next : c)),
    primaryKey: t.primaryKey ? { ...t.primaryKey, columns: t.primaryKey.columns.map(rn) } : null,
    uniques: t.uniques.map((u) => ({ ...u, columns: u.columns.map(rn) })),
    indexes: t.indexes.map((i) => ({ ...i, columns: i.columns.map((c) => (c === old.name ? newName : t.columns.some((x) => x.name === c) ? c : renameSql(c))), where: i.where === null ? null : renameSql(i.where) })),
    foreignKeys: t.foreignKeys.map((f) => ({ ...f, columns: f.columns.map(rn), refColumns: f.refTable === t.name ? f.refColumns.map(rn) : f.refColumns })),
    checks,
  };
}
