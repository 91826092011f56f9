/**
 * The `op` API that revision files call. Each call appends an Operation to a
 * queue and returns at once, so revision code needs no `await` per call; the
 * runner compiles and runs the queue when the function returns, and
 * `ctx.query()` flushes it first, so a data migration between two calls sees
 * the schema the calls before it produced. Argument order follows Alembic's
 * (`createIndex(name, table, columns)`), which our users already know.
 */
import { RetortError } from '../errors.js';
import { defaultToSql, isColumnBuilder, isSqlExpr, sqlText, type ColumnBuilder, type ReferenceOptions, type SqlExpr, type SqlSpelling, type TableExtra, declareTable, type ColumnRef } from '../models/dsl.js';
import { defaultNaming, applyNaming, type NamingConvention } from '../models/naming.js';
import { deferrability, indexOptions, referentialAction, resolveTable } from '../models/resolve.js';
import type { ColumnChanges, ConstraintKind, Operation } from './operations.js';
import { sequenceOps, type SequenceOps } from './op-sequences.js';
import { identityIR } from '../models/sequence-options.js';
import type { SequenceOptionsInput } from '../models/dsl.js';
import { viewOpMethods, type ViewOpApi } from './op-api-views.js';
import { routineOpMethods, type RoutineOpApi } from './op-api-routines.js';
import { domainOps, type DomainOps } from './op-domains.js';
import { partitionOps, type PartitionOps } from './op-partitions.js';
import { policyOpMethods, type PolicyOpApi } from './op-api-policies.js';

type DefaultValue = string | number | boolean | SqlExpr | null;

/** The facets of a column as they were, for `existing:` in alterColumn. */
export interface ExistingColumn {
  readonly type?: ColumnBuilder;
  readonly nullable?: boolean;
  readonly serverDefault?: DefaultValue;
  readonly comment?: string | null;
  /** GENERATED ALWAYS (`always: true`) or BY DEFAULT AS IDENTITY with its sequence options; null for none (PostgreSQL). */
  readonly identity?: (SequenceOptionsInput & { readonly always: boolean }) | null;
  /** Whether the database numbers the column as serial does (a sequence the column owns and its nextval() default). */
  readonly autoIncrement?: boolean;
  /** The column's collation (`'C'`; SQLite: BINARY, NOCASE, RTRIM); null for the type's default. */
  readonly collation?: string | null;
}

export interface AlterColumnOptions extends ExistingColumn {
  /** New column name. */
  readonly newName?: string;
  /** SQL converting old values on a type change (PostgreSQL USING); write the column's name in it. */
  readonly using?: string;
  /** The column as it was, so the change can be shown and reversed. */
  readonly existing?: ExistingColumn;
}

export interface IndexOptions {
  readonly unique?: boolean;
  readonly where?: string | SqlExpr;
  /** The index method (PostgreSQL: `gin`, `gist`, `brin`, `hash`...); SQLite creates a plain index. */
  readonly using?: string;
  /** Non-key columns stored in the index (PostgreSQL's INCLUDE); left out on SQLite. */
  readonly include?: readonly string[];
  /** A unique index whose NULLs count as equal (PostgreSQL 15+ NULLS NOT DISTINCT). */
  readonly nullsNotDistinct?: boolean;
  /** Build without blocking writes (PostgreSQL CREATE INDEX CONCURRENTLY): only inside op.autocommitBlock(). */
  readonly concurrently?: boolean;
}

/** Options of a constraint added to a table in use. */
export interface NotValidOption {
  /**
   * Add it without checking the rows already there (PostgreSQL NOT VALID: new and updated rows are checked at
   * once), then check those with op.validateConstraint() after this transaction commits.
   */
  readonly notValid?: boolean;
}

