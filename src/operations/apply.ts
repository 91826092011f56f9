/**
 * applyOperations: runs operations symbolically on a Schema IR, without a
 * database. It is the oracle of the property tests (apply(A, diff(A, B)) == B)
 * and lets the lead predict the schema a revision produces. It refuses what
 * PostgreSQL refuses (dropping a table another table references, a column a
 * constraint uses, an enum a column uses), so an ordering bug in the differ
 * fails here instead of on a real database. What each operation does is its
 * kind's definition (kinds/*.ts: `applyTable` through the shared applier,
 * apply-table.ts, and `check`, or `apply` for schema-level kinds); this file
 * holds the schema being changed and the lookups those steps share.
 */
import { RetortError } from '../errors.js';
import type { ColumnType, DomainIR, EnumIR, ExtensionIR, ForeignKeyIR, FunctionIR, PolicyIR, SchemaIR, SequenceIR, TableIR, TriggerIR, ViewIR } from '../ir/ir.js';
import { functionKey, triggerKey } from '../ir/routine.js';
import { sortPolicies } from '../ir/policy.js';
import { domainNameOf, enumNameOf } from '../ir/ir.js';
import type { ApplyPolicy, ApplyRefusal } from './apply-policy.js';
import { applyTableOperation, isTableOperation, type TableOperation } from './apply-table.js';
import type { SchemaApply, TableApply } from './operation-def.js';
import { definitionOf, type Operation } from './operations.js';
import { byCodePoint, sameIR } from '../ir/ir-util.js';

/** Options for applyOperations. */
export interface ApplyOptions {
  /** Also check that every drop's definition and every alterColumn's `from` match the schema as it stands (so the inverse is right). */
  readonly strict?: boolean;
}

function fail(o: Operation, message: string): never {
  throw new RetortError('MIGRATION_FAILED', `applyOperations: ${o.kind}: ${message}`);
}

function refusal(why: ApplyRefusal): string {
  switch (why.reason) {
    case 'exists': return why.what === 'column' ? `column ${why.table}.${why.name} already exists` : `${why.what} "${why.name}" already exists on ${why.table}`;
    case 'missing': return why.what === 'column' ? `no column ${why.table}.${why.name}` : `no ${why.what} "${why.name}" on ${why.table}`;
    case 'primaryKeyExists': return `table "${why.table}" already has a primary key`;
    case 'columnInUse': return `column ${why.table}.${why.name} is still used by a constraint or index`;
  }
}

/** The oracle's policy: as strict as PostgreSQL without CASCADE, and it never reads SQL text (expressions are opaque to it). */
const ORACLE: ApplyPolicy = {
  // Refused rather than cascaded, so that the differ must drop what uses a column first, as its ordering promises.
  dropColumnRemovesDependents: false,
  uniqueConstraintNames: true,
  namedPrimaryKey: true,
  autoIncrementNeedsPrimaryKey: false,
  tableComments: true,
  sqlNames: null,
  refuse: (o, why) => new RetortError('MIGRATION_FAILED', `applyOperations: ${o.kind}: ${refusal(why)}`),
};

/** SchemaState is the schema being changed, with the lookups and checks the kinds' oracle steps share (kinds/*.ts `apply`, `check`). */
export class SchemaState {
  readonly tables: Map<string, TableIR>;
  readonly enums: Map<string, EnumIR>;
  readonly sequences: Map<string, SequenceIR>;
  readonly views: Map<string, ViewIR>;
  /** Functions by functionKey, triggers by triggerKey. */
  readonly functions: Map<string, FunctionIR>;
  readonly triggers: Map<string, TriggerIR>;
  readonly domains: Map<string, DomainIR>;
  readonly extensions: Map<string, ExtensionIR>;
  /** Row-level security policies by policyKey(table, name). */
  readonly policies: Map<string, PolicyIR>;
  /** The named schemas (SchemaIR.schemas). */
  readonly schemas: Set<string>;
  /** The oracle's policy, for lookups that depend on it. */
  readonly policy: ApplyPolicy = ORACLE;

