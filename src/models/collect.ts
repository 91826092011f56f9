/**
 * collectModels: turns the exports of the user's model files into one Schema
 * IR. Every exported table and enum counts, whether or not anything imports
 * it, so a model is never missed. The checks here are the mistakes that would
 * otherwise surface as a baffling database error or, worse, as a silently
 * different schema (a database that truncates long identifiers).
 */
import { isRetortError, lineIn, RetortError } from '../errors.js';
import { isColumnRef, isEnumType, isSequenceDecl, isTableDecl, literalValue, type EnumType, type SqlSpelling, type TableDecl, type TableExtra } from './dsl.js';
import { enumNameOf, type ColumnIR, type EnumIR, type ForeignKeyIR, type SchemaIR, type TableIR } from '../ir/ir.js';
import { defaultNaming, type NamingConvention } from './naming.js';
import { bareName, qualifiedName, schemaOf } from '../ir/qualified.js';
import { checkSchemas } from './collect-schemas.js';
import { isSchemaDecl } from './schemas.js';
import { resolveTable } from './resolve.js';
import { checkIdentityAllowed, checkSequences, SequenceCollector } from './collect-sequences.js';
import { isViewDecl, type ViewDecl } from './views.js';
import { viewIR } from './collect-views.js';
import { isFunctionDecl, isTriggerDecl, type FunctionDecl, type TriggerDecl } from './routines.js';
import { functionIR, triggerIR } from './collect-routines.js';
import { functionKey, triggerKey } from '../ir/routine.js';
import { isDomainType, isExtensionDecl } from './domains.js';
import { checkDomains, DomainCollector } from './collect-domains.js';
import { isPolicyDecl, type PolicyDecl } from './policies.js';
import { collectPolicies } from './collect-policies.js';
import { hasRenameHints } from '../ir/rename-hints.js';
import { inDeclarationOrder } from './declaration-order.js';

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
  /**
   * The named schemas models may declare objects in (the config's `schemas` but the default one), and the database's
   * name for messages; absent: none (a dialect without schemas, or a project that names none).
   */
  readonly schemas?: { readonly managed: readonly string[]; readonly defaultSchema: string | null; readonly dialect: string; readonly hasSchemas: boolean };
}

const modelError = (message: string, hint: string) => new RetortError('MODEL', message, { hint });

// Tables first: they are most of what models export, and the brands exclude one another.
const isDeclaration = (x: unknown) =>
  isTableDecl(x) || isSchemaDecl(x) || isEnumType(x) || isSequenceDecl(x) || isViewDecl(x) || isFunctionDecl(x) || isTriggerDecl(x) || isDomainType(x) || isExtensionDecl(x) || isPolicyDecl(x);

/**
 * Tables, enums, sequences and views among a module's exports, looking one level into exported arrays and plain
 * objects, in the order they were made (the file's source order, whichever compiler ran it; declaration-order.ts).
 */
export function declarations(exports: Record<string, unknown>): unknown[] {
  const out: unknown[] = [];
  for (const v of Object.values(exports)) {
    if (isDeclaration(v)) out.push(v);
    else if (Array.isArray(v)) out.push(...v.filter(isDeclaration));
    else if (v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype && !isViewDecl(v) && !isPolicyDecl(v)) out.push(...Object.values(v).filter(isDeclaration));
  }
  return inDeclarationOrder(out);
}