/** The operations a revision file can ask for. */
export interface Op extends SequenceOps, ViewOpApi, RoutineOpApi, DomainOps, PartitionOps, PolicyOpApi {
  createTable(name: string, columns: Record<string, ColumnBuilder>, extras?: (t: Record<string, ColumnRef>) => readonly TableExtra[], options?: { comment?: string }): void;
  dropTable(name: string): void;
  renameTable(from: string, to: string): void;
  setTableComment(table: string, comment: string | null): void;
  addColumn(table: string, name: string, column: ColumnBuilder): void;
  dropColumn(table: string, name: string): void;
  alterColumn(table: string, column: string, changes: AlterColumnOptions): void;
  /** `columns` are column names or expressions: `['email']`, `[sql\`lower(email)\`]` (a string that is not a column is an expression too). */
  createIndex(name: string, table: string, columns: readonly (string | SqlExpr)[], options?: IndexOptions): void;
  /** `concurrently`: without blocking writes (PostgreSQL DROP INDEX CONCURRENTLY), only inside op.autocommitBlock(). */
  dropIndex(name: string, table: string, options?: { readonly concurrently?: boolean }): void;
  /** Renames an index of `table` (SQLite, which cannot: dropped and created again under the new name). */
  renameIndex(table: string, from: string, to: string): void;
  /** `deferrable`: DEFERRABLE INITIALLY IMMEDIATE (`'immediate'`, `true`) or DEFERRED (PostgreSQL). */
  createPrimaryKey(name: string | null, table: string, columns: readonly string[], options?: { readonly deferrable?: boolean | 'immediate' | 'deferred' }): void;
  /**
   * `usingIndex`: take over that unique index (built concurrently before) as the constraint's, instead of building one
   * under a lock. `deferrable`: as on createPrimaryKey.
   */
  createUniqueConstraint(name: string | null, table: string, columns: readonly string[], options?: { readonly nullsNotDistinct?: boolean; readonly deferrable?: boolean | 'immediate' | 'deferred'; readonly usingIndex?: string }): void;
  createForeignKey(name: string | null, table: string, refTable: string, columns: readonly string[], refColumns: readonly string[], options?: ReferenceOptions & NotValidOption): void;
  createCheckConstraint(name: string, table: string, condition: string | SqlExpr, options?: NotValidOption): void;
  /**
   * Checks the rows already in `table` against constraint `name`, added with `notValid` in an earlier
   * transaction, under a lock that lets reads and writes go on (PostgreSQL VALIDATE CONSTRAINT). SQLite: nothing to do.
   */
  validateConstraint(name: string, table: string): void;
  dropConstraint(name: string, table: string, kind?: ConstraintKind): void;
  /** Renames a named constraint of `table` (unique, check, foreign or primary key); SQLite rebuilds the table. */
  renameConstraint(table: string, from: string, to: string): void;
  createEnum(name: string, values: readonly string[]): void;
  dropEnum(name: string): void;
  renameEnum(from: string, to: string): void;
  /** Renames a value of an enum; rows that hold it keep it under the new name. */
  renameEnumValue(name: string, from: string, to: string): void;
  addEnumValue(name: string, value: string, position?: { before?: string; after?: string }): void;
  /** Raw SQL, run as written (parameters in the dialect's placeholder style). */
  execute(sql: string | SqlExpr, params?: readonly unknown[]): void;
  /** Appends an Operation object as it is (used by generated code and plugins). */
  run(operation: Operation): void;
  /**
   * Runs the operations `fn` adds outside the migration's transaction: the work
   * so far is committed first and a new transaction opens after. For statements
   * PostgreSQL refuses inside a transaction (CREATE INDEX CONCURRENTLY) or whose
   * effect must be committed before use (a value added to an enum). Write them
   * so that running them twice is harmless (IF NOT EXISTS): the revision is
   * recorded as applied only when its last transaction commits.
   */
  autocommitBlock(fn: (op: Op) => void): void;
}

/** A run of operations that share a transaction, or run outside any (`autocommit`). */
export interface OperationSegment {
  readonly autocommit: boolean;
  readonly ops: Operation[];
}

/** Builds the Op API over a queue of operations. */
export class OperationRecorder {
  private queue: Operation[] = [];
  private segments: OperationSegment[] = [];
  private inAutocommit = false;
  readonly op: Op;

