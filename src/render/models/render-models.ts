/**
 * renderModels: a Schema IR written back as model files, the code a person would have written: one exported
 * variable per table and enum named from the database's names, columns in the database's order, keys and
 * references on the column where the DSL allows (`.references(() => users.columns.id)`), and table-level
 * declarations otherwise; free-standing sequences before the tables, a column defaulting to one's nextval() as
 * `.serverDefault(orderSeq)`; views and materialized views after the tables (render-view-models.ts). The tables
 * themselves go through render-table.ts, the same code autogenerate's op.createTable uses, so what collecting the files gives back is the IR they were written from.
 */
import { bareName, schemaOf } from '../../ir/qualified.js';
import type { ColumnType, EnumIR, ForeignKeyIR, PolicyIR, SchemaIR, SequenceIR, TableIR } from '../../ir/ir.js';
import { domainNameOf, enumNameOf } from '../../ir/ir.js';
import { renderDomain, renderExtension } from './render-domains.js';
import type { NamingConvention } from '../../models/naming.js';
import { defaultToSql, sqlText, type SqlSpelling } from '../../models/dsl.js';
import { sequence } from '../../models/sequences.js';
import { commentText, member, objectLiteral, quoteString, stringArray } from '../literal.js';
import type { Imports } from '../render-column.js';
import { optionEntries } from '../render-sequences.js';
import { renderTableParts, type TableStyle } from '../render-table.js';
import { renderBound } from '../render-partitions.js';
import { fileStem, NameAllocator } from './model-names.js';
import { renderRoutines } from './render-routine-models.js';
import { policyOptionsLiteral } from '../render-policies.js';
import { renderViewDeclaration, viewDependencyOrder, viewsOverLeftOut, type LeftOutView } from './render-view-models.js';

/** How pulled models are laid out: one file, one file per database schema, or one file per table (enums in enums.ts). */
export type SplitMode = 'single' | 'schema' | 'table';

export interface ModelRenderOptions {
  readonly naming: NamingConvention;
  readonly split: SplitMode;
  /** The database schema the IR was read from (names the file of `--split schema`); undefined where there are none. */
  readonly schema?: string | undefined;
  /** Lines said at the top of the file(s) that hold the whole schema: what the models could not declare. */
  readonly notes?: readonly string[];
  /** The package the DSL is imported from. */
  readonly packageName?: string;
  /** The dialect's SQL spelling: a default is written as a sequence's variable where it is the text that variable makes. */
  readonly spelling?: SqlSpelling;
  /** Tables and views the caller left out of `schema` (excluded): a view that reads one is left out too. */
  readonly leftOut?: ReadonlySet<string>;
  /**
   * Types of the database the models cannot create (a composite or range type), by the name the IR gives them
   * (`money_pair`, `billing.money_pair`): a table with a column of one is left out, since a database built from the
   * models would not have the type.
   */
  readonly undeclaredTypes?: ReadonlySet<string>;
}

