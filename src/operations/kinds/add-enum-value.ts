/** addEnumValue: adds a value to an enum, placed before or after an existing value, or last. */
import { objectLiteral, opCall, quoteString as q } from '../../render/literal.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';
import type { Operation } from '../operations.js';

/**
 * `undo`, when known (autogenerate), holds the operations that take the value out again (an enum
 * rebuild): inverseAll() runs them, since no single operation can.
 */
export interface AddEnumValueOp { readonly kind: 'addEnumValue'; readonly name: string; readonly value: string; readonly before?: string; readonly after?: string; readonly undo?: readonly Operation[] }

export const addEnumValue: OperationDef<AddEnumValueOp> = {
  inverse: (o) => {
    // PostgreSQL cannot remove an enum value in place; autogenerate reverses a value change by rebuilding the type.
    throw new IrreversibleOperationError(o, 'an enum value cannot be removed in place; rebuild the type instead');
  },
  undo: (o) => o.undo ?? null,
  table: () => null,
  describe: (o) => [`+ enum value ${o.name}.'${o.value}'${o.after !== undefined ? ` after '${o.after}'` : o.before !== undefined ? ` before '${o.before}'` : ''}`],
  render: (o) => {
    const pos: [string, string][] = [];
    if (o.before !== undefined) pos.push(['before', q(o.before)]);
    if (o.after !== undefined) pos.push(['after', q(o.after)]);
    // Committed on its own: PostgreSQL refuses to use a new enum value (as a default, in a row) in the transaction that added it.
    const add = opCall('addEnumValue', q(o.name), q(o.value), ...(pos.length > 0 ? [objectLiteral(pos)] : [])).replace(/;$/, '');
    return `op.autocommitBlock((op) => ${add});`;
  },
  apply: (s, o) => {
    const e = s.enums.get(o.name) ?? s.fail(o, `no enum type "${o.name}"`);
    if (e.values.includes(o.value)) s.fail(o, `enum "${o.name}" already has the value "${o.value}"`);
    const values = [...e.values];
    const anchor = o.before ?? o.after;
    if (anchor === undefined) values.push(o.value);
    else {
      const i = values.indexOf(anchor);
      if (i < 0) s.fail(o, `enum "${o.name}" has no value "${anchor}"`);
      values.splice(o.before !== undefined ? i : i + 1, 0, o.value);
    }
    s.enums.set(o.name, { ...e, values });
  },
};
