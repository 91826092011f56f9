/**
 * collectModels: turns the exports of the user's model files into one Schema
 * IR. Every exported table and enum counts, whether or not anything imports
 * it, so a model is never missed. The checks here are the mistakes that would
 * otherwise surface as a baffling database error or, worse, as a silently
 * different schema (a database that truncates long identifiers).
 */
import { isRetortError, lineIn, RetortError } from '../errors.js';
import { isColumnRef, isEnumType, isSequenceDecl, isTableDecl, literalValue, type EnumType, type SqlSpelling, type TableDecl } from './dsl.js';
import { enumNameOf, type EnumIR, type SchemaIR, type TableIR } from '../ir/ir.js';
import { defaultNaming, type NamingConvention } from './naming.js';
import { resolveTable } from './resolve.js';
import { checkIdentityAllowed, checkSequences, SequenceCollector } from './collect-sequences.js';
import { isViewDecl, type ViewDecl } from './views.js';
import { viewIR } from './collect-views.js';
import { isPolicyDecl, type PolicyDecl } from './policies.js';
import { collectPolicies } from './collect-policies.js';

/** One loaded model file: its path as the user wrote it (for messages) and its module exports. */
export interface ModelModule {
  readonly file: string;
  readonly exports: Record<string, unknown>;
}

/**
 * Who the models are collected for: the dialect's SQL spelling, and the longest identifier that survives in every
 * database the models may be applied to (one model serves every dialect), with the dialect that sets it.
 */
export interface ModelTarget {
  readonly spelling: SqlSpelling;
  readonly identifierLimit: { readonly bytes: number; readonly dialect: string } | null;
}

const modelError = (message: string, hint: string) => new RetortError('MODEL', message, { hint });

const isDeclaration = (x: unknown) => isTableDecl(x) || isEnumType(x) || isSequenceDecl(x) || isViewDecl(x) || isPolicyDecl(x);

/** Tables, enums, sequences and views among a module's exports, looking one level into exported arrays and plain objects. */
export function declarations(exports: Record<string, unknown>): unknown[] {
  const out: unknown[] = [];
  for (const v of Object.values(exports)) {
    if (isDeclaration(v)) out.push(v);
    else if (Array.isArray(v)) out.push(...v.filter(isDeclaration));
    else if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype && !isViewDecl(v) && !isPolicyDecl(v)) out.push(...Object.values(v).filter(isDeclaration));
  }
  return out;
}