/** The Schema IR of every table and enum exported by `modules`, validated; throws RetortError('MODEL') naming file, table and column. */
export function collectModels(modules: readonly ModelModule[], target: ModelTarget, naming: NamingConvention = defaultNaming): SchemaIR {
  const tables = new Map<string, { decl: TableDecl; file: string; ir: TableIR }>();
  const enums = new Map<string, { decl: EnumType; file: string }>();
  const views = new Map<string, { decl: ViewDecl; file: string }>();
  const routines = new Map<FunctionDecl | TriggerDecl, string>();
  const policies: { decl: PolicyDecl; file: string }[] = [];
  const files = modules.map((m) => m.file);
  const sequences = new SequenceCollector(target.spelling);
  const domains = new DomainCollector(target.spelling);
  const schemaDecls = new Set<string>();

  for (const m of modules) {
    for (const d of declarations(m.exports)) {
      if (isTableDecl(d)) {
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
      } else if (isSchemaDecl(d)) schemaDecls.add(d.schemaName);
      else if (isSequenceDecl(d)) sequences.add(d, m.file);
      else if (isDomainType(d)) domains.addDomain(d, m.file);
      else if (isExtensionDecl(d)) domains.addExtension(d, m.file);
      else if (isPolicyDecl(d)) policies.push({ decl: d, file: m.file });
      else if (isEnumType(d)) {
        const seen = enums.get(d.enumName);
        if (seen && seen.decl !== d && seen.decl.values.join('\u0000') !== d.values.join('\u0000')) {
          throw modelError(`enum "${d.enumName}" is declared twice with different values: in ${seen.file} and ${m.file}`, 'declare it once and import it where it is used');
        }
        // The same enum exported twice (once with a rename hint, say): one enum, with whichever hint was given.
        if (!seen || (typeof d.previousName === 'string' && typeof seen.decl.previousName !== 'string')) enums.set(d.enumName, { decl: d, file: m.file });
      } else if (isFunctionDecl(d) || isTriggerDecl(d)) {
        if (!routines.has(d)) routines.set(d, m.file);
      } else if (isViewDecl(d)) {
        const seen = views.get(d.viewName);
        if (seen && seen.decl === d) continue;
        if (seen) throw modelError(`view "${d.viewName}" is declared twice: in ${seen.file} and ${m.file}`, 'rename one of them or delete the copy');
        views.set(d.viewName, { decl: d, file: m.file });
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
    ...domains.fields(),
    ...(policyIRs.length > 0 ? { policies: policyIRs } : {}),
  };
  const withRoutines = checkSchemas(routines.size > 0 ? { ...schema, ...routineIRs(routines, target.spelling) } : schema, target.schemas, schemaDecls, (table) => tables.get(table)?.file ?? '?');
  const fileOf = (table: string) => tables.get(table)?.file ?? '?';
  validate(withRoutines, tables, files, target.identifierLimit);
  checkSequences(withRoutines, fileOf, (name) => sequences.fileOf(name));
  checkDomains(withRoutines, fileOf);
  return withRoutines;
}

/** The functions and triggers of `decls`, each declared once (by signature; triggers by table and name). */
function routineIRs(decls: ReadonlyMap<FunctionDecl | TriggerDecl, string>, spelling: SqlSpelling): Pick<SchemaIR, 'functions' | 'triggers'> {
  const functions = new Map<string, { file: string; ir: ReturnType<typeof functionIR> }>();
  const triggers = new Map<string, { file: string; ir: ReturnType<typeof triggerIR> }>();
  for (const [d, file] of decls) {
    const ir = isFunctionDecl(d) ? functionIR(d, file, spelling) : triggerIR(d, file, spelling);
    const map = (isFunctionDecl(d) ? functions : triggers) as Map<string, { file: string; ir: typeof ir }>;
    const key = 'table' in ir ? triggerKey(ir) : functionKey(ir);
    const seen = map.get(key);
    if (seen) throw modelError(`${'table' in ir ? `trigger "${ir.name}" on "${ir.table}"` : `function ${key}`} is declared twice: in ${seen.file} and ${file}`, 'rename one of them or delete the copy');
    map.set(key, { file, ir });
  }
  const sorted = <T>(m: Map<string, { ir: T }>) => [...m.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, v]) => v.ir);
  return { ...(functions.size > 0 ? { functions: sorted(functions) } : {}), ...(triggers.size > 0 ? { triggers: sorted(triggers) } : {}) };
}

/** Catches `t.missing` (undefined) and columns of another table passed to `.on(...)`, before resolve.ts trips over them. */
function checkExtras(d: TableDecl, file: string): void {
  for (const extra of d.extras) {
    if ('columns' in extra) {
      checkExtraColumns(d, extra, extra.columns, file);
      if (extra.__retort === 'index') checkExtraColumns(d, extra, extra.included, file);
    } else if (extra.__retort === 'partitionBy') checkExtraColumns(d, extra, extra.keys, file);
    else if (extra.__retort === 'exclude') checkExtraColumns(d, extra, extra.elements.map((e) => e[0]), file);
  }
}

