/**
 * The object table() returns (models/dsl.ts declares its TableDecl interface): its parts as fields and its methods on
 * one shared prototype.
 */
import type { ColumnRef, ColumnSpec, TableDecl, TableExtra } from './dsl.js';
import { declared } from './declaration-order.js';

type Rls = NonNullable<TableDecl['rls']>;
// The four switch settings, shared: every table holds one of them rather than an object of its own.
export const RLS_OFF: Rls = Object.freeze({ enabled: false, forced: false });
const RLS_ON: Rls = Object.freeze({ enabled: true, forced: false });
const RLS_FORCED: Rls = Object.freeze({ enabled: false, forced: true });
const RLS_BOTH: Rls = Object.freeze({ enabled: true, forced: true });
const rlsOf = (enabled: boolean, forced: boolean): Rls => (enabled ? (forced ? RLS_BOTH : RLS_ON) : forced ? RLS_FORCED : RLS_OFF);

/**
 * A declared table as one object with its methods on a shared prototype, as dsl.ts's Column is: a model of thousands of
 * tables kept four closures and their context per table for methods a model file seldom calls.
 */
export class Table {
  declare readonly __retort: 'table';
  declare readonly tableName: string;
  declare readonly columnSpecs: Readonly<Record<string, ColumnSpec>>;
  declare readonly columns: Readonly<Record<string, ColumnRef>>;
  declare readonly extras: readonly TableExtra[];
  declare readonly comment: string | null;
  declare readonly previousName: string | null;
  declare readonly partition?: TableDecl['partition'];
  declare readonly rls: Rls;
  constructor(tableName: string, columnSpecs: Table['columnSpecs'], columns: Table['columns'], extras: readonly TableExtra[], comment: string | null, previousName: string | null, partition: TableDecl['partition'], rls: Rls) {
    this.__retort = 'table';
    this.tableName = tableName;
    this.columnSpecs = columnSpecs;
    this.columns = columns;
    this.extras = extras;
    this.comment = comment;
    this.previousName = previousName;
    // Absent, not undefined, for a table that is no partition (`'partition' in decl` says which).
    if (partition !== undefined) this.partition = partition;
    this.rls = rls;
    declared(this);
  }
  private with(comment: string | null, previousName: string | null, rls: Rls): Table {
    return new Table(this.tableName, this.columnSpecs, this.columns, this.extras, comment, previousName, this.partition, rls);
  }
  withComment(text: string): Table {
    return this.with(text, this.previousName, this.rls);
  }
  renamedFrom(oldName: string): Table {
    return this.with(this.comment, oldName, this.rls);
  }
  enableRls(): Table {
    return this.with(this.comment, this.previousName, rlsOf(true, this.rls.forced));
  }
  forceRls(): Table {
    return this.with(this.comment, this.previousName, rlsOf(this.rls.enabled, true));
  }
}
