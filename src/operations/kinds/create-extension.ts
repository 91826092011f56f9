/** createExtension: CREATE EXTENSION (PostgreSQL), in its schema and at its version when given. */
import type { ExtensionIR } from '../../ir/ir.js';
import { renderExtensionOp } from '../../render/render-domains.js';
import type { OperationDef } from '../operation-def.js';

export interface CreateExtensionOp { readonly kind: 'createExtension'; readonly extension: ExtensionIR }

export const createExtension: OperationDef<CreateExtensionOp> = {
  inverse: (o) => ({ kind: 'dropExtension', name: o.extension.name, extension: o.extension }),
  table: () => null,
  describe: (o) => [`+ extension ${o.extension.name}${o.extension.schema !== undefined ? ` in ${o.extension.schema}` : ''}${o.extension.version !== undefined ? ` version ${o.extension.version}` : ''}`],
  render: (o) => renderExtensionOp(o),
  apply: (s, o) => {
    if (s.extensions.has(o.extension.name)) s.fail(o, `extension "${o.extension.name}" already exists`);
    s.extensions.set(o.extension.name, o.extension);
  },
};
