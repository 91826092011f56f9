/**
 * Operations are data: one tagged union that autogenerate produces, revision
 * files build through the `op` API, the renderer prints and each dialect
 * compiles to SQL. Every operation that changes something carries enough of
 * the state before it (`from`, or the whole dropped object) for `inverse()` to
 * compute the way back, so a downgrade is never written twice.
 *
 * This file is the registry: each kind is defined once, in `kinds/<kind>.ts`
 * (its shape, inverse, table, summary line, TypeScript rendering and what it
 * does to the IR; see operation-def.ts), and listed here twice, in the union
 * and in the typed map of definitions, which fails to compile until every
 * kind of the union has a complete definition.
 */
import type { OperationDef } from './operation-def.js';
import { addColumn, type AddColumnOp } from './kinds/add-column.js';
import { addConstraint, type AddConstraintOp } from './kinds/add-constraint.js';
import { addEnumValue, type AddEnumValueOp } from './kinds/add-enum-value.js';
import { alterColumn, type AlterColumnOp } from './kinds/alter-column.js';
import { createEnum, type CreateEnumOp } from './kinds/create-enum.js';
import { createIndex, type CreateIndexOp } from './kinds/create-index.js';
import { createTable, type CreateTableOp } from './kinds/create-table.js';
import { dropColumn, type DropColumnOp } from './kinds/drop-column.js';
import { dropConstraint, type DropConstraintOp } from './kinds/drop-constraint.js';
import { dropEnum, type DropEnumOp } from './kinds/drop-enum.js';
import { dropIndex, type DropIndexOp } from './kinds/drop-index.js';
import { dropTable, type DropTableOp } from './kinds/drop-table.js';
import { execute, type ExecuteOp } from './kinds/execute.js';
import { renameEnum, type RenameEnumOp } from './kinds/rename-enum.js';
import { renameEnumValue, type RenameEnumValueOp } from './kinds/rename-enum-value.js';
import { renameTable, type RenameTableOp } from './kinds/rename-table.js';
import { setTableComment, type SetTableCommentOp } from './kinds/set-table-comment.js';
import { renameIndex, type RenameIndexOp } from './kinds/rename-index.js';
import { renameConstraint, type RenameConstraintOp } from './kinds/rename-constraint.js';
import { renameSequence, type RenameSequenceOp } from './kinds/rename-sequence.js';
import { renameView, type RenameViewOp } from './kinds/rename-view.js';
import { createSequence, type CreateSequenceOp } from './kinds/create-sequence.js';
import { alterSequence, type AlterSequenceOp } from './kinds/alter-sequence.js';
import { dropSequence, type DropSequenceOp } from './kinds/drop-sequence.js';
import { createView, type CreateViewOp } from './kinds/create-view.js';
import { dropView, type DropViewOp } from './kinds/drop-view.js';
import { replaceView, type ReplaceViewOp } from './kinds/replace-view.js';
import { refreshMaterializedView, type RefreshMaterializedViewOp } from './kinds/refresh-materialized-view.js';
import { validateConstraint, type ValidateConstraintOp } from './kinds/validate-constraint.js';
import { createFunction, type CreateFunctionOp } from './kinds/create-function.js';
import { dropFunction, type DropFunctionOp } from './kinds/drop-function.js';
import { replaceFunction, type ReplaceFunctionOp } from './kinds/replace-function.js';
import { createTrigger, type CreateTriggerOp } from './kinds/create-trigger.js';
import { dropTrigger, type DropTriggerOp } from './kinds/drop-trigger.js';
import { createDomain, type CreateDomainOp } from './kinds/create-domain.js';
import { alterDomain, type AlterDomainOp } from './kinds/alter-domain.js';
import { dropDomain, type DropDomainOp } from './kinds/drop-domain.js';
import { validateDomainCheck, type ValidateDomainCheckOp } from './kinds/validate-domain-check.js';
import { createExtension, type CreateExtensionOp } from './kinds/create-extension.js';
import { alterExtension, type AlterExtensionOp } from './kinds/alter-extension.js';
import { dropExtension, type DropExtensionOp } from './kinds/drop-extension.js';
import { setComment, type SetCommentOp } from './kinds/set-comment.js';
import { attachPartition, type AttachPartitionOp } from './kinds/attach-partition.js';
import { detachPartition, type DetachPartitionOp } from './kinds/detach-partition.js';
import { alterRls, type AlterRlsOp } from './kinds/alter-rls.js';
import { createPolicy, type CreatePolicyOp } from './kinds/create-policy.js';
import { dropPolicy, type DropPolicyOp } from './kinds/drop-policy.js';
import { alterPolicy, type AlterPolicyOp } from './kinds/alter-policy.js';
import { createSchema, type CreateSchemaOp } from './kinds/create-schema.js';
import { dropSchema, type DropSchemaOp } from './kinds/drop-schema.js';

