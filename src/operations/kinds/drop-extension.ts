/** dropExtension: DROP EXTENSION, with the types and functions it installed. */
import type { ExtensionIR } from '../../ir/ir.js';
import { renderExtensionOp } from '../../render/render-domains.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';

/** `extension` is what was installed when known (autogenerate), or null (hand-written). */
export interface DropExtensionOp { readonly kind: 'dropExtension'; readonly name: string; readonly extension: ExtensionIR | null }

export const dropExtension: OperationDef<DropExtensionOp> = {
  inverse: (o) => {
    if (!o.extension) throw new IrreversibleOperationError(o, `the schema and version of extension "${o.name}" are not known`);
    return { kind: 'createExtension', extension: o.extension };
  },
  table: () => null,
  describe: (o) => [`- extension ${o.name}`],
  render: (o) => renderExtensionOp(o),
  apply: (s, o) => {
    if (!s.extensions.has(o.name)) s.fail(o, `no extension "${o.name}"`);
    s.extensions.delete(o.name);
  },
};