/** The Schema IR of every table and enum exported by `modules`, validated; throws RetortError('MODEL') naming file, table and column. */
export function collectModels(modules: readonly ModelModule[], target: ModelTarget, naming: NamingConvention = defaultNaming): SchemaIR {
  const tables = new Map<string, { decl: TableDecl; file: string; ir: TableIR }>();
  const enums = new Map<string, { decl: EnumType; file: string }>();
  const views = new Map<string, { decl: ViewDecl; file: string }>();
  const policies: { decl: PolicyDecl; file: string }[] = [];
  const files = modules.map((m) => m.file);
  const sequences = new SequenceCollector(target.spelling);

  for (const m of modules) {
    for (const d of declarations(m.exports)) {
      if (isSequenceDecl(d)) sequences.add(d, m.file);
      else if (isPolicyDecl(d)) policies.push({ decl: d, file: m.file });
      else if (isEnumType(d)) {
        const seen = enums.get(d.enumName);
        if (seen && seen.decl !== d && seen.decl.values.join('\u0000') !== d.values.join('\u0000')) {
          throw modelError(`enum "${d.enumName}" is declared twice with different values: in ${seen.file} and ${m.file}`, 'declare it once and import it where it is used');
        }
        if (!seen) enums.set(d.enumName, { decl: d, file: m.file });
      } else if (isViewDecl(d)) {
        const seen = views.get(d.viewName);
        if (seen && seen.decl === d) continue;
        if (seen) throw modelError(`view "${d.viewName}" is declared twice: in ${seen.file} and ${m.file}`, 'rename one of them or delete the copy');
        views.set(d.viewName, { decl: d, file: m.file });
      } else if (isTableDecl(d)) {
        const seen = tables.get(d.tableName);
        if (seen && seen.decl === d) continue; // the same table exported twice (re-export): one table
        if (seen) throw modelError(`table "${d.tableName}" is declared twice: in ${seen.file} and ${m.file}`, 'rename one of them or delete the copy');
        checkExtras(d, m.file);
        checkIdentityAllowed(d, m.file, target.spelling);
        let ir: TableIR;
        try {
          ir = resolveTable(d, target.spelling, naming, true);
        } catch (e) {
          if (isRetortError(e)) {
            // An exception from the user's own code (a references() arrow) says where in the file it came from.
            const line = e.cause === undefined ? null : lineIn(e.cause, m.file);
            throw new RetortError('MODEL', `${m.file}: ${e.message}${line ? ` (${line})` : ''}`, { hint: e.hint ?? `fix the declaration of table "${d.tableName}" in ${m.file}` });
          }
          throw e;
        }
        tables.set(d.tableName, { decl: d, file: m.file, ir });
      }
    }
  }

  const enumIRs: EnumIR[] = [...enums.values()].map(({ decl, file }) => enumIR(decl, file));
  const policyIRs = collectPolicies(policies, target.spelling, (name) => tables.get(name)?.file ?? null);
  const schema: SchemaIR = {
    tables: [...tables.values()].map((t) => t.ir).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    enums: enumIRs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    ...(sequences.list().length > 0 ? { sequences: sequences.list() } : {}),
    ...(views.size > 0
      ? { views: [...views.values()].map(({ decl, file }) => viewIR(decl, file, target.spelling, naming, (name) => tables.get(name)?.file ?? null)).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)) }
      : {}),
    ...(policyIRs.length > 0 ? { policies: policyIRs } : {}),
  };
  const declaredDefault = (table: string, column: string) => literalValue(tables.get(table)?.decl.columnSpecs[column]?.serverDefault ?? null);
  validate(schema, (table) => tables.get(table)?.file ?? '?', files, target.identifierLimit, declaredDefault);
  checkSequences(schema, (table) => tables.get(table)?.file ?? '?', (name) => sequences.fileOf(name));
  return schema;
}

/** Catches `t.missing` (undefined) and columns of another table passed to `.on(...)`, before resolve.ts trips over them. */
function checkExtras(d: TableDecl, file: string): void {
  for (const extra of d.extras) {
    const cols: unknown[] = 'columns' in extra ? [...extra.columns, ...(extra.__retort === 'index' ? extra.included : [])] : [];
    const what = extra.__retort === 'index' ? 'index' : `${extra.__retort === 'foreignKey' ? 'foreign key' : extra.__retort} constraint`;
    const label = `${what}${extra.name ? ` "${extra.name}"` : ''}`;
    for (const c of cols) {
      if (c === undefined) throw modelError(`${file}: ${label} on table "${d.tableName}" names a column that does not exist (t.<name> is undefined)`, `use one of: ${Object.keys(d.columnSpecs).join(', ')}`);
      if (isColumnRef(c) && (c.table !== d.tableName || !(c.column in d.columnSpecs))) {
        throw modelError(`${file}: ${label} on table "${d.tableName}" uses column ${c.table}.${c.column}, which is not a column of "${d.tableName}"`, `use one of: ${Object.keys(d.columnSpecs).join(', ')}`);
      }
    }
  }
}