/** The entries of one table extra that name columns: each a column of this table (or an expression). */
function checkExtraColumns(d: TableDecl, extra: TableExtra, cols: readonly unknown[], file: string): void {
  for (const c of cols) {
    // A partition's columns are its parent's, which partitionOf() already bound to it.
    if (c !== undefined && (!isColumnRef(c) || (c.table === d.tableName && (d.partition !== undefined || c.column in d.columnSpecs)))) continue;
    const what = extra.__retort === 'index' ? 'index' : extra.__retort === 'partitionBy' ? 'partitionBy()' : `${extra.__retort === 'foreignKey' ? 'foreign key' : extra.__retort === 'exclude' ? 'exclusion' : extra.__retort} constraint`;
    const label = `${what}${extra.name ? ` "${extra.name}"` : ''}`;
    const hint = `use one of: ${Object.keys(d.columnSpecs).join(', ')}`;
    if (c === undefined) throw modelError(`${file}: ${label} on table "${d.tableName}" names a column that does not exist (t.<name> is undefined)`, hint);
    throw modelError(`${file}: ${label} on table "${d.tableName}" uses column ${c.table}.${c.column}, which is not a column of "${d.tableName}"`, hint);
  }
}

/** An index, exclusion or partition key entry that is a column name, not an expression. */
const PLAIN_NAME = /^[\p{L}_][\p{L}\p{N}_$]*$/u;
const isPlainName = (entry: string) => PLAIN_NAME.test(entry);

type Declared = ReadonlyMap<string, { readonly decl: TableDecl; readonly file: string; readonly ir: TableIR }>;

/** Whether `columns` has one named `name`: a scan, as tables have few columns and a Set per table cost more than it saved. */
function hasColumn(columns: readonly ColumnIR[], name: string): boolean {
  for (const c of columns) if (c.name === name) return true;
  return false;
}

/**
 * The checks across the collected schema. It runs once per declared table, column and constraint (a hundred thousand
 * times on large models), so it allocates nothing per item that passes: messages, and what they name, are worked
 * out only to be thrown.
 */
