/** createSchema: CREATE SCHEMA, before the tables, enum types and sequences that live in it. */
import { opCall, quoteString as q } from '../../render/literal.js';
import type { OperationDef } from '../operation-def.js';

export interface CreateSchemaOp { readonly kind: 'createSchema'; readonly name: string }

export const createSchema: OperationDef<CreateSchemaOp> = {
  inverse: (o) => ({ kind: 'dropSchema', name: o.name }),
  table: () => null,
  describe: (o) => [`+ schema ${o.name}`],
  render: (o) => opCall('createSchema', q(o.name)),
  apply: (s, o) => {
    if (s.schemas.has(o.name)) s.fail(o, `schema "${o.name}" already exists`);
    s.schemas.add(o.name);
  },
};