function validate(
  schema: SchemaIR,
  fileOf: (table: string) => string,
  files: readonly string[],
  limit: ModelTarget['identifierLimit'],
  declaredDefault: (table: string, column: string) => string | null,
): void {
  const tables = new Map(schema.tables.map((t) => [t.name, t]));
  const enums = new Map(schema.enums.map((e) => [e.name, e]));
  const fileList = files.length <= 3 ? files.join(', ') : `${files.slice(0, 3).join(', ')}, …`;
  const long = (kind: string, name: string, where: string) => {
    if (limit && Buffer.byteLength(name, 'utf8') > limit.bytes) {
      throw modelError(`${where}: ${kind} name "${name}" is ${Buffer.byteLength(name, 'utf8')} bytes long; ${limit.dialect} would silently cut it to ${limit.bytes}`, 'choose a shorter name (give the constraint or index an explicit name if it was generated)');
    }
  };
  for (const e of schema.enums) {
    long('enum', e.name, `enum "${e.name}"`);
    for (const v of e.values) long('enum value', v, `enum "${e.name}"`);
  }
  // Keys, unique constraints and indexes share one namespace with tables in some databases (PostgreSQL's relations, per
  // schema): a model that uses a name twice would work on one dialect and not another.
  const relations = new Map<string, string>(schema.tables.map((t) => [t.name, `table "${t.name}" (${fileOf(t.name)})`]));
  const claim = (name: string, what: string) => {
    const other = relations.get(name);
    if (other) throw modelError(`duplicate name "${name}": ${what} and ${other}`, 'give one of them another explicit name');
    relations.set(name, what);
  };

  checkRenameHints(schema, fileOf);
  for (const t of schema.tables) {
    const file = fileOf(t.name);
    const at = `${file}: table "${t.name}"`;
    long('table', t.name, at);
    const columns = new Set(t.columns.map((c) => c.name));
    for (const c of t.columns) {
      long('column', c.name, `${file}: ${t.name}.${c.name}`);
      const enumName = enumNameOf(c.type);
      if (enumName === null) continue;
      const e = enums.get(enumName);
      if (!e) throw modelError(`${file}: ${t.name}.${c.name} uses enum type "${enumName}", which no model file exports`, `export it: export const ${enumName} = enumType('${enumName}', [...])`);
      // A default given as a value (serverDefault('draft')) is checked; one written as SQL is the database's to judge.
      const value = declaredDefault(t.name, c.name);
      if (value !== null && !e.values.includes(value)) {
        throw modelError(`${file}: ${t.name}.${c.name} has server default ${c.serverDefault}, which is not a value of enum "${enumName}" (${e.values.join(', ')})`, 'use one of the enum values or add the value to the enum');
      }
    }
    const mustBeColumns = (what: string, cols: readonly string[]) => {
      for (const c of cols) if (!columns.has(c)) throw modelError(`${at}: ${what} uses unknown column "${c}"`, `use one of: ${[...columns].join(', ')}`);
    };
    const perTable = new Set<string>();
    const named = (kind: string, name: string, cols: readonly string[], relation: boolean) => {
      const what = `${kind} "${name}" on ${t.name}(${cols.join(', ')}) (${file})`;
      long(kind, name, at);
      if (relation) claim(name, what);
      else if (perTable.has(name)) throw modelError(`duplicate name "${name}" on table "${t.name}" (${file})`, 'give one of them another explicit name');
      perTable.add(name);
    };
    if (t.primaryKey) {
      mustBeColumns('the primary key', t.primaryKey.columns);
      if (t.primaryKey.name !== null) named('primary key', t.primaryKey.name, t.primaryKey.columns, true);
    }
    for (const u of t.uniques) { mustBeColumns(`unique constraint "${u.name}"`, u.columns); named('unique constraint', u.name, u.columns, true); }
    // Expression entries of an index are SQL, not columns; only plain names are checked.
    for (const i of t.indexes) {
      mustBeColumns(`index "${i.name}"`, [...i.columns.filter((c) => /^[\p{L}_][\p{L}\p{N}_$]*$/u.test(c)), ...(i.include ?? [])]);
      named('index', i.name, i.columns, true);
    }
    for (const c of t.checks) named('check constraint', c.name, [], false);
    for (const fk of t.foreignKeys) {
      mustBeColumns(`foreign key "${fk.name}"`, fk.columns);
      named('foreign key', fk.name, fk.columns, false);
      const src = `${t.name}.${fk.columns.join(', ')}`;
      const dst = `${fk.refTable}.${fk.refColumns.join(', ')}`;
      const target = tables.get(fk.refTable);
      if (!target) throw modelError(`${file}: ${src} references ${dst}, but no table "${fk.refTable}" is declared in ${fileList}`, `declare and export table "${fk.refTable}" in a model file, or fix the reference`);
      const missing = fk.refColumns.find((c) => !target.columns.some((x) => x.name === c));
      if (missing !== undefined) throw modelError(`${file}: ${src} references ${dst}, but table "${fk.refTable}" (${fileOf(fk.refTable)}) has no column "${missing}"`, `reference one of: ${target.columns.map((x) => x.name).join(', ')}`);
      if (fk.refColumns.length !== fk.columns.length) throw modelError(`${file}: ${src} references ${dst}: ${fk.columns.length} column(s) against ${fk.refColumns.length}`, 'reference as many columns as the foreign key has');
    }
  }
}

