/**
 * Random schema pairs for the database round-trip property tests. A schema is first a plain, printable spec,
 * turned into real DSL declarations and collected with collectModels, exactly as a user's model files are. B is
 * derived from A by a few random mutations (random-schema-mutate.ts), so each pair looks like one step of a real
 * project. The kinds, by concern:
 *   random-schema-tables.ts    tables, columns (of enums and domains), keys, indexes, uniques, checks, enums
 *   random-schema-kinds.ts     views and materialized views; PostgreSQL: RLS, policies, sequences
 *   random-schema-routines.ts  triggers (both dialects); PostgreSQL: functions
 *   random-schema-pg.ts        PostgreSQL: domains, extensions, partitioned tables, exclusion constraints, comments
 *
 * Randomness comes from a list of numbers (fast-check shrinks it towards zeros, and choice 0 is always the
 * simplest), read by a Chooser.
 */
import * as dsl from '../../src/models/builders.js';
import { collectModels } from '../../src/models/collect.js';
import type { SchemaIR } from '../../src/ir/ir.js';
import type { ModelTarget } from '../../src/models/collect.js';
import { MODEL_TARGET } from './models.js';
import { describeKinds, kindExports, randomKinds, repairKinds, SQLITE_KINDS, withRls, type KindOptions } from './random-schema-kinds.js';
import { builderOf, CHECKS, checkName, Chooser, defaultChoices, ENUM_NAMES, enumValues, randomEnumValues, randomTable, TABLE_NAMES, type SchemaSpec } from './random-schema-tables.js';
import { checkOptions, describePg, domainDecls, enumOptions, EXTENSIONS, pgExports, randomDomains, randomPgObjects } from './random-schema-pg.js';
import { describeRoutines, randomRoutines, routineExports } from './random-schema-routines.js';
export type { KindOptions } from './random-schema-kinds.js';
export { Chooser, defaultChoices, type ColKind, type ColSpec, type EnumSpec, type SchemaSpec, type TableSpec } from './random-schema-tables.js';
export { cloneSpec, mutate, retypeUnderDependents } from './random-schema-mutate.js';

/** A random schema: tables reference only tables before them, so rows can be inserted in order. */
export function randomSchema(c: Chooser, o: KindOptions = SQLITE_KINDS): SchemaSpec {
  const s: SchemaSpec = { enums: [], tables: [] };
  for (const name of ENUM_NAMES) if (c.chance(2)) s.enums.push({ name, values: randomEnumValues(c) });
  if (o.postgres) randomDomains(c, s);
  const tableNames = TABLE_NAMES.filter(() => !c.chance(3));
  for (const name of tableNames.length > 0 ? tableNames : ['users']) {
    s.tables.push(randomTable(c, s, name, s.tables.filter((t) => t.pk !== 'composite').map((t) => t.name), false, o));
  }
  randomRoutines(c, s, o);
  randomKinds(c, s, o);
  if (o.postgres) randomPgObjects(c, s, o.extensions ?? EXTENSIONS);
  repairKinds(s);
  return s;
}