  constructor(schema: SchemaIR, readonly strict: boolean) {
    this.tables = new Map(schema.tables.map((t) => [t.name, t]));
    this.enums = new Map(schema.enums.map((e) => [e.name, e]));
    this.sequences = new Map((schema.sequences ?? []).map((x) => [x.name, x]));
    this.views = new Map((schema.views ?? []).map((v) => [v.name, v]));
    this.functions = new Map((schema.functions ?? []).map((f) => [functionKey(f), f]));
    this.triggers = new Map((schema.triggers ?? []).map((t) => [triggerKey(t), t]));
    this.domains = new Map((schema.domains ?? []).map((d) => [d.name, d]));
    this.extensions = new Map((schema.extensions ?? []).map((x) => [x.name, x]));
    this.policies = new Map((schema.policies ?? []).map((p) => [this.policyKey(p.table, p.name), p]));
    this.schemas = new Set(schema.schemas ?? []);
  }

  /** The key of a policy: its name is unique per table. */
  policyKey(table: string, name: string): string {
    return `${table}\u0000${name}`;
  }

  /**
   * Refuses, as PostgreSQL does, a table's drop under its policies (the differ drops them first, so that the way
   * back creates them again), and a dropped column or a column's new type under a policy whose clauses name the
   * column (a whole word, bare or quoted: the one place the oracle looks into SQL text).
   */
  notUnderPolicy(o: Operation, table: string, column: string | null): void {
    const p = [...this.policies.values()].find((x) => x.table === table && (column === null || [x.using, x.withCheck].some((e) => e !== null && mentions(e, column))));
    if (p !== undefined) fail(o, `policy "${p.name}" on "${table}"${column === null ? '' : ` uses column "${column}"`}`);
  }

  /** Policies follow a renamed table. */
  renamePolicyTable(from: string, to: string): void {
    for (const [k, p] of [...this.policies]) {
      if (p.table !== from) continue;
      this.policies.delete(k);
      this.policies.set(this.policyKey(to, p.name), { ...p, table: to });
    }
  }

  sequence(o: Operation, name: string): SequenceIR {
    return this.sequences.get(name) ?? fail(o, `no sequence "${name}"`);
  }

  /** PostgreSQL drops a sequence with the table or column that owns it (`column` null: any column of the table). */
  dropOwnedSequences(table: string, column: string | null): void {
    for (const [n, x] of this.sequences) if (x.ownedBy?.table === table && (column === null || x.ownedBy.column === column)) this.sequences.delete(n);
  }

  /** A sequence's owner must be a column that exists (PostgreSQL refuses OWNED BY anything else). */
  checkOwner(o: Operation, owner: { readonly table: string; readonly column: string }): void {
    if (!this.table(o, owner.table).columns.some((c) => c.name === owner.column)) fail(o, `no column ${owner.table}.${owner.column} to own the sequence`);
  }

  /** Refuses, as PostgreSQL does, to change what a view reads (a column's type, a dropped column or table, a dropped view) while the view exists. */
  notUnderView(o: Operation, relation: string): void {
    const v = [...this.views.values()].find((x) => x.dependsOn?.includes(relation));
    if (v !== undefined) fail(o, `view "${v.name}" depends on "${relation}"`);
  }

  /** Refuses `o` with `message`. */
  fail(o: Operation, message: string): never {
    return fail(o, message);
  }

  table(o: Operation, name: string): TableIR {
    return this.tables.get(name) ?? fail(o, `no table "${name}"`);
  }

  checkType(o: Operation, type: ColumnType): void {
    const e = enumNameOf(type);
    if (e !== null && !this.enums.has(e)) fail(o, `enum type "${e}" does not exist`);
    const d = domainNameOf(type);
    if (d !== null && !this.domains.has(d)) fail(o, `domain "${d}" does not exist`);
  }

  /** Whether a foreign key of a table other than `except` references table `name` (on one of `columns`, when given). */
  referencedBy(name: string, columns: readonly string[] | null, except: string | null): boolean {
    return [...this.tables.values()].some((t) => t.name !== except && t.foreignKeys.some((fk) => fk.refTable === name && (columns === null || columns.some((c) => fk.refColumns.includes(c)))));
  }

