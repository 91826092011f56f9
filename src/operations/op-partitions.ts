/**
 * The `op` methods for partitioned tables and exclusion constraints (PostgreSQL), kept apart from op-api.ts, which
 * spreads them into the op object. Bounds and keys are written as models write them.
 */
import { RetortError } from '../errors.js';
import { sqlText, type ColumnRef, type PartitionBoundInput, type SqlExpr, type SqlSpelling, type TableExtra, tableDecl } from '../models/dsl.js';
import type { NamingConvention } from '../models/naming.js';
import { partitionBoundIR } from '../models/partitions.js';
import { resolveTable } from '../models/resolve.js';
import type { Operation } from './operations.js';

/** op.createExclusionConstraint's definition: the index method, each element as [column or expression, operator], and a WHERE. */
export interface ExclusionOptions {
  readonly using?: string;
  readonly elements: readonly (readonly [string | SqlExpr, string])[];
  readonly where?: string | SqlExpr;
}

/** The partition and exclusion methods of Op. */
export interface PartitionOps {
  /**
   * CREATE TABLE name PARTITION OF parent FOR VALUES ...: a partition with its parent's columns; `extras` declares
   * its own indexes and checks (`t.column` names a column of the parent).
   */
  createPartition(name: string, parent: string, bound: PartitionBoundInput, extras?: (t: Record<string, ColumnRef>) => readonly TableExtra[], options?: { comment?: string }): void;
  /** ALTER TABLE parent ATTACH PARTITION partition FOR VALUES ... (the table must have the parent's columns). */
  attachPartition(parent: string, partition: string, bound: PartitionBoundInput): void;
  /** ALTER TABLE parent DETACH PARTITION partition: the table stays, with its rows; give the bound to make it reversible. */
  detachPartition(parent: string, partition: string, bound?: PartitionBoundInput): void;
  /** ALTER TABLE ... ADD CONSTRAINT name EXCLUDE USING method (element WITH operator, ...) [WHERE (...)]. */
  createExclusionConstraint(name: string, table: string, definition: ExclusionOptions): void;
}

/** The partition methods, appending to the queue through `push`. */
export function partitionOps(push: (o: Operation) => void, spelling: SqlSpelling, naming: NamingConvention): PartitionOps {
  const bound = (b: PartitionBoundInput, where: string) => partitionBoundIR(b, spelling, where);
  return {
    createPartition: (name, parent, b, extras, options) => {
      // Any t.column names the parent's column of that name: the DSL does not know the parent's columns here.
      const refs = new Proxy({} as Record<string, ColumnRef>, { get: (_, column) => (typeof column === 'string' ? { __retort: 'columnRef', table: name, column } : undefined) });
      const decl = tableDecl(name, {}, {}, extras ? extras(refs) : [], { parent, bound: b });
      push({ kind: 'createTable', table: resolveTable(options?.comment ? decl.withComment(options.comment) : decl, spelling, naming) });
    },
    attachPartition: (parent, partition, b) => push({ kind: 'attachPartition', parent, partition, bound: bound(b, `op.attachPartition('${parent}', '${partition}')`) }),
    detachPartition: (parent, partition, b) => push({ kind: 'detachPartition', parent, partition, bound: b === undefined ? null : bound(b, `op.detachPartition('${parent}', '${partition}')`) }),
    createExclusionConstraint: (name, table, d) => {
      if (!Array.isArray(d?.elements) || d.elements.length === 0) {
        throw new RetortError('USAGE', `op.createExclusionConstraint('${name}', '${table}', ...): give elements: [[column or sql\`...\`, operator], ...]`, { hint: "write { using: 'gist', elements: [['room', '='], ['during', '&&']] }" });
      }
      push({
        kind: 'addConstraint',
        table,
        constraint: {
          kind: 'exclude',
          def: {
            name,
            method: (d.using ?? 'gist').toLowerCase(),
            elements: d.elements.map(([e, operator]) => ({ expression: sqlText(e, spelling), operator })),
            where: d.where === undefined ? null : sqlText(d.where, spelling),
          },
        },
      });
    },
  };
}