/** The DSL declarations a spec stands for, as the exports of one model file. */
export function toModelExports(s: SchemaSpec): Record<string, unknown> {
  const enums = new Map(s.enums.map((e) => [e.name, dsl.enumType(e.name, e.values, enumOptions(e))]));
  const domains = domainDecls(s);
  const exports: Record<string, unknown> = {};
  const tables = new Map<string, dsl.TableDecl>();
  s.enums.forEach((e, i) => { exports[`enum${i}`] = enums.get(e.name); });
  s.tables.forEach((t, i) => {
    const cols: Record<string, dsl.ColumnBuilder> = {};
    cols.id = t.pk === 'serial' ? dsl.serial().primaryKey() : t.pk === 'integer' ? dsl.integer().primaryKey()
      : t.pk === 'identity' ? dsl.integer().generatedByDefaultAsIdentity().primaryKey() : dsl.integer().notNull();
    if (t.pk === 'composite') cols.k = dsl.integer().notNull();
    for (const col of t.columns) {
      let b = builderOf(col, { enums, domains });
      if (col.notNull) b = b.notNull();
      if (col.dflt !== null) b = b.serverDefault(defaultChoices(col.kind, col.param, enumValues(s, col.enumName))[col.dflt]!);
      if (col.ref) b = b.references(`${col.ref.table}.id`, { onDelete: col.ref.onDelete, ...(col.ref.onUpdate ? { onUpdate: col.ref.onUpdate } : {}) });
      if (col.comment) b = b.comment(col.comment);
      const u = t.uniques.find((x) => x.columnLevel && x.cols[0] === col.name);
      if (u) b = b.unique();
      cols[col.name] = b;
    }
    const decl = dsl.table(t.name, cols, (r) => [
      ...(t.pk === 'composite' ? [dsl.primaryKey().on(r.id!, r.k!)] : []),
      ...t.columns.filter((col) => col.check && CHECKS[col.kind]).map((col) => dsl.check(checkName(t.name, col.name), CHECKS[col.kind]!.split('{c}').join(`"${col.name.replace(/"/g, '""')}"`), checkOptions(col))),
      ...t.indexes.map((ix) => {
        const decl = dsl.index(ix.named ? `ix_named_${i}_${ix.cols.length}_${t.indexes.indexOf(ix)}` : undefined).on(...ix.cols.map((c) => r[c]!));
        return ix.comment ? decl.comment(ix.comment) : decl;
      }),
      ...t.uniques.filter((u) => !u.columnLevel).map((u) => {
        const decl = dsl.unique().on(...u.cols.map((c) => r[c]!));
        return u.comment ? decl.comment(u.comment) : decl;
      }),
    ]);
    exports[`table${i}`] = withRls(t.comment ? decl.withComment(t.comment) : decl, t);
    tables.set(t.name, exports[`table${i}`] as dsl.TableDecl);
  });
  routineExports(s, tables, exports);
  kindExports(s, tables, exports);
  pgExports(s, domains, exports);
  return exports;
}

/** The Schema IR a spec declares, through collectModels as for a user's model files (`target`: a dialect's, for sequences). */
export function toSchemaIR(s: SchemaSpec, target: ModelTarget = MODEL_TARGET): SchemaIR {
  return collectModels([{ file: 'models.ts', exports: toModelExports(s) }], target);
}

/** A readable one-table-per-line description of a spec, for failure messages. */
export function describeSpec(s: SchemaSpec): string {
  const lines = s.enums.map((e) => `enum ${JSON.stringify(e.name)}: ${e.values.map((v) => JSON.stringify(v)).join(', ')}${e.comment ? ` comment ${JSON.stringify(e.comment)}` : ''}`);
  for (const t of s.tables) {
    const cols = t.columns.map((c) => {
      const type = c.domain ? `domain(${c.domain})` : c.kind === 'enum' || c.kind === 'enumArray' ? `${c.kind}(${c.enumName})` : c.param ? `${c.kind}(${c.param})` : c.kind;
      const dflt = c.dflt === null ? '' : ` default ${JSON.stringify(defaultChoices(c.kind, c.param, enumValues(s, c.enumName))[c.dflt])}`;
      const ref = c.ref ? ` -> ${c.ref.table} on delete ${c.ref.onDelete}${c.ref.onUpdate ? ` on update ${c.ref.onUpdate}` : ''}` : '';
      return `${JSON.stringify(c.name)} ${type}${c.notNull ? ' not null' : ''}${dflt}${ref}${c.check ? ` check${c.checkComment ? ` comment ${JSON.stringify(c.checkComment)}` : ''}` : ''}${c.comment ? ` comment ${JSON.stringify(c.comment)}` : ''}`;
    });
    const ix = t.indexes.map((i) => `index(${i.cols.join(', ')})${i.comment ? ` comment ${JSON.stringify(i.comment)}` : ''}`);
    const uq = t.uniques.map((u) => `unique(${u.cols.join(', ')})${u.comment ? ` comment ${JSON.stringify(u.comment)}` : ''}`);
    lines.push(`table ${JSON.stringify(t.name)} [pk ${t.pk}]${t.comment ? ` comment ${JSON.stringify(t.comment)}` : ''}: ${[...cols, ...ix, ...uq].join('; ')}`);
  }
  lines.push(...describeRoutines(s), ...describeKinds(s), ...describePg(s));
  return lines.join('\n');
}