  checkFk(o: Operation, owner: TableIR, fk: ForeignKeyIR): void {
    const target = fk.refTable === owner.name ? owner : this.table(o, fk.refTable);
    for (const c of fk.refColumns) if (!this.columnsOf(target).some((x) => x.name === c)) fail(o, `foreign key "${fk.name}" references missing column ${fk.refTable}.${c}`);
    for (const c of fk.columns) if (!this.columnsOf(owner).some((x) => x.name === c)) fail(o, `foreign key "${fk.name}" uses missing column ${owner.name}.${c}`);
  }

  /** A table's columns: a partition's are its parent's. */
  columnsOf(t: TableIR): readonly TableIR['columns'][number][] {
    return t.partitionOf === undefined ? t.columns : (this.tables.get(t.partitionOf.parent)?.columns ?? []);
  }

  /** In strict mode, refuses a recorded definition (`expected`, null when not recorded) that differs from the schema. */
  sameAs(o: Operation, what: string, expected: unknown, actual: unknown): void {
    if (this.strict && expected !== null && !sameIR(expected, actual)) fail(o, `the recorded definition of ${what} differs from the schema as it stands`);
  }

  /** Runs one operation: a table-level one through the shared applier with the oracle's policy, then its checks on the table as it was. */
  run(o: Operation): void {
    if (o.kind === 'dropTable') {
      this.notUnderView(o, o.name);
      this.notUnderPolicy(o, o.name, null);
      // A table's triggers go with it.
      for (const [k, t] of this.triggers) if (t.table === o.name) this.triggers.delete(k);
    }
    if (o.kind === 'dropColumn' || (o.kind === 'alterColumn' && o.to.type !== undefined)) {
      this.notUnderView(o, o.table);
      this.notUnderPolicy(o, o.table, o.kind === 'dropColumn' ? o.name : o.column);
    }
    if (!isTableOperation(o)) {
      (definitionOf(o) as SchemaApply<Operation>).apply(this, o);
      return;
    }
    const def = definitionOf(o) as unknown as TableApply<TableOperation>;
    const before = this.table(o, o.table);
    const after = applyTableOperation(before, o, ORACLE);
    def.check?.(this, o, before);
    this.tables.set(o.table, after);
  }
}

/** Whether SQL text names `column` as a whole word, bare (any case) or quoted. */
function mentions(sql: string, column: string): boolean {
  if (sql.includes(`"${column.replace(/"/g, '""')}"`)) return true;
  const escaped = column.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return /^[\p{L}_][\p{L}\p{N}_$]*$/u.test(column) && new RegExp(`(?<![\\p{L}\\p{N}_$"])${escaped}(?![\\p{L}\\p{N}_$"])`, 'iu').test(sql);
}

/** The schema after running `ops` on `schema`; tables and enums stay sorted by name. */
export function applyOperations(schema: SchemaIR, ops: readonly Operation[], options: ApplyOptions = {}): SchemaIR {
  const s = new SchemaState(schema, options.strict ?? false);
  for (const o of ops) s.run(o);
  return {
    tables: [...s.tables.values()].sort((a, b) => byCodePoint(a.name, b.name)),
    enums: [...s.enums.values()].sort((a, b) => byCodePoint(a.name, b.name)),
    ...(s.sequences.size > 0 ? { sequences: [...s.sequences.values()].sort((a, b) => byCodePoint(a.name, b.name)) } : {}),
    ...(s.views.size > 0 ? { views: [...s.views.values()].sort((a, b) => byCodePoint(a.name, b.name)) } : {}),
    ...(s.functions.size > 0 ? { functions: [...s.functions.entries()].sort(([a], [b]) => byCodePoint(a, b)).map(([, f]) => f) } : {}),
    ...(s.triggers.size > 0 ? { triggers: [...s.triggers.entries()].sort(([a], [b]) => byCodePoint(a, b)).map(([, t]) => t) } : {}),
    ...(s.domains.size > 0 ? { domains: [...s.domains.values()].sort((a, b) => byCodePoint(a.name, b.name)) } : {}),
    ...(s.extensions.size > 0 ? { extensions: [...s.extensions.values()].sort((a, b) => byCodePoint(a.name, b.name)) } : {}),
    ...(s.policies.size > 0 ? { policies: sortPolicies([...s.policies.values()]) } : {}),
    ...(s.schemas.size > 0 ? { schemas: [...s.schemas].sort(byCodePoint) } : {}),
  };
}