/** Whether a column type names one of `types` (its name unquoted, without modifiers or array brackets). */
function usesType(type: ColumnType, types: ReadonlySet<string>): boolean {
  if (type.kind === 'array') return usesType(type.element, types);
  if (type.kind !== 'custom') return false;
  const name = type.sql.replace(/\[\]/g, '').replace(/\(.*\)$/, '').replace(/"/g, '').trim().toLowerCase();
  return types.has(name) || types.has(name.replace(/^public\./, ''));
}

/** One model file: its path relative to the output folder, and its text. */
export interface ModelFile {
  readonly path: string;
  readonly content: string;
}

export interface RenderedModels {
  readonly files: readonly ModelFile[];
  /** Tables the DSL cannot declare exactly (left out of the files). */
  readonly undeclarable: readonly string[];
  /** Sequences left out with their owner's table (the models cannot own a sequence by a table they do not declare). */
  readonly undeclarableSequences: readonly string[];
  /** Views left out because they read a table or view left out (excluded, or one of `undeclarable`), with what they read. */
  readonly leftOutViews: readonly LeftOutView[];
}

// Everything a model file may import: no table or enum variable may take one of these names.
const DSL_NAMES = [
  'sql', 'enumType', 'table', 'index', 'uniqueIndex', 'unique', 'check', 'primaryKey', 'foreignKey', 'smallint', 'integer', 'bigint', 'serial',
  'smallserial', 'bigserial', 'boolean', 'text', 'varchar', 'char', 'numeric', 'real', 'doublePrecision', 'date', 'time', 'timestamp', 'uuid',
  'json', 'jsonb', 'bytea', 'array', 'enumColumn', 'customType', 'ColumnRef', 'defineConfig', 'sequence', 'domain', 'extension', 'domainColumn',
  'fn', 'procedure', 'aggregate', 'trigger', 'schema',
  'partitionBy', 'partitionOf', 'exclude', 'MINVALUE', 'MAXVALUE', 'policy', 'view', 'materializedView',
];

// The files of `--split table` that are not a table's.
const OWN_FILES = ['enums.ts', 'sequences.ts', 'functions.ts', 'triggers.ts', 'views.ts', 'index.ts'];

interface Unit {
  readonly file: string;
  readonly code: string;
  readonly imports: Imports;
  /** Variables of other units this one uses. */
  readonly uses: Set<string>;
  readonly defines: string;
}

/** Renders the model files for `schema`. */
export function renderModels(schema: SchemaIR, options: ModelRenderOptions): RenderedModels {
  const names = new NameAllocator(DSL_NAMES);
  const enumVar = new Map<string, string>();
  const tableVar = new Map<string, string>();
  for (const t of schema.tables) tableVar.set(t.name, names.take(t.name, 'Table'));
  for (const e of schema.enums) enumVar.set(e.name, names.take(e.name, 'Enum'));
  const domainVar = new Map<string, string>();
  for (const d of schema.domains ?? []) domainVar.set(d.name, names.take(d.name, 'Domain'));
  const extensionVar = new Map((schema.extensions ?? []).map((e) => [e.name, names.take(e.name, 'Extension')]));
  const sequences = schema.sequences ?? [];
  const seqVar = new Map<string, string>();
  for (const s of sequences) seqVar.set(s.name, names.take(s.name, 'Seq'));
  // A named schema is one variable (`export const billing = schema('billing')`) its objects are declared through.
  const schemaVar = new Map((schema.schemas ?? []).map((n) => [n, names.take(n, 'Schema')]));

  const single = options.split !== 'table';
  const singleFile = options.split === 'schema' ? `${fileStem(options.schema ?? 'schema')}.ts` : 'schema.ts';
  const fileOfTable = new Map<string, string>();
  const tableFiles = new Set<string>();
  for (const t of schema.tables) {
    let f = single ? singleFile : `${fileStem(t.name)}.ts`;
    for (let n = 2; !single && (tableFiles.has(f) || OWN_FILES.includes(f)); n++) f = `${fileStem(t.name)}-${n}.ts`;
    tableFiles.add(f);
    fileOfTable.set(t.name, f);
  }
  const enumFile = single ? singleFile : 'enums.ts';
  const sequenceFile = single ? singleFile : 'sequences.ts';
  const viewFile = single ? singleFile : 'views.ts';

  const component = stronglyConnected(schema.tables);
  const cyclic = (from: string, to: string) => from === to || component.get(from) === component.get(to);
  const units: Unit[] = [];
  for (const [n, v] of schemaVar) units.push({ file: enumFile, code: `export const ${v} = schema(${quoteString(n)});`, imports: new Set(['schema']), uses: new Set(), defines: v });
  for (const e of schema.extensions ?? []) units.push(renderExtension(e, extensionVar.get(e.name)!, enumFile));
  for (const e of schema.enums) units.push(inSchema(renderEnum(e, enumVar.get(e.name)!, enumFile), e.name, 'enumType', schemaVar));
  for (const d of schema.domains ?? []) units.push(inSchema(renderDomain(d, domainVar.get(d.name)!, enumFile, enumVar), d.name, 'domain', schemaVar));
  // A table the DSL cannot declare is left out, and so is one that references it (its reference could not resolve).
  const undeclarable: string[] = [];
  let tableUnits: Unit[] = [];
  let declaredSeqs: SequenceIR[] = [];
  for (let changed = true; changed; ) {
    changed = false;
    tableUnits = [];
    // A sequence owned by a table left out is left out too, and a default using it keeps its SQL.
    declaredSeqs = sequences.filter((s) => s.ownedBy === null || !undeclarable.includes(s.ownedBy.table));
    const byDefault = sequenceDefaults(declaredSeqs, seqVar, options.spelling);
    // Tables are written so that each one's references point back where they can: a table before those referencing it.
    for (const t of dependencyOrder(schema.tables.filter((x) => !undeclarable.includes(x.name)))) {
      const parent = t.partitionOf === undefined ? undefined : schema.tables.find((x) => x.name === t.partitionOf!.parent);
      const types = options.undeclaredTypes;
      const unit = types && types.size > 0 && t.columns.some((c) => usesType(c.type, types)) ? null : renderTable(t, tableVar, enumVar, domainVar, byDefault, fileOfTable.get(t.name)!, options.naming, cyclic, parent);
      if (unit !== null) tableUnits.push(t.partitionOf === undefined ? inSchema(unit, t.name, 'table', schemaVar) : unit);
      else {
        undeclarable.push(t.name);
        tableVar.delete(t.name);
        changed = true;
      }
    }
  }
  // Views after the tables left out are known: a view over one of them (or over the caller's) is left out with it.
  const viewsLeft = viewsOverLeftOut(viewDependencyOrder(schema.views ?? []), new Set([...(options.leftOut ?? []), ...undeclarable]));
  const views = viewsLeft.kept;
  const viewVar = new Map(views.map((v) => [v.name, names.take(v.name, 'View')]));
  // A sequence some table's default uses, owned by a column through an arrow: the arrow's return type is written
  // out, as the table's type depends on the sequence's (TS7022 under strict otherwise).
  const usedByTables = new Set(tableUnits.flatMap((u) => [...u.uses]));
  for (const s of declaredSeqs) units.push(inSchema(renderSequence(s, seqVar.get(s.name)!, sequenceFile, single, tableVar, usedByTables.has(seqVar.get(s.name)!)), s.name, 'sequence', schemaVar));
  units.push(...tableUnits);
  // Functions and triggers after the tables (a trigger names its table's variable).
  const routines = renderRoutines(schema.functions ?? [], schema.triggers ?? [], names, tableVar, (kind) => (single ? singleFile : `${kind}.ts`), new Set(viewVar.keys()));
  // A function of a named schema through its schema's variable: `billing.fn('total', ...)`.
  units.push(...routines.units.map(({ declares, ...u }) => (declares === undefined ? u : inSchema(u, declares.name, declares.builder, schemaVar))));
  // Policies after the tables they guard, in their files; those of a table left out are left out with it.
  for (const p of schema.policies ?? []) {
    const table = tableVar.get(p.table);
    if (table !== undefined) units.push(renderPolicy(p, names.take(p.name, 'Policy'), table, fileOfTable.get(p.table)!));
  }
  for (const v of views) {
    const imports: Imports = new Set();
    const code = renderViewDeclaration(v, viewVar.get(v.name)!, options.naming, imports);
    units.push(inSchema({ file: viewFile, code, imports, uses: new Set(), defines: viewVar.get(v.name)! }, v.name, v.materialized ? 'materializedView' : 'view', schemaVar));
  }
  const undeclarableSequences = sequences.filter((s) => !declaredSeqs.includes(s)).map((s) => s.name);

  const byFile = new Map<string, Unit[]>();
  for (const u of units) {
    const list = byFile.get(u.file);
    if (list) list.push(u);
    else byFile.set(u.file, [u]);
  }
  const definedIn = new Map(units.map((u) => [u.defines, u.file]));
  const pkg = options.packageName ?? 'retort-migrate';
  const notes = [...(options.notes ?? []), ...[...undeclarable].sort().map((n) => `table the DSL cannot declare exactly (left out: list it in the config's exclude): ${n}`),
    ...undeclarableSequences.map((n) => `sequence owned by a table left out: ${n}`),
    ...viewsLeft.leftOut.map((v) => `view over a table or view left out (in the config's exclude): ${v.name} (reads ${v.reads.join(', ')})`), ...routines.leftOut];
  const files: ModelFile[] = [];
  for (const [file, list] of [...byFile].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    files.push({ path: file, content: fileText(file, list, definedIn, pkg, single ? notes : []) });
  }
  if (!single && (files.length > 0 || notes.length > 0)) {
    const lines = [header(notes), ...files.map((f) => `export * from './${f.path.replace(/\.ts$/, '.js')}';`)];
    files.push({ path: 'index.ts', content: `${lines.filter((l) => l !== '').join('\n')}\n` });
  }
  if (single && files.length === 0) files.push({ path: singleFile, content: `${header(notes)}\nexport {};\n` });
  return { files, undeclarable, undeclarableSequences, leftOutViews: viewsLeft.leftOut };
}

/**
 * A unit declared through its schema's variable where its object is in a named schema: `billing.table('invoices', ...)`
 * for `table('billing.invoices', ...)`, the builder's import traded for a use of the schema's variable.
 */
function inSchema(unit: Unit, name: string, builder: 'table' | 'enumType' | 'sequence' | 'view' | 'materializedView' | 'domain' | 'fn' | 'procedure' | 'aggregate', schemaVar: ReadonlyMap<string, string>): Unit {
  const s = schemaOf(name);
  const v = s === undefined ? undefined : schemaVar.get(s);
  if (v === undefined) return unit;
  const call = `= ${builder}(${quoteString(name)}`;
  if (!unit.code.includes(call)) return unit;
  const imports = new Set(unit.imports);
  imports.delete(builder);
  return { ...unit, code: unit.code.replace(call, `= ${v}.${builder}(${quoteString(bareName(name))}`), imports, uses: new Set([...unit.uses, v]) };
}

function header(notes: readonly string[]): string {
  const lines = ['// Written by `retort pull` from the live database. These are your models now: edit them freely.'];
  if (notes.length > 0) {
    lines.push('//', '// Found in the database and not declared here (Retort\'s models cannot declare them yet):');
    for (const n of notes) lines.push(`//   ${commentText(n)}`);
  }
  return `${lines.join('\n')}\n`;
}

function fileText(file: string, units: readonly Unit[], definedIn: ReadonlyMap<string, string>, pkg: string, notes: readonly string[]): string {
  const imports = new Set<string>();
  const local = new Map<string, Set<string>>();
  for (const u of units) {
    for (const i of u.imports) imports.add(i);
    for (const v of u.uses) {
      const from = definedIn.get(v);
      if (from === undefined || from === file) continue;
      local.set(from, (local.get(from) ?? new Set()).add(v));
    }
  }
  const typeImports = [...imports].filter((i) => i === 'ColumnRef');
  const valueImports = [...imports].filter((i) => i !== 'ColumnRef').sort();
  const specifiers = [...valueImports, ...typeImports.map((i) => `type ${i}`)];
  const lines = [header(notes)];
  if (specifiers.length > 0) lines.push(`import { ${specifiers.join(', ')} } from ${quoteString(pkg)};`);
  for (const [from, vars] of [...local].sort(([a], [b]) => (a < b ? -1 : 1))) {
    lines.push(`import { ${[...vars].sort().join(', ')} } from './${from.replace(/\.ts$/, '.js')}';`);
  }
  return `${lines.join('\n')}\n\n${units.map((u) => u.code).join('\n\n')}\n`;
}

function renderEnum(e: EnumIR, variable: string, file: string): Unit {
  const imports: Imports = new Set(['enumType']);
  const options = e.comment !== undefined ? `, { comment: ${quoteString(e.comment)} }` : '';
  return { file, code: `export const ${variable} = enumType(${quoteString(e.name)}, ${stringArray(e.values)}${options});`, imports, uses: new Set(), defines: variable };
}

/** Each declared sequence's variable by the default text `.serverDefault(variable)` makes (its nextval() in the dialect's spelling). */
function sequenceDefaults(seqs: readonly SequenceIR[], seqVar: ReadonlyMap<string, string>, spelling: SqlSpelling | undefined): Map<string, string> {
  const out = new Map<string, string>();
  if (spelling?.sequenceRef === undefined) return out;
  for (const s of seqs) out.set(sqlText(defaultToSql(sequence(s.name))!, spelling), seqVar.get(s.name)!);
  return out;
}

/**
 * `export const orderSeq = sequence('order_seq', { start: 1000, ownedBy: () => orders.columns.number })`: options away
 * from their defaults. Split into files, the owner is written `'orders.number'`: an arrow would make sequences.ts
 * import the table files that import it for their defaults, a circle in which a table's file could run first.
 */
function renderSequence(s: SequenceIR, variable: string, file: string, single: boolean, tableVar: ReadonlyMap<string, string>, typed: boolean): Unit {
  const imports: Imports = new Set(['sequence']);
  const uses = new Set<string>();
  const entries = optionEntries(s);
  if (s.ownedBy !== null) {
    const owner = tableVar.get(s.ownedBy.table);
    if (single && owner !== undefined) {
      uses.add(owner);
      if (typed) imports.add('ColumnRef');
      entries.push(['ownedBy', `${typed ? '(): ColumnRef' : '()'} => ${member(`${owner}.columns`, s.ownedBy.column)}`]);
    } else entries.push(['ownedBy', quoteString(`${s.ownedBy.table}.${s.ownedBy.column}`)]);
  }
  if (s.comment !== undefined) entries.push(['comment', quoteString(s.comment)]);
  const args = [quoteString(s.name), ...(entries.length > 0 ? [objectLiteral(entries)] : [])];
  return { file, code: `export const ${variable} = sequence(${args.join(', ')});`, imports, uses, defines: variable };
}

function renderTable(
  t: TableIR,
  tableVar: ReadonlyMap<string, string>,
  enumVar: ReadonlyMap<string, string>,
  domainVar: ReadonlyMap<string, string>,
  seqByDefault: ReadonlyMap<string, string>,
  file: string,
  naming: NamingConvention,
  cyclic: (from: string, to: string) => boolean,
  parent?: TableIR,
): Unit | null {
  const imports: Imports = new Set([t.partitionOf === undefined ? 'table' : 'partitionOf']);
  const uses = new Set<string>();
  const self = tableVar.get(t.name)!;
  let unknownTarget = false;
  const style: TableStyle = {
    target: (fk: ForeignKeyIR, inline: boolean) => {
      const v = tableVar.get(fk.refTable);
      if (v === undefined) {
        unknownTarget = true;
        return '';
      }
      if (v !== self) uses.add(v);
      const cols = fk.refColumns.map((c) => member(`${v}.columns`, c));
      // Within a cycle of references (a table that references itself, two that reference each other) the arrow's
      // return type is written out: inferred, it would depend on the table's own initializer (TS7022 under strict).
      if (!cyclic(t.name, fk.refTable)) return inline ? `() => ${cols[0]}` : `() => [${cols.join(', ')}]`;
      imports.add('ColumnRef');
      return inline ? `(): ColumnRef => ${cols[0]}` : `(): ColumnRef[] => [${cols.join(', ')}]`;
    },
    enumBuilder: (name: string) => {
      const v = enumVar.get(name);
      if (v === undefined) {
        imports.add('enumColumn');
        return `enumColumn(${quoteString(name)})`;
      }
      uses.add(v);
      return `${v}()`;
    },
    domainBuilder: (name: string) => {
      const v = domainVar.get(name);
      if (v === undefined) {
        imports.add('domainColumn');
        return `domainColumn(${quoteString(name)})`;
      }
      uses.add(v);
      return `${v}()`;
    },
    serverDefault: (text: string) => {
      const v = seqByDefault.get(text);
      if (v !== undefined) uses.add(v);
      return v ?? null;
    },
    ...(parent !== undefined ? { inheritedColumns: parent.columns.map((c) => c.name) } : {}),
  };
  const parts = renderTableParts(t, naming, imports, style);
  if (parts === null || unknownTarget) return null;
  if (t.partitionOf !== undefined) {
    // partitionOf(name, parent, bound, extras): the parent's variable, declared before it (dependencyOrder).
    const parentVar = tableVar.get(t.partitionOf.parent);
    if (parentVar === undefined) return null;
    uses.add(parentVar);
    const args = [quoteString(t.name), parentVar, renderBound(t.partitionOf.bound, imports), ...(parts.extras === null ? [] : [parts.extras])];
    const comment = t.comment === null ? '' : `.withComment(${quoteString(t.comment)})`;
    return { file, code: `export const ${self} = partitionOf(${args.join(', ')})${comment};`, imports, uses, defines: self };
  }
  for (const c of t.columns) {
    const e = enumNameOf(c.type);
    if (e !== null && enumVar.has(e)) uses.add(enumVar.get(e)!);
    const d = domainNameOf(c.type);
    if (d !== null && domainVar.has(d)) uses.add(domainVar.get(d)!);
  }
  const args = [quoteString(t.name), parts.columns, ...(parts.extras === null ? [] : [parts.extras])];
  const comment = t.comment === null ? '' : `.withComment(${quoteString(t.comment)})`;
  const rls = `${t.rlsEnabled === true ? '.enableRls()' : ''}${t.rlsForced === true ? '.forceRls()' : ''}`;
  return { file, code: `export const ${self} = table(${args.join(', ')})${comment}${rls};`, imports, uses, defines: self };
}

/** `export const tenantPolicy = policy('tenant', { on: films, for: 'select', to: ['app'], using: sql\`...\` })`. */
function renderPolicy(p: PolicyIR, variable: string, tableVariable: string, file: string): Unit {
  const imports: Imports = new Set(['policy']);
  const code = `export const ${variable} = policy(${quoteString(p.name)}, ${policyOptionsLiteral(p, imports, tableVariable)});`;
  return { file, code, imports, uses: new Set([tableVariable]), defines: variable };
}

/** Tables with those they reference first where the references allow (a cycle keeps the order by name). */
function dependencyOrder(tables: readonly TableIR[]): TableIR[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const out: TableIR[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (t: TableIR) => {
    if (state.has(t.name)) return;
    state.set(t.name, 'visiting');
    const parent = t.partitionOf === undefined ? undefined : byName.get(t.partitionOf.parent);
    if (parent) visit(parent);
    for (const fk of t.foreignKeys) {
      const target = byName.get(fk.refTable);
      if (target && target !== t) visit(target);
    }
    state.set(t.name, 'done');
    out.push(t);
  };
  for (const t of tables) visit(t);
  return out;
}

/** Each table's strongly connected component of the reference graph (Tarjan's algorithm, iterative, over table positions): tables in one reference each other. */
function stronglyConnected(tables: readonly TableIR[]): Map<string, number> {
  const n = tables.length;
  const at = new Map<string, number>();
  for (let i = 0; i < n; i++) at.set(tables[i]!.name, i);
  const edges: number[][] = new Array(n);
  for (let i = 0; i < n; i++) {
    const out: number[] = [];
    for (const fk of tables[i]!.foreignKeys) {
      const j = at.get(fk.refTable);
      if (j !== undefined && !out.includes(j)) out.push(j);
    }
    edges[i] = out;
  }
  const index = new Int32Array(n).fill(-1);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const comp = new Int32Array(n);
  const stack: number[] = [];
  let counter = 0;
  let components = 0;
  const work: number[] = [];
  const next: number[] = [];
  for (let root = 0; root < n; root++) {
    if (index[root] !== -1) continue;
    index[root] = low[root] = counter++;
    stack.push(root);
    onStack[root] = 1;
    work.push(root);
    next.push(0);
    while (work.length > 0) {
      const top = work.length - 1;
      const node = work[top]!;
      const out = edges[node]!;
      if (next[top]! < out.length) {
        const w = out[next[top]!++]!;
        if (index[w] === -1) {
          index[w] = low[w] = counter++;
          stack.push(w);
          onStack[w] = 1;
          work.push(w);
          next.push(0);
        } else if (onStack[w] === 1 && index[w]! < low[node]!) low[node] = index[w]!;
        continue;
      }
      work.pop();
      next.pop();
      if (work.length > 0) {
        const parent = work[work.length - 1]!;
        if (low[node]! < low[parent]!) low[parent] = low[node]!;
      }
      if (low[node] === index[node]) {
        for (;;) {
          const x = stack.pop()!;
          onStack[x] = 0;
          comp[x] = components;
          if (x === node) break;
        }
        components++;
      }
    }
  }
  const component = new Map<string, number>();
  for (let i = 0; i < n; i++) component.set(tables[i]!.name, comp[i]!);
  return component;
}