/**
 * A rename hint must say one thing: its old name is not declared too (the database would then hold both, and which
 * one is meant is a guess), and no two hints in one namespace claim the same old name.
 */
function checkRenameHints(schema: SchemaIR, fileOf: (table: string) => string): void {
  const hint = 'a rename hint names what the database has now, which the models no longer declare; remove or fix one of them';
  const tableNames = new Set(schema.tables.map((t) => t.name));
  const tableHints = new Map<string, string>();
  for (const t of schema.tables) {
    const old = t.renamedFrom;
    if (old === undefined || old === t.name) continue;
    if (tableNames.has(old)) throw modelError(`${fileOf(t.name)}: table "${t.name}" is renamedFrom "${old}", but table "${old}" is declared too (${fileOf(old)})`, hint);
    const other = tableHints.get(old);
    if (other !== undefined) throw modelError(`${fileOf(t.name)}: tables "${other}" and "${t.name}" are both renamedFrom "${old}"`, hint);
    tableHints.set(old, t.name);
  }
  for (const t of schema.tables) {
    const columnNames = new Set(t.columns.map((c) => c.name));
    const columnHints = new Map<string, string>();
    for (const c of t.columns) {
      const old = c.renamedFrom;
      if (old === undefined || old === c.name) continue;
      if (columnNames.has(old)) throw modelError(`${fileOf(t.name)}: table "${t.name}": column "${c.name}" is renamedFrom "${old}", but column "${old}" is declared too`, hint);
      const other = columnHints.get(old);
      if (other !== undefined) throw modelError(`${fileOf(t.name)}: table "${t.name}": columns "${other}" and "${c.name}" are both renamedFrom "${old}"`, hint);
      columnHints.set(old, c.name);
    }
  }
}

/** An enum's IR with its value rename hints, checked: each names a declared new value and an old one no longer declared. */
function enumIR(decl: EnumType, file: string): EnumIR {
  // Hand-made enum objects (older copies of the DSL) may have no hints at all.
  const hints = Object.entries(decl.renamedValues ?? {});
  if (hints.length === 0) return { name: decl.enumName, values: [...decl.values] };
  const seen = new Map<string, string>();
  for (const [next, old] of hints) {
    const at = `${file}: enum "${decl.enumName}"`;
    const hint = 'renamedFrom maps a declared value to the value the database has now';
    if (!decl.values.includes(next)) throw modelError(`${at}: value "${next}" is renamedFrom "${old}", but "${next}" is not one of its values`, hint);
    if (decl.values.includes(old)) throw modelError(`${at}: value "${next}" is renamedFrom "${old}", but value "${old}" is declared too`, hint);
    const other = seen.get(old);
    if (other !== undefined) throw modelError(`${at}: values "${other}" and "${next}" are both renamedFrom "${old}"`, hint);
    seen.set(old, next);
  }
  return { name: decl.enumName, values: [...decl.values], renamedValues: Object.fromEntries(hints) };
}