export { IrreversibleOperationError, type ColumnChanges, type ConstraintDef, type ConstraintKind } from './operation-def.js';

export type Operation =
  | CreateTableOp | DropTableOp | RenameTableOp | SetTableCommentOp
  | AddColumnOp | DropColumnOp | AlterColumnOp
  | CreateIndexOp | DropIndexOp | RenameIndexOp
  | AddConstraintOp | DropConstraintOp | ValidateConstraintOp | RenameConstraintOp
  | CreateEnumOp | DropEnumOp | RenameEnumOp | RenameEnumValueOp | AddEnumValueOp
  | CreateSequenceOp | AlterSequenceOp | DropSequenceOp | RenameSequenceOp
  | CreateDomainOp | AlterDomainOp | DropDomainOp | ValidateDomainCheckOp
  | CreateExtensionOp | AlterExtensionOp | DropExtensionOp
  | SetCommentOp
  | ExecuteOp
  | CreateViewOp | DropViewOp | ReplaceViewOp | RefreshMaterializedViewOp | RenameViewOp
  | CreateFunctionOp | DropFunctionOp | ReplaceFunctionOp | CreateTriggerOp | DropTriggerOp
  | AttachPartitionOp | DetachPartitionOp
  | AlterRlsOp | CreatePolicyOp | DropPolicyOp | AlterPolicyOp
  | CreateSchemaOp | DropSchemaOp;

export type OperationKind = Operation['kind'];
export type OperationOf<K extends OperationKind> = Extract<Operation, { kind: K }>;

/** OperationDefs is the registry's type: one complete definition for every kind of the union. */
export type OperationDefs = { readonly [K in OperationKind]: OperationDef<OperationOf<K>> };

/** The definition of every operation kind, by kind. */
export const operationDefs: OperationDefs = {
  createTable, dropTable, renameTable, setTableComment,
  addColumn, dropColumn, alterColumn,
  createIndex, dropIndex, renameIndex,
  addConstraint, dropConstraint, validateConstraint, renameConstraint,
  createEnum, dropEnum, renameEnum, renameEnumValue, addEnumValue,
  createSequence, alterSequence, dropSequence, renameSequence,
  createDomain, alterDomain, dropDomain, validateDomainCheck,
  createExtension, alterExtension, dropExtension,
  setComment,
  execute,
  createView, dropView, replaceView, refreshMaterializedView, renameView,
  createFunction, dropFunction, replaceFunction, createTrigger, dropTrigger,
  attachPartition, detachPartition,
  alterRls, createPolicy, dropPolicy, alterPolicy,
  createSchema, dropSchema,
};

/** The definition of `o`'s kind, typed for `o`. */
export function definitionOf<O extends Operation>(o: O): OperationDef<O> {
  return operationDefs[o.kind] as unknown as OperationDef<O>;
}

/** Returns the operation that undoes `o`, or throws IrreversibleOperationError. */
export function inverse(o: Operation): Operation {
  return definitionOf(o).inverse(o);
}

/** Reverses a whole list: each operation inverted, in reverse order (an addEnumValue by its `undo` operations). */
export function inverseAll(ops: readonly Operation[]): Operation[] {
  return ops.flatMap((o) => {
    const undo = definitionOf(o).undo?.(o) ?? null;
    return undo ? [...undo].reverse() : [inverse(o)];
  }).reverse();
}

/** The table an operation acts on, or null for schema-level operations (enums, raw SQL). */
export function tableOf(o: Operation): string | null {
  return definitionOf(o).table(o);
}
