/**
 * The live schema as autogenerate, check and pull read it: without Retort's own tables, Alembic's version table,
 * what the config's `exclude` names and what its `include` refuses. Apart from autogenerate-revision.ts so that
 * pull loads no more than reading needs (not the differ, the model loader or the runner).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { globMatcher } from '../config/config.js';
import type { SchemaCache } from '../dialects/contract/reader.js';
import { toolVersion } from './history-table.js';
import type { Connection, Dialect } from '../dialects/dialect.js';
import type { SchemaIR } from '../ir/ir.js';
import { filterSchema } from '../ir/include-filter.js';
import type { Project } from './project.js';

/**
 * The tables autogenerate and check leave alone, on both sides: the version and history tables, Alembic's version
 * table (a team moving from Alembic keeps it until it is sure) and those `exclude` matches. A model that declares
 * one is not compared either, as Alembic's include_object filters both sides.
 */
export function excludedTables(project: Project, more: readonly string[] = []): (name: string) => boolean {
  const excluded = globMatcher([...project.config.exclude, ...more]);
  const own = new Set([project.config.versionTable, project.config.historyTable, 'alembic_version']);
  return (name) => own.has(name) || excluded(name);
}

/**
 * The live schema, without the tables autogenerate leaves alone. `leftOut`, when given, collects the names of the
 * tables and views left out (by `exclude`, Retort's own tables, or the config's `include`): pull leaves out the
 * views that read them.
 */
export async function liveSchema(project: Project, dialect: Dialect, conn: Connection, excluded = excludedTables(project), leftOut?: Set<string>): Promise<SchemaIR> {
  const exclude = leftOut === undefined ? excluded : (name: string) => {
    const out = excluded(name);
    if (out) leftOut.add(name);
    return out;
  };
  const live = await dialect.introspect(conn, { ...project.schemaOption(dialect), exclude, ...schemaCache(project) });
  const kept = included(project, dialect, live, true);
  if (leftOut !== undefined && kept !== live) {
    const names = new Set([...kept.tables, ...(kept.views ?? [])].map((x) => x.name));
    for (const x of [...live.tables, ...(live.views ?? [])]) if (!names.has(x.name)) leftOut.add(x.name);
  }
  return kept;
}

/**
 * The cache a dialect may keep of what it read (SQLite's tables, sqlite-schema-cache.ts): the project's
 * node_modules/.cache/retort, beside the compile and header caches, when the project has node_modules.
 */
export function schemaCache(project: Project): { cache?: SchemaCache } {
  const modules = path.join(project.config.dir, 'node_modules');
  return existsSync(modules) ? { cache: { dir: path.join(modules, '.cache', 'retort'), version: toolVersion() } } : {};
}

/** `schema` without what the config's `include` refuses (`reflected`: the live side). */
export function included(project: Project, dialect: Dialect, schema: SchemaIR, reflected: boolean): SchemaIR {
  const include = project.config.include;
  return include === null ? schema : filterSchema(schema, include, reflected, project.schema(dialect) ?? null);
}