function validate(schema: SchemaIR, declared: Declared, files: readonly string[], limit: ModelTarget['identifierLimit']): void {
  const fileOf = (table: string) => declared.get(table)?.file ?? '?';
  const enums = new Map(schema.enums.map((e) => [e.name, e]));
  // A name of at most a third of the limit in UTF-16 units fits whatever its characters (UTF-8 spends at most 3
  // bytes per unit): most names are measured without encoding them.
  const fits = limit === null ? Infinity : Math.floor(limit.bytes / 3);
  const tooLong = (name: string) => name.length > fits && Buffer.byteLength(name, 'utf8') > limit!.bytes;
  const refuseLong = (where: string, kind: string, name: string): never => {
    throw modelError(`${where}: ${kind} name "${name}" is ${Buffer.byteLength(name, 'utf8')} bytes long; ${limit!.dialect} would silently cut it to ${limit!.bytes}`, 'choose a shorter name (give the constraint or index an explicit name if it was generated)');
  };
  for (const e of schema.enums) {
    if (tooLong(bareName(e.name))) refuseLong(`enum "${e.name}"`, 'enum', bareName(e.name));
    for (const v of e.values) if (tooLong(v)) refuseLong(`enum "${e.name}"`, 'enum value', v);
  }
  // Keys, unique constraints and indexes share one namespace with tables in some databases (PostgreSQL's relations, per
  // schema): a model that uses a name twice would work on one dialect and not another. Each name maps to the table
  // that holds it (describeRelation says how, when a second claim needs the message).
  const relations = new Map<string, TableIR>();
  for (const t of schema.tables) relations.set(t.name, t);
  let schemaOfTable: string | undefined;
  const claim = (t: TableIR, kind: string, name: string, cols: readonly string[]) => {
    const key = qualifiedName(schemaOfTable, name);
    const other = relations.get(key);
    if (other) throw modelError(`duplicate name "${key}": ${kind} "${name}" on ${t.name}(${cols.join(', ')}) (${fileOf(t.name)}) and ${describeRelation(other, key, fileOf)}`, 'give one of them another explicit name');
    relations.set(key, t);
  };

  if (hasRenameHints(schema)) checkRenameHints(schema, fileOf);
  for (const t of schema.tables) {
    const file = fileOf(t.name);
    const at = () => `${file}: table "${t.name}"`;
    schemaOfTable = schemaOf(t.name);
    if (tooLong(bareName(t.name))) refuseLong(at(), 'table', bareName(t.name));
    checkPartition(t, declared, fileOf);
    const specs = declared.get(t.name)?.decl.columnSpecs;
    for (const c of t.columns) {
      if (c.name.length > fits && tooLong(c.name)) refuseLong(`${file}: ${t.name}.${c.name}`, 'column', c.name);
      const kind = c.type.kind;
      // A number or boolean column's default given as text must read as one: the database refuses it only when the
      // revision runs (PostgreSQL: invalid input syntax for type integer), and SQLite stores it as it is.
      const text = literalValue(specs?.[c.name]?.serverDefault ?? null);
      const expected = text === null ? null : unreadableLiteral(kind, text);
      if (expected !== null) {
        throw modelError(`${file}: ${t.name}.${c.name} has server default ${c.serverDefault}, which is not ${expected.what}`, `give ${expected.what} (${expected.example}), or write the default as SQL: serverDefault(sql\`...\`)`);
      }
      const enumName = kind === 'enum' || kind === 'array' ? enumNameOf(c.type) : null;
      if (enumName === null) continue;
      const e = enums.get(enumName);
      if (!e) throw modelError(`${file}: ${t.name}.${c.name} uses enum type "${enumName}", which no model file exports`, `export it: export const ${enumName} = enumType('${enumName}', [...])`);
      // A default given as a value (serverDefault('draft')) is checked; one written as SQL is the database's to judge.
      const value = literalValue(specs?.[c.name]?.serverDefault ?? null);
      // An array's default is an array literal ('{happy,sad}'): each element must be a value; one not read as a
      // one-dimensional literal is the database's to judge.
      const values = value === null ? [] : kind === 'array' ? (arrayLiteralElements(value) ?? []) : [value];
      const wrong = values.find((v) => v !== null && !e.values.includes(v));
      if (wrong !== undefined) {
        const which = kind === 'array' ? `, whose element "${wrong}" is` : ', which is';
        throw modelError(`${file}: ${t.name}.${c.name} has server default ${c.serverDefault}${which} not a value of enum "${enumName}" (${e.values.join(', ')})`, 'use one of the enum values or add the value to the enum');
      }
    }
    const columns = t.partitionOf !== undefined ? (declared.get(t.partitionOf.parent)?.ir.columns ?? []) : t.columns;
    // `what` names the declaration in the message: a kind, and the name where it has one.
    const mustBeColumn = (c: string, what: string, name?: string) => {
      if (!hasColumn(columns, c)) throw modelError(`${at()}: ${name === undefined ? what : `${what} "${name}"`} uses unknown column "${c}"`, `use one of: ${columns.map((x) => x.name).join(', ')}`);
    };
    if (t.primaryKey) {
      for (const c of t.primaryKey.columns) mustBeColumn(c, 'the primary key');
      if (t.primaryKey.name !== null) {
        if (tooLong(t.primaryKey.name)) refuseLong(at(), 'primary key', t.primaryKey.name);
        claim(t, 'primary key', t.primaryKey.name, t.primaryKey.columns);
      }
    }
    for (const u of t.uniques) {
      for (const c of u.columns) mustBeColumn(c, 'unique constraint', u.name);
      if (tooLong(u.name)) refuseLong(at(), 'unique constraint', u.name);
      claim(t, 'unique constraint', u.name, u.columns);
    }
    // Expression entries of an index are SQL, not columns; only plain names are checked.
    for (const i of t.indexes) {
      for (const c of i.columns) if (!hasColumn(columns, c) && isPlainName(c)) mustBeColumn(c, 'index', i.name);
      for (const c of i.include ?? []) mustBeColumn(c, 'index', i.name);
      if (tooLong(i.name)) refuseLong(at(), 'index', i.name);
      claim(t, 'index', i.name, i.columns);
    }
    // Checks and foreign keys are named per table: neither may take a name the table's keys, indexes, checks,
    // exclusions or foreign keys already hold.
    t.checks.forEach((c, n) => {
      if (tooLong(c.name)) refuseLong(at(), 'check constraint', c.name);
      if (takenInTable(t, c.name, n, 0)) throw modelError(`duplicate name "${c.name}" on table "${t.name}" (${file})`, 'give one of them another explicit name');
    });
    for (const x of t.excludes ?? []) {
      for (const e of x.elements) if (!hasColumn(columns, e.expression) && isPlainName(e.expression)) mustBeColumn(e.expression, 'exclusion constraint', x.name);
      if (tooLong(x.name)) refuseLong(at(), 'exclusion constraint', x.name);
      claim(t, 'exclusion constraint', x.name, []);
    }
    if (t.partitionBy) for (const c of t.partitionBy.columns) if (!hasColumn(columns, c) && isPlainName(c)) mustBeColumn(c, 'partitionBy()');
    t.foreignKeys.forEach((fk, n) => {
      for (const c of fk.columns) mustBeColumn(c, 'foreign key', fk.name);
      if (tooLong(fk.name)) refuseLong(at(), 'foreign key', fk.name);
      if (takenInTable(t, fk.name, t.checks.length, n)) throw modelError(`duplicate name "${fk.name}" on table "${t.name}" (${file})`, 'give one of them another explicit name');
      checkReference(t, fk, declared, file, files, fileOf);
    });
  }
}

