/**
 * alterRls: one of a table's row-level security switches (op.enableRls / disableRls / forceRls / noForceRls). Each
 * is the inverse of its counterpart.
 */
import { opCall, quoteString as q } from '../../render/literal.js';
import type { TableIR } from '../../ir/ir.js';
import type { OperationDef } from '../operation-def.js';

/** The four switches: ENABLE / DISABLE / FORCE / NO FORCE ROW LEVEL SECURITY. */
export type RlsSwitch = 'enable' | 'disable' | 'force' | 'noForce';

export interface AlterRlsOp { readonly kind: 'alterRls'; readonly table: string; readonly setting: RlsSwitch }

const OPPOSITE: Record<RlsSwitch, RlsSwitch> = { enable: 'disable', disable: 'enable', force: 'noForce', noForce: 'force' };
const METHOD: Record<RlsSwitch, string> = { enable: 'enableRls', disable: 'disableRls', force: 'forceRls', noForce: 'noForceRls' };
const WORDS: Record<RlsSwitch, string> = { enable: 'row-level security enabled', disable: 'row-level security disabled', force: 'row-level security forced', noForce: 'row-level security no longer forced' };

/** A table with one switch set. */
export function withRls(t: TableIR, setting: RlsSwitch): TableIR {
  const { rlsEnabled: _e, rlsForced: _f, ...rest } = t;
  const enabled = setting === 'enable' ? true : setting === 'disable' ? false : t.rlsEnabled === true;
  const forced = setting === 'force' ? true : setting === 'noForce' ? false : t.rlsForced === true;
  return { ...rest, ...(enabled ? { rlsEnabled: true } : {}), ...(forced ? { rlsForced: true } : {}) };
}

export const alterRls: OperationDef<AlterRlsOp> = {
  inverse: (o) => ({ kind: 'alterRls', table: o.table, setting: OPPOSITE[o.setting] }),
  table: (o) => o.table,
  describe: (o) => [`~ table ${o.table}: ${WORDS[o.setting]}`],
  render: (o) => opCall(METHOD[o.setting], q(o.table)),
  applyTable: (t, o) => withRls(t, o.setting),
  check: (s, o, before) => {
    // Strict: a switch that is already in place would make its inverse wrong.
    const on = o.setting === 'enable' || o.setting === 'disable' ? before.rlsEnabled === true : before.rlsForced === true;
    if (s.strict && on === (o.setting === 'enable' || o.setting === 'force')) s.fail(o, `row-level security of "${o.table}" is already ${o.setting === 'enable' || o.setting === 'force' ? 'on' : 'off'}`);
  },
};
