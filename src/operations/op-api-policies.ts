/**
 * The `op` methods for row-level security, which OperationRecorder spreads into its `op`: a table's switches and its
 * policies. A policy is given as the models give it (`{ on: 'film', for, to, using, withCheck, permissive }`).
 */
import { RetortError } from '../errors.js';
import type { SqlSpelling } from '../models/dsl.js';
import { policy, policyIR, type PolicyOptions } from '../models/policies.js';
import type { PolicyIR } from '../ir/ir.js';
import type { Operation } from './operations.js';

/** A policy's options in a revision file: its table by name. */
export interface PolicyOpOptions extends Omit<PolicyOptions, 'on'> {
  readonly on: string;
}

/** The row-level security methods of `op`. */
export interface PolicyOpApi {
  /** ALTER TABLE ... ENABLE ROW LEVEL SECURITY. */
  enableRls(table: string): void;
  /** ALTER TABLE ... DISABLE ROW LEVEL SECURITY. */
  disableRls(table: string): void;
  /** ALTER TABLE ... FORCE ROW LEVEL SECURITY (the owner is held to the policies too). */
  forceRls(table: string): void;
  /** ALTER TABLE ... NO FORCE ROW LEVEL SECURITY. */
  noForceRls(table: string): void;
  /** CREATE POLICY name ON table ... (the roles must exist: Retort does not create them). */
  createPolicy(name: string, options: PolicyOpOptions): void;
  dropPolicy(name: string, table: string): void;
  /** ALTER POLICY: the policy as it becomes (roles, using, withCheck; its command and kind stay). */
  alterPolicy(name: string, options: PolicyOpOptions): void;
}

function policyOf(name: string, options: PolicyOpOptions, spelling: SqlSpelling): PolicyIR {
  try {
    return policyIR(policy(name, options), 'op', spelling);
  } catch (e) {
    if (e instanceof RetortError) throw new RetortError('USAGE', e.message, { hint: e.hint ?? 'fix the policy options' });
    throw e;
  }
}

/** The row-level security methods over `push`. */
export function policyOpMethods(push: (o: Operation) => void, spelling: SqlSpelling): PolicyOpApi {
  return {
    enableRls: (table) => push({ kind: 'alterRls', table, setting: 'enable' }),
    disableRls: (table) => push({ kind: 'alterRls', table, setting: 'disable' }),
    forceRls: (table) => push({ kind: 'alterRls', table, setting: 'force' }),
    noForceRls: (table) => push({ kind: 'alterRls', table, setting: 'noForce' }),
    createPolicy: (name, options) => push({ kind: 'createPolicy', policy: policyOf(name, options, spelling) }),
    dropPolicy: (name, table) => push({ kind: 'dropPolicy', name, on: table, policy: null }),
    alterPolicy: (name, options) => push({ kind: 'alterPolicy', policy: policyOf(name, options, spelling), from: null }),
  };
}