/**
 * Whether a table's check or foreign key name is taken in the table, in the order validate() met its names: the
 * primary key, unique constraints and indexes, the first `checks` checks, and (for a foreign key) the exclusions and
 * the first `fks` foreign keys.
 */
function takenInTable(t: TableIR, name: string, checks: number, fks: number): boolean {
  if (t.primaryKey?.name === name) return true;
  for (const u of t.uniques) if (u.name === name) return true;
  for (const i of t.indexes) if (i.name === name) return true;
  for (let n = 0; n < checks; n++) if (t.checks[n]!.name === name) return true;
  if (checks === t.checks.length) for (const x of t.excludes ?? []) if (x.name === name) return true;
  for (let n = 0; n < fks; n++) if (t.foreignKeys[n]!.name === name) return true;
  return false;
}

/** Who holds a relation name: the table of that name, or the first of a table's keys and indexes that took it. */
function describeRelation(t: TableIR, key: string, fileOf: (table: string) => string): string {
  if (t.name === key) return `table "${t.name}" (${fileOf(t.name)})`;
  const mine = (name: string | null) => name !== null && qualifiedName(schemaOf(t.name), name) === key;
  const on = (kind: string, name: string, cols: readonly string[]) => `${kind} "${name}" on ${t.name}(${cols.join(', ')}) (${fileOf(t.name)})`;
  if (t.primaryKey && mine(t.primaryKey.name)) return on('primary key', t.primaryKey.name!, t.primaryKey.columns);
  for (const u of t.uniques) if (mine(u.name)) return on('unique constraint', u.name, u.columns);
  for (const i of t.indexes) if (mine(i.name)) return on('index', i.name, i.columns);
  for (const x of t.excludes ?? []) if (mine(x.name)) return on('exclusion constraint', x.name, []);
  return `table "${t.name}" (${fileOf(t.name)})`;
}

/** A foreign key names a declared table and columns of it, as many as it has. */
function checkReference(t: TableIR, fk: ForeignKeyIR, declared: Declared, file: string, files: readonly string[], fileOf: (table: string) => string): void {
  const target = declared.get(fk.refTable)?.ir;
  const src = () => `${t.name}.${fk.columns.join(', ')}`;
  const dst = () => `${fk.refTable}.${fk.refColumns.join(', ')}`;
  if (!target) {
    const fileList = files.length <= 3 ? files.join(', ') : `${files.slice(0, 3).join(', ')}, …`;
    throw modelError(`${file}: ${src()} references ${dst()}, but no table "${fk.refTable}" is declared in ${fileList}`, `declare and export table "${fk.refTable}" in a model file, or fix the reference`);
  }
  for (const c of fk.refColumns) {
    if (!hasColumn(target.columns, c)) throw modelError(`${file}: ${src()} references ${dst()}, but table "${fk.refTable}" (${fileOf(fk.refTable)}) has no column "${c}"`, `reference one of: ${target.columns.map((x) => x.name).join(', ')}`);
  }
  if (fk.refColumns.length !== fk.columns.length) throw modelError(`${file}: ${src()} references ${dst()}: ${fk.columns.length} column(s) against ${fk.refColumns.length}`, 'reference as many columns as the foreign key has');
}

