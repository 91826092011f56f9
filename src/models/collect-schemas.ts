/**
 * The named schemas of collected models: which ones they declare (exported schema() handles, and the schemas their
 * tables, enum types, sequences, views, domains and functions are named in), checked against the config's `schemas`, and listed in `SchemaIR.schemas`.
 */
import { RetortError } from '../errors.js';
import type { SchemaIR } from '../ir/ir.js';
import { schemaOf } from '../ir/qualified.js';
import { declaredSchemaNames } from './schemas.js';

/** `schema` with its named schemas listed; throws RetortError('MODEL') for one the config does not manage. */
export function checkSchemas(
  schema: SchemaIR,
  target: { readonly managed: readonly string[]; readonly defaultSchema: string | null; readonly dialect: string; readonly hasSchemas: boolean } | undefined,
  exported: ReadonlySet<string>,
  fileOf: (table: string) => string,
): SchemaIR {
  const known = declaredSchemaNames();
  const where = new Map<string, string>();
  for (const s of exported) where.set(s, `schema('${s}')`);
  // A dotted name counts as qualified only when its schema was declared with schema(): table('a.b') alone stays a name.
  // Without any schema() declared (most models) no name is, and none is looked at.
  if (known.size > 0) {
    const note = (name: string, what: () => string) => {
      const s = schemaOf(name);
      if (s !== undefined && known.has(s)) where.set(s, what());
    };
    for (const t of schema.tables) note(t.name, () => `table "${t.name}" (${fileOf(t.name)})`);
    for (const e of schema.enums) note(e.name, () => `enum "${e.name}"`);
    for (const q of schema.sequences ?? []) note(q.name, () => `sequence "${q.name}"`);
    for (const v of schema.views ?? []) note(v.name, () => `view "${v.name}"`);
    for (const d of schema.domains ?? []) note(d.name, () => `domain "${d.name}"`);
    for (const f of schema.functions ?? []) note(f.name, () => `${f.kind} "${f.name}"`);
  }
  if (where.size === 0) return schema;
  const managed = new Set(target?.managed ?? []);
  for (const [s, what] of where) {
    if (target === undefined || !target.hasSchemas) {
      throw new RetortError('MODEL', `${what} is in schema "${s}", but ${target?.dialect ?? 'this database'} has no schemas (SQLite has attached databases, not schemas)`, { hint: 'declare it without schema(), or use PostgreSQL' });
    }
    if (s === target.defaultSchema) {
      throw new RetortError('MODEL', `${what} is in schema "${s}", the default schema`, { hint: `declare the objects of "${s}" without schema(): table(...), enumType(...)` });
    }
    if (!managed.has(s)) {
      throw new RetortError('MODEL', `${what} is in schema "${s}", which the config does not manage`, { hint: `add it to the config: schemas: [${[...target.managed, s].map((x) => `'${x}'`).join(', ')}] (the default schema is always managed)` });
    }
  }
  return { ...schema, schemas: [...where.keys()].sort() };
}
