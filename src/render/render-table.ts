/**
 * op.createTable(...) for a TableIR. Keys, unique constraints, indexes and
 * foreign keys go on the column (`.primaryKey()`, `.unique()`,
 * `.references('users.id')`) when resolve.ts would produce exactly the same
 * IR from that, and in the table callback with explicit names otherwise, so
 * that running the generated code gives back the same TableIR, names included.
 */
import type { Deferral, ForeignKeyIR, IndexIR, TableIR } from '../ir/ir.js';
import { applyNaming, type NamingConvention } from '../models/naming.js';
import { isUnsafeKey, member, objectLiteral, propertyKey, quoteString, sqlTemplate } from './literal.js';
import { renderColumn, type Imports, type InlineParts } from './render-column.js';
import { renderBound, renderExclusion, renderPartitionBy } from './render-partitions.js';

/** `{ onDelete: 'cascade', name: 'x' }` for the non-default parts of a foreign key, or ''. */
export function referenceOptions(fk: ForeignKeyIR, explicitName: string | null): string {
  const entries: [string, string][] = [];
  if (fk.onDelete !== 'NO ACTION') entries.push(['onDelete', quoteString(fk.onDelete.toLowerCase())]);
  if (fk.onUpdate !== 'NO ACTION') entries.push(['onUpdate', quoteString(fk.onUpdate.toLowerCase())]);
  if (fk.deferrable !== undefined) entries.push(['deferrable', quoteString(fk.deferrable)]);
  if (explicitName !== null) entries.push(['name', quoteString(explicitName)]);
  if (fk.comment !== undefined) entries.push(['comment', quoteString(fk.comment)]);
  return entries.length === 0 ? '' : objectLiteral(entries);
}

/** `.deferrable('deferred')` after a unique constraint or primary key that is DEFERRABLE (`.deferrable()` for immediate). */
function deferrableCall(d: Deferral | undefined): string {
  return d === undefined ? '' : d === 'immediate' ? '.deferrable()' : `.deferrable(${quoteString(d)})`;
}

/** `.comment('...')` after an index or unique constraint that has one. */
function commentCall(x: { readonly comment?: string }): string {
  return x.comment === undefined ? '' : `.comment(${quoteString(x.comment)})`;
}

/** The argument X of check(X, ...) that the naming convention turns into `name`, or null when there is none. */
export function checkArgument(name: string, table: string, naming: NamingConvention): string | null {
  const parts = naming.check.split('{name}');
  let candidate = name;
  if (parts.length === 2) {
    const prefix = applyNaming(parts[0]!, { table, columns: [] });
    const suffix = applyNaming(parts[1]!, { table, columns: [] });
    if (!name.startsWith(prefix) || !name.endsWith(suffix) || name.length < prefix.length + suffix.length) return null;
    candidate = name.slice(prefix.length, name.length - suffix.length);
  }
  return applyNaming(naming.check, { table, columns: [], name: candidate }) === name ? candidate : null;
}

/**
 * The longest prefix of `items` that resolve.ts would produce from column-level declarations: one
 * column each, at most one per column, in column order. Column-level entries come first in resolve.ts.
 */
function inlinePrefix<T>(items: readonly T[], columnOf: (x: T) => string | null, position: Map<string, number>): number {
  let last = -1;
  let n = 0;
  for (const x of items) {
    const c = columnOf(x);
    const p = c === null ? undefined : position.get(c);
    if (p === undefined || p <= last) break;
    last = p;
    n++;
  }
  return n;
}

/**
 * How a table's references and enum columns are written: revision files name their targets as strings
 * (`'users.id'`, `enumColumn('mood')`), model files as arrows to other tables and the enum's variable (pull).
 */
export interface TableStyle {
  /** The target(s) of a foreign key: one argument of `.references(...)` (`'users.id'`, `() => users.columns.id`). */
  target(fk: ForeignKeyIR, inline: boolean): string;
  /** The builder of an enum column (`mood()`), or undefined for `enumColumn('mood')`. */
  readonly enumBuilder?: (name: string) => string;
  readonly domainBuilder?: (name: string) => string;
  /** A default's argument of `.serverDefault(...)` where the style has its own (a sequence's variable), else null. */
  readonly serverDefault?: (sqlText: string) => string | null;
  /** A partition's columns (its parent's), which its own indexes and checks name as `t.column`; absent: written as sql``. */
  readonly inheritedColumns?: readonly string[];
}

const revisionStyle: TableStyle = {
  target: (fk, inline) => {
    const targets = fk.refColumns.map((c) => quoteString(`${fk.refTable}.${c}`));
    return inline ? targets[0]! : `[${targets.join(', ')}]`;
  },
};