/** A partition's parent is a declared partitioned table whose strategy its bound fits. */
function checkPartition(t: TableIR, declared: Declared, fileOf: (table: string) => string): void {
  if (t.partitionOf === undefined) return;
  const at = `${fileOf(t.name)}: partition "${t.name}"`;
  const parent = declared.get(t.partitionOf.parent)?.ir;
  if (!parent) throw modelError(`${at} is a partition of "${t.partitionOf.parent}", which no model file declares`, `declare and export table "${t.partitionOf.parent}"`);
  if (!parent.partitionBy) throw modelError(`${at} is a partition of "${parent.name}" (${fileOf(parent.name)}), which is not partitioned`, `add partitionBy('range' | 'list' | 'hash', t.column) to the extras of "${parent.name}"`);
  const kind = t.partitionOf.bound.kind;
  if (kind !== 'default' && kind !== parent.partitionBy.strategy) throw modelError(`${at} has a ${kind} bound, but "${parent.name}" is partitioned by ${parent.partitionBy.strategy}`, kind === 'range' || parent.partitionBy.strategy === 'range' ? "a RANGE partition's bound is { from, to }" : parent.partitionBy.strategy === 'list' ? "a LIST partition's bound is { in: [...] }" : "a HASH partition's bound is { modulus, remainder }");
  if (kind === 'default' && parent.partitionBy.strategy === 'hash') throw modelError(`${at} is a default partition, which a HASH-partitioned table cannot have`, 'give it { modulus, remainder }');
  if (kind === 'range') {
    const b = t.partitionOf.bound as { from: readonly string[]; to: readonly string[] };
    const n = parent.partitionBy.columns.length;
    if (b.from.length !== n || b.to.length !== n) throw modelError(`${at}: its bound has ${b.from.length} value(s) in from and ${b.to.length} in to, but "${parent.name}" has ${n} key column(s)`, 'give one value per key column');
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
  checkObjectHints(schema, fileOf, hint);
}

/** One declared thing that may carry a rename hint, for checkObjectHints. */
interface Hinted {
  readonly kind: string;
  readonly name: string;
  readonly renamedFrom?: string | undefined;
  /** Where it is declared, for the message (`models/shop.ts: table "orders"`); empty where the name says enough. */
  readonly at: string;
}

/**
 * The hints of enums, sequences, views, indexes and constraints, each namespace on its own: an old name that is
 * declared too, or that two hints claim, is one line. Indexes, unique and primary keys share PostgreSQL's relation
 * namespace (schema-wide); checks and foreign keys are named per table.
 */
function checkObjectHints(schema: SchemaIR, fileOf: (table: string) => string, hint: string): void {
  const check = (items: readonly Hinted[]) => {
    const declared = new Map(items.map((x) => [x.name, x]));
    const claimed = new Map<string, Hinted>();
    for (const x of items) {
      const old = x.renamedFrom;
      if (old === undefined || old === x.name) continue;
      const there = declared.get(old);
      const where = x.at === '' ? '' : `${x.at}: `;
      if (there) throw modelError(`${where}${x.kind} "${x.name}" is renamedFrom "${old}", but ${there.kind} "${old}" is declared too${there.at === x.at || there.at === '' ? '' : ` (${there.at})`}`, hint);
      const other = claimed.get(old);
      if (other) throw modelError(`${where}${other.kind} "${other.name}" and ${x.kind} "${x.name}" are both renamedFrom "${old}"`, hint);
      claimed.set(old, x);
    }
  };
  check(schema.enums.map((e) => ({ kind: 'enum', name: e.name, renamedFrom: e.renamedFrom, at: '' })));
  check((schema.sequences ?? []).map((s) => ({ kind: 'sequence', name: s.name, renamedFrom: s.renamedFrom, at: '' })));
  // Views share the tables' namespace.
  check([
    ...schema.tables.map((t) => ({ kind: 'table', name: t.name, at: fileOf(t.name) })),
    ...(schema.views ?? []).map((v) => ({ kind: v.materialized ? 'materialized view' : 'view', name: v.name, renamedFrom: v.renamedFrom, at: '' })),
  ]);
  const at = (t: TableIR) => `${fileOf(t.name)}: table "${t.name}"`;
  check(schema.tables.flatMap((t) => [
    ...(t.primaryKey?.name ? [{ kind: 'primary key', name: t.primaryKey.name, renamedFrom: t.primaryKey.renamedFrom, at: at(t) }] : []),
    ...t.uniques.map((u) => ({ kind: 'unique constraint', name: u.name, renamedFrom: u.renamedFrom, at: at(t) })),
    ...t.indexes.map((i) => ({ kind: 'index', name: i.name, renamedFrom: i.renamedFrom, at: at(t) })),
  ]));
  for (const t of schema.tables) {
    check([
      ...t.checks.map((c) => ({ kind: 'check constraint', name: c.name, renamedFrom: c.renamedFrom, at: at(t) })),
      ...t.foreignKeys.map((f) => ({ kind: 'foreign key', name: f.name, renamedFrom: f.renamedFrom, at: at(t) })),
    ]);
  }
}

/** An enum's IR with its value rename hints, checked: each names a declared new value and an old one no longer declared. */
function enumIR(decl: EnumType, file: string): EnumIR {
  // Hand-made enum objects (older copies of the DSL) may have no hints at all.
  const hints = Object.entries(decl.renamedValues ?? {});
  const comment = typeof decl.comment === 'string' && decl.comment !== '' ? { comment: decl.comment } : {};
  const previous = typeof decl.previousName === 'string' && decl.previousName !== decl.enumName ? { renamedFrom: decl.previousName } : {};
  if (hints.length === 0) return { name: decl.enumName, values: [...decl.values], ...comment, ...previous };
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
  return { name: decl.enumName, values: [...decl.values], renamedValues: Object.fromEntries(hints), ...comment, ...previous };
}

const INTEGER_TEXT = /^\s*[+-]?\d+\s*$/;
const NUMBER_TEXT = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?\s*$|^\s*[+-]?(?:nan|infinity|inf)\s*$/i;
const BOOLEAN_WORDS = ['true', 'false', 'yes', 'no'];

/**
 * What a text default of a column of `kind` should have been ("an integer", with an example), when it does not read as
 * one the way PostgreSQL reads such input (a boolean: true, yes, on, 1 and their opposites, or a prefix of the words);
 * null when it does, or when the kind is not checked (text, dates, uuids and the rest are the database's to judge).
 */
function unreadableLiteral(kind: string, text: string): { what: string; example: string } | null {
  switch (kind) {
    case 'smallint':
    case 'integer':
    case 'bigint':
      return INTEGER_TEXT.test(text) ? null : { what: 'an integer', example: 'serverDefault(0)' };
    case 'real':
    case 'double':
    case 'numeric':
      return NUMBER_TEXT.test(text) ? null : { what: 'a number', example: 'serverDefault(1.5)' };
    case 'boolean': {
      const v = text.trim().toLowerCase();
      return v === 'on' || v === 'off' || v === '1' || v === '0' || (v !== '' && BOOLEAN_WORDS.some((w) => w.startsWith(v))) ? null : { what: 'a boolean', example: 'serverDefault(true)' };
    }
    default:
      return null;
  }
}

/**
 * The elements of a one-dimensional PostgreSQL array literal (`{a,"b c",NULL}`: NULL unquoted is null), or null when
 * the text is not one (nested, or not in braces).
 */
export function arrayLiteralElements(text: string): (string | null)[] | null {
  const t = text.trim();
  if (!t.startsWith('{') || !t.endsWith('}')) return null;
  const body = t.slice(1, -1);
  if (body.trim() === '') return [];
  const out: (string | null)[] = [];
  let at = 0;
  while (at <= body.length) {
    while (body[at] === ' ') at++;
    let element: string | null;
    if (body[at] === '"') {
      let value = '';
      at++;
      for (; at < body.length && body[at] !== '"'; at++) value += body[at] === '\\' ? body[++at] ?? '' : body[at];
      if (body[at] !== '"') return null;
      at++;
      element = value;
    } else {
      const end = body.indexOf(',', at);
      const raw = body.slice(at, end < 0 ? body.length : end).trim();
      if (/[{}"\\]/.test(raw)) return null;
      element = raw.toUpperCase() === 'NULL' ? null : raw;
      at = end < 0 ? body.length : end;
    }
    while (body[at] === ' ') at++;
    out.push(element);
    if (at >= body.length) break;
    if (body[at] !== ',') return null;
    at++;
  }
  return out;
}
