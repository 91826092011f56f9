/**
 * The policy comparator, row-level security switches, and the placing of policy operations around everything else.
 *
 * Policies go around the table and view changes as views do (compare-views.ts): dropped first, created and altered
 * last, so a policy's expressions always find the columns (and the tables of its subqueries) they name. A policy in
 * the way of a table change is moved out of the way, dropped before and created again after from its declared
 * definition, in the same revision: PostgreSQL refuses to change the type of, or drop, a column a policy uses ("cannot
 * alter type of a column used in a policy definition"). Without reading its SQL, every policy of a table whose column
 * types change or whose columns go is moved (an added column is no obstacle either way: the downgrade reverts the
 * policies before it drops the column), and so is a policy that calls a function dropped and created again. A changed
 * policy is altered in place (ALTER POLICY: roles, USING, WITH CHECK) where it can be, else dropped and created.
 *
 * A table's switches (ENABLE / FORCE ROW LEVEL SECURITY) are operations of their own, never part of createTable or
 * dropTable: a new table is created, then switched on; a table that goes is switched off first, so the way back (its
 * creation) switches it on again.
 */
import type { PolicyIR, SchemaIR, TableIR } from '../ir/ir.js';
import { alterableInPlace, samePolicy } from '../ir/policy.js';
import { enumNameOf } from '../ir/ir.js';
import type { Operation } from '../operations/operations.js';
import type { RlsSwitch } from '../operations/kinds/alter-rls.js';

const key = (p: PolicyIR) => `${p.table}\u0000${p.name}`;
const drop = (p: PolicyIR): Operation => ({ kind: 'dropPolicy', name: p.name, on: p.table, policy: p });
const create = (p: PolicyIR): Operation => ({ kind: 'createPolicy', policy: p });

/** A table without its switches, as createTable and dropTable carry it. */
export function withoutRls(t: TableIR): TableIR {
  if (t.rlsEnabled === undefined && t.rlsForced === undefined) return t;
  const { rlsEnabled: _e, rlsForced: _f, ...rest } = t;
  return rest;
}

/** The switch operations that take table `from`'s row-level security to `to`'s (null: a table that is not there). */
export function rlsChanges(name: string, from: TableIR | null, to: TableIR | null): Operation[] {
  const out: Operation[] = [];
  const flip = (was: boolean, now: boolean, on: RlsSwitch, off: RlsSwitch) => {
    if (was !== now) out.push({ kind: 'alterRls', table: name, setting: now ? on : off });
  };
  flip(from?.rlsEnabled === true, to?.rlsEnabled === true, 'enable', 'disable');
  flip(from?.rlsForced === true, to?.rlsForced === true, 'force', 'noForce');
  return out;
}

/** Tables whose columns an operation changes in a way PostgreSQL refuses under a policy that uses them, in one direction or the other. */
function blockedTables(ops: readonly Operation[]): Set<string> {
  const out = new Set<string>();
  for (const o of ops) {
    if (o.kind === 'dropTable') out.add(o.name);
    // An added column is no obstacle: the way back reverts the policies before it drops the column.
    else if (o.kind === 'dropColumn') out.add(o.table);
    else if (o.kind === 'alterColumn' && o.to.type !== undefined) out.add(o.table);
  }
  return out;
}

/**
 * The operations that turn `from`'s policies into `to`'s around `innerOps` (the table, view and enum changes between
 * the same two schemas, policies left out), in runnable order.
 */
export function placePolicies(from: SchemaIR, to: SchemaIR, innerOps: readonly Operation[], forced: ReadonlySet<string> = new Set()): Operation[] {
  const live = from.policies ?? [];
  const declared = to.policies ?? [];
  if (live.length === 0 && declared.length === 0) return [...innerOps];
  const declaredByKey = new Map(declared.map((p) => [key(p), p]));
  const liveByKey = new Map(live.map((p) => [key(p), p]));
  const blocked = blockedTables(innerOps);
  // `forced`: policies that call a function dropped (and perhaps created again), from compare-routines.ts.
  const inTheWay = (p: PolicyIR) => blocked.has(p.table) || forced.has(key(p));
  const drops: Operation[] = [];
  const after: Operation[] = [];
  // The live policies present while innerOps run (dropped ones are not: an enum value's undo must not drop them again).
  const staying: PolicyIR[] = [];
  for (const p of live) {
    const d = declaredByKey.get(key(p));
    if (d === undefined) drops.push(drop(p));
    else if (inTheWay(p) || (!samePolicy(p, d) && !alterableInPlace(p, d))) {
      drops.push(drop(p));
      after.push(create(d));
    } else {
      staying.push(p);
      if (!samePolicy(p, d)) after.push({ kind: 'alterPolicy', policy: d, from: p });
    }
  }
  for (const d of declared) if (!liveByKey.has(key(d))) after.push(create(d));
  return [...drops, ...innerOps.map((o) => withPoliciesAroundUndo(o, staying, from.tables)), ...after];
}

/** An added enum value's undo (the type rebuilt), with the policies of the tables using the type dropped and created around it. */
function withPoliciesAroundUndo(o: Operation, policies: readonly PolicyIR[], tables: readonly TableIR[]): Operation {
  if (o.kind !== 'addEnumValue' || o.undo === undefined || policies.length === 0) return o;
  const using = new Set([...blockedTables(o.undo), ...tables.filter((t) => t.columns.some((c) => enumNameOf(c.type) === o.name)).map((t) => t.name)]);
  const around = policies.filter((p) => using.has(p.table));
  if (around.length === 0) return o;
  return { ...o, undo: [...around.map(drop), ...o.undo, ...around.map(create)] };
}
