/** alterExtension: ALTER EXTENSION UPDATE TO a version, or SET SCHEMA. */
import type { ExtensionChanges } from '../../ir/ir.js';
import { renderExtensionOp } from '../../render/render-domains.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';

/** `from` holds the old values of whatever `to` changes, when known. */
export interface AlterExtensionOp { readonly kind: 'alterExtension'; readonly name: string; readonly to: ExtensionChanges; readonly from?: ExtensionChanges }

const text = (c: ExtensionChanges | undefined) => (c === undefined ? '?' : [c.version !== undefined ? `version ${c.version}` : '', c.schema !== undefined ? `schema ${c.schema}` : ''].filter((x) => x !== '').join(', '));

export const alterExtension: OperationDef<AlterExtensionOp> = {
  inverse: (o) => {
    const from = o.from;
    const missing = Object.keys(o.to).find((k) => from === undefined || !(k in from));
    if (from === undefined || missing !== undefined) throw new IrreversibleOperationError(o, `the previous ${missing ?? 'version'} of extension "${o.name}" is not known`);
    return { kind: 'alterExtension', name: o.name, to: from, from: o.to };
  },
  table: () => null,
  describe: (o) => [`~ extension ${o.name}: ${text(o.from)} -> ${text(o.to)}`],
  render: (o) => renderExtensionOp(o),
  apply: (s, o) => {
    const before = s.extensions.get(o.name) ?? s.fail(o, `no extension "${o.name}"`);
    s.extensions.set(o.name, { ...before, ...o.to });
  },
};
