/**
 * Writes the benchmark's schema and history as a Retort project: model files
 * in the DSL, a create-all revision, and M small revision files, in the same
 * shape `retort init` and `retort revision` produce.
 */
import { mkdirSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import type { BenchColumn, BenchEnum, BenchObjects, BenchPartitioned, BenchRevision, BenchSchema, BenchTable } from './schema-spec.js';

/** Tables per model file: large schemas are split across files, as real projects are. */
const TABLES_PER_MODEL_FILE = 100;

const q = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The DSL expression of one column; `enumRef` is how the column names its enum (a model's enumType, or enumColumn in revisions). */
function columnDsl(c: BenchColumn, t: BenchTable, enumRef: (name: string) => string): string {
  switch (c.kind) {
    case 'serial': return 'serial().primaryKey()';
    case 'integer': return c.notNull ? 'integer().notNull()' : 'integer()';
    case 'bigint': return 'bigint()';
    case 'varchar': return c.notNull ? 'varchar(100).notNull()' : 'varchar(100)';
    case 'text': return 'text()';
    case 'boolean': return 'boolean()';
    case 'numeric': return 'numeric(12, 2)';
    case 'timestamptz': return 'timestamp({ withTimezone: true }).notNull().serverDefault(sql`now()`)';
    case 'jsonb': return 'jsonb()';
    case 'enum': return c.notNull ? `${enumRef(c.enumName ?? t.enumName)}.notNull()` : enumRef(c.enumName ?? t.enumName);
    case 'fk': return `integer().references(${q(`${t.parent}.id`)}, { name: ${q(t.fkName)} })`;
  }
}

function tableBody(t: BenchTable, enumRef: (name: string) => string, indent: string): string {
  const cols = t.columns.map((c) => `${indent}  ${c.name}: ${columnDsl(c, t, enumRef)},`).join('\n');
  return `{\n${cols}\n${indent}}, (t) => [index(${q(t.indexName)}).on(t.code), unique(${q(t.uniqueName)}).on(t.title)]`;
}

const DSL_IMPORTS = 'bigint, boolean, index, integer, jsonb, numeric, serial, sql, table, text, timestamp, unique, varchar';

function enumsFile(enums: readonly BenchEnum[]): string {
  const lines = enums.map((e) => `export const ${e.name} = enumType(${q(e.name)}, [${e.values.map(q).join(', ')}]);`);
  return `import { enumType } from 'retort-migrate';\n\n${lines.join('\n')}\n`;
}

function modelFile(tables: readonly BenchTable[], enums: readonly BenchEnum[]): string {
  const used = enums.filter((e) => tables.some((t) => t.columns.some((c) => c.kind === 'enum' && (c.enumName ?? t.enumName) === e.name))).map((e) => e.name);
  const decls = tables.map((t) => `export const ${t.name} = table(${q(t.name)}, ${tableBody(t, (e) => `${e}()`, '')});`);
  return `import { ${DSL_IMPORTS} } from 'retort-migrate';\nimport { ${used.join(', ')} } from './enums.js';\n\n${decls.join('\n\n')}\n`;
}

/** A partitioned table and its partitions (PostgreSQL): the key is part of the primary key, as PostgreSQL requires. */
function partitionedDsl(p: BenchPartitioned): string {
  const parent = `export const ${p.name} = table(${q(p.name)}, {
  id: bigint().notNull(),
  region: text().notNull(),
  created_on: date().notNull(),
  amount: numeric(12, 2),
}, (t) => [partitionBy(${q(p.strategy)}, t.${p.key}), primaryKey(${q(`${p.name}_pkey`)}).on(t.id, t.${p.key}), index(${q(`ix_${p.name}_amount`)}).on(t.amount)]);`;
  const parts = p.partitions.map((x) => {
    const bound = 'in' in x.bound ? `{ in: [${x.bound.in.map(q).join(', ')}] }` : `{ from: ${q(x.bound.from)}, to: ${q(x.bound.to)} }`;
    return `export const ${x.name} = partitionOf(${q(x.name)}, ${p.name}, ${bound});`;
  });
  return [parent, ...parts].join('\n');
}

/**
 * models/objects.ts of the objects layout: views (a view over a view names it by reference, so Retort knows the
 * order; tables by name, as the query text), and on PostgreSQL functions, triggers executing them, sequences and
 * partitioned tables; on SQLite the views and triggers with a body, the kinds SQLite has.
 */
function objectsFile(o: BenchObjects, dialect: 'postgresql' | 'sqlite'): string {
  const views = o.views.map((v) => `export const ${v.name} = view(${q(v.name)}, sql\`${v.over ? v.query.replace(v.over, `\${${v.over}}`) : v.query}\`);`);
  if (dialect === 'sqlite') {
    const triggers = o.triggers.map((t) => `export const ${t.name} = trigger(${q(t.name)}, { on: ${q(t.table)}, timing: 'after', events: ['insert'], forEachRow: true, body: sql\`${t.sqliteBody}\` });`);
    return `import { sql, trigger, view } from 'retort-migrate';\n\n${[...views, ...triggers].join('\n')}\n`;
  }
  const fns = o.functions.map((f) => f.kind === 'trigger'
    ? `export const ${f.name} = fn(${q(f.name)}, { returns: 'trigger', language: 'plpgsql' }, sql\`${f.body}\`);`
    : `export const ${f.name} = fn(${q(f.name)}, { args: 'x integer', returns: 'integer', language: 'sql', volatility: 'immutable' }, sql\`${f.body}\`);`);
  const triggers = o.triggers.map((t) => `export const ${t.name} = trigger(${q(t.name)}, { on: ${q(t.table)}, timing: 'before', events: ['insert', 'update'], forEachRow: true, execute: ${t.fn} });`);
  const seqs = o.sequences.map((s) => {
    const opts = [s.start !== null ? `start: ${s.start}` : '', s.increment !== null ? `increment: ${s.increment}` : '', s.ownedBy ? `ownedBy: ${q(s.ownedBy)}` : ''].filter(Boolean);
    return `export const ${s.name} = sequence(${q(s.name)}${opts.length ? `, { ${opts.join(', ')} }` : ''});`;
  });
  const imports = 'bigint, date, fn, index, numeric, partitionBy, partitionOf, primaryKey, sequence, sql, table, text, trigger, view';
  return `import { ${imports} } from 'retort-migrate';\n\n${[...views, ...fns, ...triggers, ...seqs, ...o.partitioned.map(partitionedDsl)].join('\n')}\n`;
}

/** The header and exports every revision file starts with. */
function revisionHead(id: string, parent: string | null, message: string, imports: string): string {
  return [
    '/**',
    ` * ${message}`,
    ' *',
    ` * Revision: ${id}`,
    ` * Revises: ${parent ?? '<base>'}`,
    ' * Created: 2026-01-01T00:00:00.000Z',
    ' */',
    `import { ${imports}, type MigrationContext, type Op } from 'retort-migrate';`,
    '',
    `export const revision = ${q(id)};`,
    `export const downRevision = ${parent === null ? 'null' : q(parent)};`,
    `export const message = ${q(message)};`,
    `export const createDate = '2026-01-01T00:00:00.000Z';`,
    '',
  ].join('\n');
}

/** The text of one revision creating every table and enum of `schema` (the create-all case). */
export function createAllRevision(schema: BenchSchema, id: string, parent: string | null = null): string {
  const up = [
    ...schema.enums.map((e) => `  op.createEnum(${q(e.name)}, [${e.values.map(q).join(', ')}]);`),
    ...schema.tables.map((t) => `  op.createTable(${q(t.name)}, ${tableBody(t, (e) => `enumColumn(${q(e)})`, '  ')});`),
  ];
  const down = [...schema.tables].reverse().map((t) => `  op.dropTable(${q(t.name)});`).concat(schema.enums.map((e) => `  op.dropEnum(${q(e.name)});`));
  return `${revisionHead(id, parent, `create ${schema.tables.length} tables`, `${DSL_IMPORTS}, enumColumn`)}
export function upgrade(op: Op, _ctx: MigrationContext): void {
${up.join('\n')}
}

export function downgrade(op: Op, _ctx: MigrationContext): void {
${down.join('\n')}
}
`;
}

/** The text of one small revision. */
export function smallRevision(r: BenchRevision): string {
  const s = r.step;
  if (s.kind === 'createTable') {
    return `${revisionHead(r.id, r.parent, `create ${s.table}`, 'serial, sql, timestamp, varchar')}
export function upgrade(op: Op, _ctx: MigrationContext): void {
  op.createTable(${q(s.table)}, {
    id: serial().primaryKey(),
    name: varchar(50),
    created_at: timestamp({ withTimezone: true }).serverDefault(sql\`now()\`),
  });
}

export function downgrade(op: Op, _ctx: MigrationContext): void {
  op.dropTable(${q(s.table)});
}
`;
  }
  return `${revisionHead(r.id, r.parent, `add ${s.table}.${s.column}`, 'integer')}
export function upgrade(op: Op, _ctx: MigrationContext): void {
  op.addColumn(${q(s.table)}, ${q(s.column)}, integer());
}

export function downgrade(op: Op, _ctx: MigrationContext): void {
  op.dropColumn(${q(s.table)}, ${q(s.column)});
}
`;
}

/** A model file declaring the schema `revisions` leave at head (the verify case compares it with the database there). */
export function historyModelFile(revisions: readonly BenchRevision[]): string {
  const tables = new Map<string, string[]>();
  for (const r of revisions) {
    const s = r.step;
    if (s.kind === 'createTable') tables.set(s.table, []);
    else tables.get(s.table)?.push(s.column);
  }
  const decls = [...tables].map(([name, extra]) => {
    const cols = ['id: serial().primaryKey()', 'name: varchar(50)', 'created_at: timestamp({ withTimezone: true }).serverDefault(sql`now()`)', ...extra.map((c) => `${c}: integer()`)];
    return `export const ${name} = table(${q(name)}, {\n${cols.map((c) => `  ${c},`).join('\n')}\n});`;
  });
  return `import { integer, serial, sql, table, timestamp, varchar } from 'retort-migrate';\n\n${decls.join('\n\n')}\n`;
}

/** What a Retort project folder holds. */
export interface RetortProjectSpec {
  readonly schema?: BenchSchema;
  /** Put one revision creating the whole schema into migrations/ (the matching-database and create-all cases). */
  readonly createAll?: boolean;
  /** Tables per create-all revision (default all in one). */
  readonly createAllChunk?: number;
  readonly revisions?: readonly BenchRevision[];
  /** Also write models/history.ts declaring the schema the revisions leave at head. */
  readonly historyModels?: boolean;
  /** Which dialect's kinds models/objects.ts declares (the objects layout; default PostgreSQL's). */
  readonly dialect?: 'postgresql' | 'sqlite';
}

/**
 * Writes a Retort project into `dir`: retort.config.ts (`url: process.env.DATABASE_URL`, the form most
 * users write, which keeps the quick path: issue 24), models/, migrations/, and node_modules/retort-migrate
 * linked to the package under test so imports resolve as in a user's project.
 */
export function writeRetortProject(dir: string, retortRoot: string, spec: RetortProjectSpec): void {
  mkdirSync(path.join(dir, 'migrations'), { recursive: true });
  mkdirSync(path.join(dir, 'models'), { recursive: true });
  mkdirSync(path.join(dir, 'node_modules'), { recursive: true });
  const link = path.join(dir, 'node_modules', 'retort-migrate');
  if (!existsSync(link)) symlinkSync(retortRoot, link, 'dir');
  writeFileSync(
    path.join(dir, 'retort.config.ts'),
    `import { defineConfig } from 'retort-migrate';\n\nexport default defineConfig({\n  url: process.env.DATABASE_URL,\n  migrations: 'migrations',\n  models: ['models/*.ts'],\n});\n`,
  );
  if (spec.schema) {
    const s = spec.schema;
    writeFileSync(path.join(dir, 'models', 'enums.ts'), enumsFile(s.enums));
    for (let i = 0; i < s.tables.length; i += TABLES_PER_MODEL_FILE) {
      const part = s.tables.slice(i, i + TABLES_PER_MODEL_FILE);
      writeFileSync(path.join(dir, 'models', `part_${String(i / TABLES_PER_MODEL_FILE).padStart(3, '0')}.ts`), modelFile(part, s.enums));
    }
    if (s.objects) writeFileSync(path.join(dir, 'models', 'objects.ts'), objectsFile(s.objects, spec.dialect ?? 'postgresql'));
    if (spec.createAll) {
      // PostgreSQL holds a lock per created relation until commit, in a lock table of max_locks_per_transaction x
      // max_connections slots (6400 by default) shared by all sessions: ~1000 tables in one transaction fill it.
      const CREATE_ALL_CHUNK = spec.createAllChunk ?? s.tables.length;
      let parent: string | null = null;
      for (let i = 0; i * CREATE_ALL_CHUNK < s.tables.length; i++) {
        const id = `0a11c4ea${String(i).padStart(4, '0')}`;
        const chunk = { enums: i === 0 ? s.enums : [], tables: s.tables.slice(i * CREATE_ALL_CHUNK, (i + 1) * CREATE_ALL_CHUNK) };
        writeFileSync(path.join(dir, 'migrations', `${id}_create_all_${i}.ts`), createAllRevision(chunk, id, parent));
        parent = id;
      }
    }
  }
  if (spec.historyModels && spec.revisions) writeFileSync(path.join(dir, 'models', 'history.ts'), historyModelFile(spec.revisions));
  for (const r of spec.revisions ?? []) {
    writeFileSync(path.join(dir, 'migrations', `${r.id}_rev_${String(r.index).padStart(5, '0')}.ts`), smallRevision(r));
  }
}