  /**
   * `spelling` writes the sql`` fragments revision code passes in (the running dialect's quoting). `observe`, when
   * given, sees each operation as the revision's call adds it, on the call's stack (lint records the call's line).
   */
  constructor(
    private readonly spelling: SqlSpelling,
    private readonly naming: NamingConvention = defaultNaming,
    private readonly observe?: (op: Operation) => void,
  ) {
    this.op = this.makeOp();
  }

  /** Takes the operations recorded so far, leaving the queue empty. */
  drain(): Operation[] {
    return this.drainSegments().flatMap((s) => s.ops);
  }

  /** Takes the operations recorded so far as segments, in order. */
  drainSegments(): OperationSegment[] {
    this.cut();
    const out = this.segments;
    this.segments = [];
    return out;
  }

  private cut(): void {
    if (this.queue.length > 0) this.segments.push({ autocommit: this.inAutocommit, ops: this.queue });
    this.queue = [];
  }

  private push(...ops: Operation[]): void {
    this.queue.push(...ops);
    if (this.observe) for (const op of ops) this.observe(op);
  }

  private makeOp(): Op {
    const naming = this.naming;
    const spelling = this.spelling;
    const text = (v: string | SqlExpr) => sqlText(v, spelling);
    const push = (...ops: Operation[]) => {
      // From JavaScript, or past a cast: an operation on a table needs the table's name (op.dropIndex('ix') has none).
      for (const o of ops) {
        // createTable's and dropTable's `table` is an IR (or null), not a name.
        if (o.kind === 'createTable' || o.kind === 'dropTable' || !('table' in o)) continue;
        if (typeof o.table !== 'string' || o.table === '') {
          throw new RetortError('USAGE', `op.${o.kind}(): the table's name is missing (got ${o.table === '' ? 'an empty string' : typeof o.table})`, { hint: 'see docs/reference/op.md for its arguments, in Alembic\'s order: op.dropIndex(name, table)' });
        }
      }
      this.push(...ops);
    };
    // The table, column, index, constraint and enum methods are this literal; the other object kinds' methods come
    // from its prototype, each kind's group built on first use (see KIND_METHODS). A recorder is built per revision
    // step, and most revisions call none of them.
    const core: CoreOp & { readonly [OP_STATE]: OpState } = {
      createTable: (name, columns, extras, options) => {
        const decl = declareTable(name, columns, extras);
        const t = resolveTable(options?.comment ? decl.withComment(options.comment) : decl, spelling, naming);
        push({ kind: 'createTable', table: t });
      },
      dropTable: (name) => push({ kind: 'dropTable', name, table: null }),
      renameTable: (from, to) => push({ kind: 'renameTable', from, to }),
      setTableComment: (t, comment) => push({ kind: 'setTableComment', table: t, comment }),
      addColumn: (t, name, column) => {
        if (!isColumnBuilder(column)) throw new RetortError('USAGE', `op.addColumn('${t}', '${name}', ...): the third argument must be a column such as integer()`);
        // Column-level unique/index/references become their own operations, as in createTable.
        const resolved = resolveTable(declareTable(t, { [name]: column }), spelling, naming);
        const col = resolved.columns[0]!;
        push({ kind: 'addColumn', table: t, column: col });
        for (const u of resolved.uniques) push({ kind: 'addConstraint', table: t, constraint: { kind: 'unique', def: u } });
        for (const fk of resolved.foreignKeys) push({ kind: 'addConstraint', table: t, constraint: { kind: 'foreignKey', def: fk } });
        for (const ix of resolved.indexes) push({ kind: 'createIndex', table: t, index: ix });
      },
      dropColumn: (t, name) => push({ kind: 'dropColumn', table: t, name, column: null }),
      alterColumn: (t, column, changes) => {
        const to = columnChanges(changes, spelling);
        if (Object.keys(to).length === 0) throw new RetortError('USAGE', `op.alterColumn('${t}', '${column}', {...}): say what changes (type, nullable, serverDefault, comment, identity or newName)`);
        const from = changes.existing ? columnChanges(changes.existing, spelling) : undefined;
        push(from ? { kind: 'alterColumn', table: t, column, to, from } : { kind: 'alterColumn', table: t, column, to });
      },
      createIndex: (name, t, columns, options = {}) =>
        push({
          kind: 'createIndex',
          table: t,
          ...(options.concurrently ? { concurrently: true } : {}),
          index: {
            name,
            columns: columns.map((c) => indexKey(name, c, spelling)),
            unique: options.unique ?? false,
            where: options.where === undefined ? null : text(options.where),
            ...indexOptions(options.using, options.include),
            ...(options.nullsNotDistinct === true ? { nullsNotDistinct: true } : {}),
          },
        }),
      dropIndex: (name, t, options = {}) => push({ kind: 'dropIndex', table: t, name, index: null, ...(options.concurrently ? { concurrently: true } : {}) }),
      renameIndex: (t, from, to) => push({ kind: 'renameIndex', table: t, from, to }),
      renameConstraint: (t, from, to) => push({ kind: 'renameConstraint', table: t, from, to }),
      createPrimaryKey: (name, t, columns, options = {}) =>
        push({ kind: 'addConstraint', table: t, constraint: { kind: 'primaryKey', def: { name: name ?? applyNaming(naming.pk, { table: t, columns }), columns, ...deferrability(options.deferrable, `op.createPrimaryKey on "${t}"`) } } }),
      createUniqueConstraint: (name, t, columns, options = {}) =>
        push({
          kind: 'addConstraint',
          table: t,
          constraint: {
            kind: 'unique',
            def: {
              name: name ?? applyNaming(naming.unique, { table: t, columns }),
              columns,
              ...(options.nullsNotDistinct === true ? { nullsNotDistinct: true } : {}),
              ...deferrability(options.deferrable, `op.createUniqueConstraint on "${t}"`),
            },
          },
          ...(options.usingIndex !== undefined ? { usingIndex: options.usingIndex } : {}),
        }),
      createForeignKey: (name, t, refTable, columns, refColumns, options = {}) => {
        const where = `op.createForeignKey on "${t}"`;
        push({
          kind: 'addConstraint',
          table: t,
          ...(options.notValid ? { notValid: true } : {}),
          constraint: {
            kind: 'foreignKey',
            def: {
              name: name ?? applyNaming(naming.foreignKey, { table: t, columns, refTable }),
              columns,
              refTable,
              refColumns,
              onDelete: referentialAction(options.onDelete, where),
              onUpdate: referentialAction(options.onUpdate, where),
              ...deferrability(options.deferrable, where),
            },
          },
        });
      },
      createCheckConstraint: (name, t, condition, options = {}) =>
        push({ kind: 'addConstraint', table: t, constraint: { kind: 'check', def: { name, expression: text(condition) } }, ...(options.notValid ? { notValid: true } : {}) }),
      validateConstraint: (name, t) => push({ kind: 'validateConstraint', table: t, name }),
      dropConstraint: (name, t, kind) => push({ kind: 'dropConstraint', table: t, name, constraintKind: kind ?? null, constraint: null }),
      createEnum: (name, values) => push({ kind: 'createEnum', enum: { name, values: [...values] } }),
      dropEnum: (name) => push({ kind: 'dropEnum', name, enum: null }),
      renameEnum: (from, to) => push({ kind: 'renameEnum', from, to }),
      renameEnumValue: (name, from, to) => push({ kind: 'renameEnumValue', name, from, to }),
      addEnumValue: (name, value, position = {}) => push({ kind: 'addEnumValue', name, value, ...position }),
      execute: (statement, params) => {
        const sql = text(statement);
        push(params ? { kind: 'execute', sql, params } : { kind: 'execute', sql });
      },
      run: (operation) => push(operation),
      autocommitBlock: (fn) => {
        if (this.inAutocommit) throw new RetortError('USAGE', 'op.autocommitBlock() cannot be nested');
        this.cut();
        this.inAutocommit = true;
        try {
          fn(this.op);
        } finally {
          this.cut();
          this.inAutocommit = false;
        }
      },
      [OP_STATE]: { push, text, spelling, naming, groups: [] },
    };
    return Object.setPrototypeOf(core, KIND_METHODS) as Op;
  }
}

