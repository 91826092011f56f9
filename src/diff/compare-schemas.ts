/**
 * Named schemas (SchemaIR.schemas): the ones the models declare and the database lacks are created before any other
 * operation, the ones the database has and the models no longer declare are dropped after every other, when nothing
 * of ours is left in them. Only schemas of the config's `schemas` are ever read, so no other is touched; the default
 * schema is never in the list, so never dropped.
 */
import type { SchemaIR } from '../ir/ir.js';
import type { Operation } from '../operations/operations.js';

/** The createSchema and dropSchema operations that turn `from`'s named schemas into `to`'s. */
export function planSchemas(from: SchemaIR, to: SchemaIR): { creates: Operation[]; drops: Operation[] } {
  const before = new Set(from.schemas ?? []);
  const after = new Set(to.schemas ?? []);
  return {
    creates: [...after].filter((s) => !before.has(s)).sort().map((name): Operation => ({ kind: 'createSchema', name })),
    drops: [...before].filter((s) => !after.has(s)).sort().reverse().map((name): Operation => ({ kind: 'dropSchema', name })),
  };
}