/** The arguments of `table(name, columns, extras)` or op.createTable for `t`, or null when the DSL cannot express it exactly. */
export interface TableParts {
  readonly columns: string;
  /** The extras callback (`(t) => [...]`), or null when there are none. */
  readonly extras: string | null;
}

/** The op.createTable call for `t`, or null when the DSL cannot express it exactly. */
export function renderCreateTable(t: TableIR, naming: NamingConvention, imports: Imports): string | null {
  const parts = renderTableParts(t, naming, imports, revisionStyle);
  if (parts === null) return null;
  if (t.partitionOf !== undefined) {
    // A partition's columns are its parent's: op.createPartition(name, parent, bound, extras).
    const args = [quoteString(t.name), quoteString(t.partitionOf.parent), renderBound(t.partitionOf.bound, imports)];
    if (parts.extras !== null || t.comment !== null) args.push(parts.extras ?? '() => []');
    if (t.comment !== null) args.push(`{ comment: ${quoteString(t.comment)} }`);
    return `op.createPartition(${args.join(', ')});`;
  }
  const args = [quoteString(t.name), parts.columns];
  if (parts.extras !== null || t.comment !== null) args.push(parts.extras ?? '() => []');
  if (t.comment !== null) args.push(`{ comment: ${quoteString(t.comment)} }`);
  return `op.createTable(${args.join(', ')});`;
}