type KindOps = ViewOpApi & SequenceOps & RoutineOpApi & PolicyOpApi & DomainOps & PartitionOps;
type CoreOp = Omit<Op, keyof KindOps>;

/** What an `op` object's kind methods are built from, and the groups built so far (by index in KIND_GROUPS). */
interface OpState {
  readonly push: (...ops: Operation[]) => void;
  readonly text: (v: string | SqlExpr) => string;
  readonly spelling: SqlSpelling;
  readonly naming: NamingConvention;
  readonly groups: (Partial<KindOps> | undefined)[];
}

const OP_STATE = Symbol('retort op state');

/** The method groups of the object kinds, each from its own module. */
const KIND_GROUPS: readonly ((s: OpState) => Partial<KindOps>)[] = [
  (s) => viewOpMethods(s.push, s.text),
  (s) => sequenceOps(s.push),
  (s) => routineOpMethods(s.push, s.text),
  (s) => policyOpMethods(s.push, s.spelling),
  (s) => domainOps(s.push, s.spelling),
  (s) => partitionOps(s.push, s.spelling, s.naming),
];

/**
 * The prototype of every `op`: a getter per kind method that builds the method's group for that `op` on first use
 * and returns the group's function (a closure, so `const { createView } = op` works as before). Building all six
 * groups into every `op` cost about 0.1 ms per revision step (1000 steps: 100 ms of a 1 s `upgrade head --sql`),
 * and `Object.assign` of their 40 methods onto the literal turned each `op` into a slow dictionary object.
 */
