/** createTrigger: creates a trigger on a table (PostgreSQL: executing a function; SQLite: with its body). */
import type { TriggerIR } from '../../ir/routine.js';
import { triggerKey } from '../../ir/routine.js';
import { renderTriggerCall } from '../../render/render-routines.js';
import type { OperationDef } from '../operation-def.js';

export interface CreateTriggerOp { readonly kind: 'createTrigger'; readonly trigger: TriggerIR }

export const createTrigger: OperationDef<CreateTriggerOp> = {
  inverse: (o) => ({ kind: 'dropTrigger', name: o.trigger.name, on: o.trigger.table, trigger: o.trigger }),
  table: () => null,
  describe: (o) => [`+ trigger ${o.trigger.name} on ${o.trigger.table}`],
  render: (o, ctx) => renderTriggerCall(o.trigger, ctx.imports),
  apply: (s, o) => {
    const t = o.trigger;
    if (!s.tables.has(t.table) && !s.views.has(t.table)) s.fail(o, `no table "${t.table}" for trigger "${t.name}"`);
    if (s.triggers.has(triggerKey(t))) s.fail(o, `trigger "${t.name}" on "${t.table}" already exists`);
    s.triggers.set(triggerKey(t), t);
  },
};
