/** dropSchema: DROP SCHEMA (never CASCADE), after everything in it is gone; it holds nothing of its own to restore. */
import { opCall, quoteString as q } from '../../render/literal.js';
import type { OperationDef } from '../operation-def.js';
import { schemaOf } from '../../ir/qualified.js';

export interface DropSchemaOp { readonly kind: 'dropSchema'; readonly name: string }

export const dropSchema: OperationDef<DropSchemaOp> = {
  inverse: (o) => ({ kind: 'createSchema', name: o.name }),
  table: () => null,
  describe: (o) => [`- schema ${o.name}`],
  render: (o) => opCall('dropSchema', q(o.name)),
  apply: (s, o) => {
    if (!s.schemas.has(o.name)) s.fail(o, `no schema "${o.name}"`);
    // As PostgreSQL's DROP SCHEMA without CASCADE: refused while an object of ours is in it.
    const inside = [...s.tables.keys(), ...s.enums.keys(), ...s.sequences.keys()].find((n) => schemaOf(n) === o.name);
    if (inside !== undefined) s.fail(o, `schema "${o.name}" still holds "${inside}"`);
    s.schemas.delete(o.name);
  },
};