const KIND_METHODS: object = (() => {
  const proto = {};
  const sample: OpState = { push: () => undefined, text: () => '', spelling: { quoteIdentifier: (n) => n, quoteLiteral: (v) => v }, naming: defaultNaming, groups: [] };
  KIND_GROUPS.forEach((group, i) => {
    for (const name of Object.keys(group(sample)) as (keyof KindOps)[]) {
      Object.defineProperty(proto, name, {
        get(this: { readonly [OP_STATE]: OpState }) {
          const state = this[OP_STATE];
          return (state.groups[i] ??= group(state))[name];
        },
        enumerable: true,
        configurable: true,
      });
    }
  });
  return proto;
})();

function columnChanges(c: AlterColumnOptions | ExistingColumn, spelling: SqlSpelling): ColumnChanges {
  const out: { -readonly [K in keyof ColumnChanges]: ColumnChanges[K] } = {};
  if (c.type !== undefined) out.type = c.type.spec.type;
  if (c.nullable !== undefined) out.nullable = c.nullable;
  if (c.serverDefault !== undefined) {
    const d = defaultToSql(c.serverDefault);
    out.serverDefault = d === null ? null : sqlText(d, spelling);
  }
  if (c.comment !== undefined) out.comment = c.comment;
  if (c.autoIncrement !== undefined) out.autoIncrement = c.autoIncrement;
  if (c.identity !== undefined) out.identity = c.identity === null ? null : identityIR({ always: c.identity.always, options: c.identity }, 'op.alterColumn: identity');
  if (c.collation !== undefined) out.collation = c.collation;
  if ('newName' in c && c.newName !== undefined) out.name = c.newName;
  if ('using' in c && c.using !== undefined) out.using = c.using;
  return out;
}

function indexKey(index: string, key: unknown, spelling: SqlSpelling): string {
  if (typeof key === 'string') return key;
  if (isSqlExpr(key)) return sqlText(key, spelling);
  throw new RetortError('USAGE', `op.createIndex('${index}'): a key must be a column name or sql\`...\`, not ${key === null ? 'null' : typeof key}`, {
    hint: "write op.createIndex('ix', 'table', ['column', sql`lower(email)`])",
  });
}
