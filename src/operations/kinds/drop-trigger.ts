/** dropTrigger: drops a trigger from its table. */
import type { TriggerIR } from '../../ir/routine.js';
import { triggerKey } from '../../ir/routine.js';
import { opCall, quoteString as q } from '../../render/literal.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';

/** `on` is the trigger's table; `trigger` the full definition when known (autogenerate), or null (hand-written). */
export interface DropTriggerOp { readonly kind: 'dropTrigger'; readonly name: string; readonly on: string; readonly trigger: TriggerIR | null }

export const dropTrigger: OperationDef<DropTriggerOp> = {
  inverse: (o) => {
    if (o.trigger === null) throw new IrreversibleOperationError(o, `the definition of trigger "${o.name}" on "${o.on}" is not known`);
    return { kind: 'createTrigger', trigger: o.trigger };
  },
  table: () => null,
  describe: (o) => [`- trigger ${o.name} on ${o.on}`],
  render: (o) => opCall('dropTrigger', q(o.name), q(o.on)),
  apply: (s, o) => {
    const key = triggerKey({ table: o.on, name: o.name });
    const t = s.triggers.get(key) ?? s.fail(o, `no trigger "${o.name}" on "${o.on}"`);
    s.sameAs(o, `trigger "${o.name}"`, o.trigger, t);
    s.triggers.delete(key);
  },
};