/** The columns object and extras callback that declare `t`, or null when the DSL cannot express it exactly. */
export function renderTableParts(t: TableIR, naming: NamingConvention, imports: Imports, style: TableStyle): TableParts | null {
  if (t.columns.some((c) => isUnsafeKey(c.name)) || t.comment === '') return null;
  if (t.indexes.some((x) => (x.include ?? []).some((c) => !t.columns.some((col) => col.name === c)))) return null;
  const position = new Map(t.columns.map((c, i) => [c.name, i]));
  const inherited = new Set(style.inheritedColumns ?? []);
  const isColumn = (c: string) => position.has(c) || inherited.has(c);
  const ref = (c: string) => member('t', c);
  const calls = new Map<string, string[]>(t.columns.map((c) => [c.name, []]));
  const extras: string[] = [];
  const use = (name: string) => { imports.add(name); return name; };
  const nameArg = (name: string, dflt: string) => (name === dflt ? '' : quoteString(name));
  const sqlOf = (text: string) => { imports.add('sql'); return sqlTemplate(text); };

  let pkInline = false;
  if (t.primaryKey) {
    const pk = t.primaryKey;
    // The DSL has no comment on a primary key: such a table is not declared exactly.
    if (pk.columns.some((c) => !isColumn(c)) || pk.comment !== undefined) return null;
    // A key's columns are NOT NULL in resolve.ts whichever way it is declared.
    if (t.columns.some((c) => pk.columns.includes(c.name) && c.nullable)) return null;
    const dflt = applyNaming(naming.pk, { table: t.name, columns: pk.columns });
    // A null name means the database keeps none (SQLite): any name the op API gives is dropped the same way.
    const pkName = pk.name ?? dflt;
    // A deferrable key goes inline only on one column: its option is written on that column's .primaryKey().
    pkInline = pkName === dflt && inlinePrefix(pk.columns, (c) => c, position) === pk.columns.length && (pk.deferrable === undefined || pk.columns.length === 1);
    if (!pkInline) extras.push(`${use('primaryKey')}(${nameArg(pkName, dflt)}).on(${pk.columns.map(ref).join(', ')})${deferrableCall(pk.deferrable)}`);
  }

  const nu = inlinePrefix(t.uniques, (u) => (u.columns.length === 1 && u.comment === undefined ? u.columns[0]! : null), position);
  t.uniques.forEach((u, i) => {
    const dflt = applyNaming(naming.unique, { table: t.name, columns: u.columns });
    const nnd = u.nullsNotDistinct === true;
    if (i < nu) {
      const opts: [string, string][] = [];
      if (u.name !== dflt) opts.push(['name', quoteString(u.name)]);
      if (nnd) opts.push(['nullsNotDistinct', 'true']);
      if (u.deferrable !== undefined) opts.push(['deferrable', quoteString(u.deferrable)]);
      calls.get(u.columns[0]!)!.push(opts.length === 0 ? '.unique()' : opts.length === 1 && opts[0]![0] === 'name' ? `.unique(${opts[0]![1]})` : `.unique(${objectLiteral(opts)})`);
    } else extras.push(`${use('unique')}(${nameArg(u.name, dflt)}).on(${u.columns.map(ref).join(', ')})${nnd ? '.nullsNotDistinct()' : ''}${deferrableCall(u.deferrable)}${commentCall(u)}`);
  });
  if (t.uniques.slice(nu).some((u) => u.columns.some((c) => !isColumn(c)))) return null;

  const plain = (x: IndexIR) => x.columns.length === 1 && !x.unique && x.where === null && x.method === undefined && (x.include ?? []).length === 0 && x.comment === undefined;
  const ni = inlinePrefix(t.indexes, (x) => (plain(x) ? x.columns[0]! : null), position);
  t.indexes.forEach((x, i) => {
    const dflt = applyNaming(naming.index, { table: t.name, columns: x.columns.map((c) => (isColumn(c) ? c : 'expr')) });
    if (i < ni) { calls.get(x.columns[0]!)!.push(`.index(${nameArg(x.name, dflt)})`); return; }
    const cols = x.columns.map((c) => (isColumn(c) ? ref(c) : sqlOf(c))).join(', ');
    const where = x.where === null ? '' : `.where(${sqlOf(x.where)})`;
    const using = x.method === undefined ? '' : `.using(${quoteString(x.method)})`;
    const include = (x.include ?? []).length === 0 ? '' : `.include(${x.include!.map(ref).join(', ')})`;
    const nnd = x.nullsNotDistinct === true ? '.nullsNotDistinct()' : '';
    extras.push(`${use(x.unique ? 'uniqueIndex' : 'index')}(${nameArg(x.name, dflt)}).on(${cols})${where}${using}${include}${nnd}${commentCall(x)}`);
  });

  if (t.foreignKeys.some((fk) => fk.refColumns.some((c) => c.includes('.')) || fk.columns.some((c) => !isColumn(c)))) return null;
  const nf = inlinePrefix(t.foreignKeys, (fk) => (fk.columns.length === 1 && fk.refColumns.length === 1 ? fk.columns[0]! : null), position);
  t.foreignKeys.forEach((fk, i) => {
    const dflt = applyNaming(naming.foreignKey, { table: t.name, columns: fk.columns, refTable: fk.refTable });
    if (i < nf) {
      const opts = referenceOptions(fk, fk.name === dflt ? null : fk.name);
      calls.get(fk.columns[0]!)!.push(`.references(${style.target(fk, true)}${opts ? `, ${opts}` : ''})`);
    } else {
      const opts = referenceOptions(fk, null);
      extras.push(`${use('foreignKey')}(${nameArg(fk.name, dflt)}).on(${fk.columns.map(ref).join(', ')}).references(${style.target(fk, false)}${opts ? `, ${opts}` : ''})`);
    }
  });

  for (const c of t.checks) {
    const arg = checkArgument(c.name, t.name, naming);
    if (arg === null) return null;
    extras.push(`${use('check')}(${quoteString(arg)}, ${sqlOf(c.expression)}${c.comment !== undefined ? `, { comment: ${quoteString(c.comment)} }` : ''})`);
  }

  const keys = { isColumn, ref, sqlOf };
  if (t.partitionBy !== undefined) extras.unshift(renderPartitionBy(t.partitionBy, keys, imports));
  for (const x of t.excludes ?? []) extras.push(renderExclusion(x, keys, imports));

  // One InlineParts for the table, its per-column fields set in turn (pull renders thousands of columns).
  const parts: { -readonly [K in keyof InlineParts]: InlineParts[K] } = {};
  if (style.enumBuilder) parts.enumBuilder = style.enumBuilder;
  if (style.domainBuilder) parts.domainBuilder = style.domainBuilder;
  if (style.serverDefault) parts.serverDefault = style.serverDefault;
  let columns = '';
  for (const c of t.columns) {
    parts.primaryKey = pkInline && t.primaryKey!.columns.includes(c.name);
    parts.primaryKeyDeferrable = parts.primaryKey ? t.primaryKey!.deferrable : undefined;
    parts.calls = calls.get(c.name)!;
    const code = renderColumn(c, imports, parts);
    if (code === null) return null;
    columns += `\n  ${propertyKey(c.name)}: ${code},`;
  }
  columns = columns === '' ? '{}' : `{${columns}\n}`;
  // `t` only where an extra refers to a column, so the file passes noUnusedParameters.
  const param = extras.some((e) => /\bt[.[]/.test(e)) ? '(t)' : '()';
  const extrasArg = extras.length === 0 ? null : `${param} => [\n${extras.map((e) => `  ${e},`).join('\n')}\n]`;
  return { columns, extras: extrasArg };
}
