/**
 * Lock-safe plans: autogenerate's operations rewritten, for tables that already exist, into forms that let a busy
 * table keep taking writes while the revision runs (PostgreSQL: CONCURRENTLY, NOT VALID then VALIDATE, a validated
 * check before SET NOT NULL, a unique constraint over a concurrently built index). A table the same operations
 * create is empty and gets the plain forms. Each rewritten operation comes with the one-line reason the revision
 * shows above it; a type change that rewrites the table is kept and flagged. Only a dialect with OnlineForms
 * (CompilerPart.online) gets any of this: SQLite has one writer, and its plans stay as they are.
 */
import type { ColumnIR, ColumnType, PartitionBoundIR, PartitionKeyIR } from '../ir/ir.js';
import type { Operation, OperationOf } from '../operations/operations.js';

/** OnlineForms is what a dialect tells the planner: the SQL and type rules the lock-safe forms depend on. */
export interface OnlineForms {
  /** The condition of a check that says `column` holds no NULL (`"col" IS NOT NULL`), which SET NOT NULL can rely on. */
  notNullCheck(column: string): string;
  /** True when changing a column's type from `from` to `to` rewrites the whole table (not binary-coercible). */
  rewritesTable(from: ColumnType, to: ColumnType): boolean;
  /**
   * Why adding `column` to a table that has rows rewrites it (a value written into every row: a volatile default,
   * serial, identity, a stored generated column), or null when the add only changes the catalog.
   */
  addRewrites?(column: ColumnIR): string | null;
  /** The longest identifier the database keeps, for the names the planner makes up. */
  readonly identifierLimit: number;
  /**
   * The condition of a check that implies a partition's bound (`"at" IS NOT NULL AND "at" >= ... AND "at" < ...`), so
   * that ATTACH PARTITION can skip its scan; null where the planner should attach plainly (hash and default bounds,
   * keys of several columns or of expressions).
   */
  partitionCheck?(key: PartitionKeyIR, bound: PartitionBoundIR): string | null;
}

/** What the planner may ask about the schema: a partitioned table's key (from the models, else the database). */
export interface PlanContext {
  partitionKey?(table: string): PartitionKeyIR | undefined;
}

/** PlanStep is a run of operations in one transaction, or outside any (`autocommit`), with why it has the form it has. */
export interface PlanStep {
  readonly autocommit: boolean;
  readonly ops: readonly Operation[];
  /** The one-line reason shown above the step in the revision; null for plain operations. */
  readonly why: string | null;
  /** True for the later parts of one lock-safe form (a validation after its NOT VALID add): rendered with the step before. */
  readonly follows?: boolean;
  /**
   * The lint rule whose finding the step accepts, with the reason (rendered as a `retort-lint-ignore` comment): a
   * plain form the planner was held to (a partitioned table), whose lock-safe fix lint would propose and PostgreSQL
   * refuses. The step's `why` says what it locks.
   */
  readonly accepts?: { readonly rule: string; readonly reason: string };
}

/** OnlinePlan is the steps to render, and the warnings autogenerate prints (table rewrites). */
export interface OnlinePlan {
  readonly steps: readonly PlanStep[];
  readonly warnings: readonly string[];
}

const WHY = {
  index: (t: string) => `built CONCURRENTLY outside the transaction: writes to "${t}" go on during the build (if it fails, drop the INVALID index it leaves and run again)`,
  dropIndex: (t: string) => `dropped CONCURRENTLY outside the transaction: queries on "${t}" are not blocked while it waits for them`,
  notValid: (t: string, what: string) => `${what} added NOT VALID (new rows are checked at once), the rows of "${t}" validated after the commit under SHARE UPDATE EXCLUSIVE, which lets writes go on`,
  notNull: (t: string, c: string) => `"${t}"."${c}" made NOT NULL through a validated check, so SET NOT NULL skips its scan under ACCESS EXCLUSIVE (PostgreSQL 12+)`,
  unique: (t: string) => `unique index built CONCURRENTLY, then taken over by the constraint (USING INDEX): writes to "${t}" go on during the build`,
  domainCheck: (d: string) => `checks added to domain "${d}" NOT VALID (new values are checked at once), the values stored in the columns using it validated after the commit, which lets writes go on`,
  attach: (parent: string, t: string) => `attached to "${parent}" after a check matching its bound is validated (SHARE UPDATE EXCLUSIVE, writes go on), so ATTACH skips its scan of "${t}" under ACCESS EXCLUSIVE; the check is dropped after`,
  partitioned: (t: string, what: string, advice: string) => `LOCKS "${t}": ${what} on a partitioned table cannot be done CONCURRENTLY or NOT VALID (PostgreSQL), so it blocks writes to "${t}" while it runs${advice === '' ? '' : `; ${advice}`}`,
  rewrite: (t: string, c: string) => `REWRITES "${t}": this type change of "${c}" rewrites the table under ACCESS EXCLUSIVE; for a large table add a new column, backfill it in batches and switch over instead`,
  addRewrite: (t: string, c: string, why: string) => `REWRITES "${t}": adding "${c}" as ${why} writes a value into every row under ACCESS EXCLUSIVE; for a large table add it without that default, set the default, backfill the rows in batches, then add what needs them filled`,
};

/** Plans `ops` (in order) with the dialect's online forms; without them, one plain step. */
export function planOnline(ops: readonly Operation[], forms: OnlineForms | null, context: PlanContext = {}): OnlinePlan {
  if (!forms) return { steps: ops.length === 0 ? [] : [{ autocommit: false, ops, why: null }], warnings: [] };
  const steps: PlanStep[] = [];
  const warnings: string[] = [];
  const created = new Set<string>();
  const createdDomains = new Set<string>();
  let plain: Operation[] = [];
  const flush = () => {
    if (plain.length > 0) steps.push({ autocommit: false, ops: plain, why: null });
    plain = [];
  };
  const emit = (...more: PlanStep[]) => {
    flush();
    steps.push(...more);
  };
  // A partition whose bound changes (detached, attached again): its detach waits for the attach, which does both in
  // one transaction after the check for the new bound is validated while it is still attached.
  const detached = new Map<string, Operation>();
  const rebounds: PlanStep[][] = [];
  ops.forEach((o, at) => {
    if (o.kind !== 'detachPartition') return;
    const until = ops.findIndex((a, i) => i > at && a.kind === 'attachPartition' && a.partition === o.partition);
    const attach = ops[until];
    // Only when nothing in between changes the partition itself (it may need to be detached for that).
    const between = ops.slice(at + 1, until);
    if (attach?.kind !== 'attachPartition' || between.some((b) => namedTable(b) === o.partition || (b.kind === 'createTable' && b.table.name === o.partition))) return;
    if (attachWithCheck(attach, forms, context)) detached.set(o.partition, o);
  });
  for (const o of ops) {
    if (o.kind === 'detachPartition' && detached.get(o.partition) === o) continue;
    if (o.kind === 'createTable') created.add(o.table.name);
    if (o.kind === 'renameTable' && created.has(o.from)) created.add(o.to);
    if (o.kind === 'createDomain') createdDomains.add(o.domain.name);
    if (o.kind === 'alterDomain' && !createdDomains.has(o.name)) {
      const steps = domainChecksNotValid(o);
      if (steps) {
        emit(...steps);
        continue;
      }
    }
    if (o.kind === 'attachPartition' && !created.has(o.partition)) {
      const detach = detached.get(o.partition);
      const steps = attachWithCheck(o, forms, context, detach);
      if (steps && detach !== undefined) {
        // Bounds that change together (one partition's grows into another's) must all be detached before any is
        // attached again: one transaction for all of them, after all their checks are validated.
        detached.delete(o.partition);
        rebounds.push(steps);
        if (detached.size === 0) emit(...reboundAll(rebounds));
        continue;
      }
      if (steps) {
        emit(...steps);
        continue;
      }
    }
    const table = namedTable(o);
    if (table === null || created.has(table)) {
      plain.push(o);
      continue;
    }
    // PostgreSQL builds a partitioned table's index, its unique constraint or foreign key only the plain way.
    const partitioned = context.partitionKey?.(table) === undefined ? null : partitionedLock(o);
    if (partitioned !== null) {
      const why = WHY.partitioned(table, partitioned.what, partitioned.advice);
      warnings.push(`${table}: ${why.replace(/^LOCKS "[^"]*": /, '')}`);
      emit({ autocommit: false, ops: [o], why, accepts: { rule: partitioned.rule, reason: `"${table}" is partitioned: PostgreSQL has no lock-safe form of this (see the LOCKS line above)` } });
      continue;
    }
    switch (o.kind) {
      case 'createIndex':
        if (o.concurrently) break;
        emit({ autocommit: true, ops: [{ ...o, concurrently: true }], why: WHY.index(table) });
        continue;
      case 'dropIndex':
        if (o.concurrently) break;
        emit({ autocommit: true, ops: [{ ...o, concurrently: true }], why: WHY.dropIndex(table) });
        continue;
      case 'addConstraint': {
        const c = o.constraint;
        if ((c.kind === 'foreignKey' || c.kind === 'check') && !o.notValid) {
          emit(
            { autocommit: false, ops: [{ ...o, notValid: true }], why: WHY.notValid(table, c.kind === 'foreignKey' ? 'foreign key' : 'check') },
            { autocommit: true, ops: [{ kind: 'validateConstraint', table, name: c.def.name }], why: null, follows: true },
          );
          continue;
        }
        if (c.kind === 'unique' && o.usingIndex === undefined) {
          const name = c.def.name;
          emit(
            { autocommit: true, ops: [{ kind: 'createIndex', table, index: { name, columns: c.def.columns, unique: true, where: null, ...(c.def.nullsNotDistinct === true ? { nullsNotDistinct: true } : {}) }, concurrently: true }], why: WHY.unique(table) },
            { autocommit: false, ops: [{ ...o, usingIndex: name }], why: null, follows: true },
          );
          continue;
        }
        break;
      }
      case 'addColumn': {
        // What the planner cannot make lock-safe it still flags: the add stays plain, marked in the file (the lint of
        // the written file warns of it, volatile-default, so no second warning here).
        const why = forms.addRewrites?.(o.column) ?? null;
        if (why !== null) {
          emit({ autocommit: false, ops: [o], why: WHY.addRewrite(table, o.column.name, why) });
          continue;
        }
        break;
      }
      case 'alterColumn': {
        const split = setNotNull(o, forms);
        if (split) {
          emit(...split.map((s, i) => (i === 0 ? { ...s, why: WHY.notNull(table, o.column) } : s)));
          continue;
        }
        const from = o.from?.type;
        if (o.to.type && from && forms.rewritesTable(from, o.to.type)) {
          warnings.push(`${table}.${o.column}: ${WHY.rewrite(table, o.column).replace(/^REWRITES "[^"]*": /, '')}`);
          emit({ autocommit: false, ops: [o], why: WHY.rewrite(table, o.column) });
          continue;
        }
        break;
      }
      default:
        break;
    }
    plain.push(o);
  }
  flush();
  // A detach whose attach did not take the checked form after all: where it was, at the end.
  for (const o of detached.values()) steps.push({ autocommit: false, ops: [o], why: null });
  return { steps: uniqueUntilReplaced(arranged(steps)), warnings };
}

/**
 * The steps with the autocommit blocks moved out of the span where the plan has moved objects out of the way (a view,
 * a policy or a trigger dropped, then created again): a block there would commit the drop, leave the object missing
 * while it runs (a policy missing under FORCE ROW LEVEL SECURITY hides every row) and for good if it fails. A
 * concurrent drop of an index goes before the span (nothing in it needs the index, unless the plan created one of that
 * name earlier); a build or a validation, and what follows it, goes after it, behind the leading plain part of its
 * form, unless something later in the span needs the unique index it builds (a foreign key to those columns). Plans
 * without such a span, and the plain steps, keep their order: moving a block further than that would keep the
 * transaction's locks (a NOT VALID foreign key's on the referenced table) through more of the work.
 */
function arranged(steps: readonly PlanStep[]): PlanStep[] {
  const groups: PlanStep[][] = [];
  for (const st of steps) {
    if (st.follows && groups.length > 0) groups[groups.length - 1]!.push(st);
    else groups.push([st]);
  }
  const opsOf = (g: readonly PlanStep[]) => g.flatMap((st) => st.ops);
  // The span: from the first group that drops an object some later group creates again, to the last such creation.
  let from = -1;
  let to = -1;
  groups.forEach((g, at) => {
    for (const o of opsOf(g)) {
      const dropped = droppedObject(o);
      if (dropped === null) continue;
      const again = groups.findIndex((later, i) => i > at && opsOf(later).some((c) => createdObject(c) === dropped));
      if (again < 0) continue;
      if (from < 0) from = at;
      to = Math.max(to, again);
    }
  });
  if (from < 0) return [...steps];
  const before: PlanStep[] = [];
  const inside: PlanStep[] = [];
  const after: PlanStep[] = [];
  // Foreign keys (NOT VALID and validated) that need a unique index moved after the span: they move with it, whole.
  const following = new Set<number>();
  groups.forEach((group, at) => {
    if (following.has(at)) {
      after.push(...group);
      return;
    }
    const block = group.findIndex((st) => st.autocommit);
    if (at < from || at > to || block < 0) {
      (at < from ? before : at > to ? after : inside).push(...group);
      return;
    }
    const ops = opsOf(group);
    const earlier = groups.slice(0, at).flatMap(opsOf);
    if (block === 0 && ops.every((o) => o.kind === 'dropIndex') && !ops.some((o) => o.kind === 'dropIndex' && earlier.some((e) => e.kind === 'createIndex' && e.index.name === o.name))) {
      before.push(...group);
      return;
    }
    const moved = group.slice(block);
    const built = opsOf(moved).flatMap((o) => (o.kind === 'createIndex' && o.index.unique ? [o] : []));
    const needs = (g: readonly PlanStep[]) => opsOf(g).some((o) => referencedKeys(o).some((k) => built.some((b) => b.table === k.table && key(b.index.columns) === key(k.columns))));
    const dependents = groups.map((g, i) => i).filter((i) => i > at && i <= to && needs(groups[i]!));
    // A foreign key's own lock-safe form can wait until after the span; anything else needing the index (a table
    // created over it) keeps the build where it is.
    if (dependents.some((i) => !opsOf(groups[i]!).every((o) => (o.kind === 'addConstraint' && o.constraint.kind === 'foreignKey') || o.kind === 'validateConstraint'))) {
      inside.push(...group);
      return;
    }
    // Nor past a later rename or drop of what it builds on: its operations name the table and columns as they are here.
    const touched = new Set(opsOf(moved).flatMap((o) => namedTable(o) ?? []));
    const laterInSpan = groups.slice(at + 1, to + 1).flatMap(opsOf);
    if (laterInSpan.some((o) => ((o.kind === 'alterColumn' && o.to.name !== undefined) || o.kind === 'dropColumn') ? touched.has(o.table) : (o.kind === 'renameTable' && touched.has(o.from)) || (o.kind === 'dropTable' && touched.has(o.name)))) {
      inside.push(...group);
      return;
    }
    for (const i of dependents) following.add(i);
    inside.push(...group.slice(0, block));
    // Moved away from the step it continues: it says which form it ends.
    const head = moved[0]!;
    after.push({ ...head, follows: false, why: head.why ?? continuedWhy(moved) }, ...moved.slice(1));
  });
  // The groups after the span come after the moved parts: forEach reached them last.
  return [...before, ...inside, ...after];
}

/**
 * The steps with a unique index or constraint that the plan replaces (drops, and builds another unique on the same
 * table under another name) dropped last: dropped first, the table took duplicates while the new one was built, or
 * for good if the build failed. Left in place when something later needs it gone or would make its drop fail: a
 * column of the table dropped, the table dropped or renamed, or its name taken again.
 */
function uniqueUntilReplaced(steps: readonly PlanStep[]): PlanStep[] {
  const all = steps.flatMap((st) => st.ops);
  const dropped = (o: Operation): { table: string; name: string } | null =>
    (o.kind === 'dropIndex' && o.index?.unique === true) || (o.kind === 'dropConstraint' && o.constraintKind === 'unique') ? { table: o.table, name: o.name } : null;
  const moving = new Map<Operation, string>();
  all.forEach((o, at) => {
    const d = dropped(o);
    if (d === null) return;
    const later = all.slice(at + 1);
    const replaced = later.some((x) => (x.kind === 'createIndex' && x.table === d.table && x.index.unique && x.index.name !== d.name) || (x.kind === 'addConstraint' && x.table === d.table && x.constraint.kind === 'unique' && x.constraint.def.name !== d.name));
    // A column dropped takes its index with it (the drop would then fail); a renamed column keeps it.
    const needed = later.some((x) => (x.kind === 'dropColumn' && x.table === d.table) || (x.kind === 'dropTable' && x.name === d.table) || (x.kind === 'renameTable' && x.from === d.table)
      || (x.kind === 'createIndex' && x.index.name === d.name) || (x.kind === 'addConstraint' && x.constraint.def.name === d.name));
    if (replaced && !needed) moving.set(o, d.table);
  });
  if (moving.size === 0) return [...steps];
  const out: PlanStep[] = [];
  for (const st of steps) {
    const keep = st.ops.filter((o) => !moving.has(o));
    if (keep.length === st.ops.length) out.push(st);
    else if (keep.length > 0) out.push({ ...st, ops: keep });
  }
  // Each on its own at the end, concurrently where it was (a drop of an index in an autocommit block).
  for (const [o, table] of moving) {
    out.push({ autocommit: o.kind === 'dropIndex' && o.concurrently === true, ops: [o], why: `dropped once its replacement is built: "${table}" never goes without a unique rule` });
  }
  return out;
}

/** The table an operation names (`table: 'orders'`), or null: createTable's is its IR, schema-level ones have none. */
function namedTable(o: Operation): string | null {
  return 'table' in o && typeof o.table === 'string' ? o.table : null;
}

/** The object an operation drops to move it out of the way (a view, a policy, a trigger), or null. */
function droppedObject(o: Operation): string | null {
  if (o.kind === 'dropView') return `view ${o.name}`;
  if (o.kind === 'dropPolicy') return `policy ${o.on} ${o.name}`;
  if (o.kind === 'dropTrigger') return `trigger ${o.on} ${o.name}`;
  return null;
}

/** The object an operation creates (see droppedObject), or null. */
function createdObject(o: Operation): string | null {
  if (o.kind === 'createView') return `view ${o.view.name}`;
  if (o.kind === 'createPolicy') return `policy ${o.policy.table} ${o.policy.name}`;
  if (o.kind === 'createTrigger') return `trigger ${o.trigger.table} ${o.trigger.name}`;
  return null;
}

/** The reason shown above the moved part of a lock-safe form: what it validates, and what follows. */
function continuedWhy(moved: readonly PlanStep[]): string {
  const ops = moved.flatMap((st) => st.ops);
  const names = ops.flatMap((o) => (o.kind === 'validateConstraint' || o.kind === 'validateDomainCheck' ? [`"${o.name}"`] : []));
  const then = ops.some((o) => o.kind === 'attachPartition') ? ', then the attach' : ops.some((o) => o.kind === 'alterColumn') ? ', then SET NOT NULL' : '';
  return `${names.join(', ')} (added NOT VALID above) validated once the views, policies and triggers moved out of the way are back${then}`;
}

/** The referenced table and columns of each foreign key `o` adds. */
function referencedKeys(o: Operation): { table: string; columns: readonly string[] }[] {
  if (o.kind === 'addConstraint' && o.constraint.kind === 'foreignKey') return [{ table: o.constraint.def.refTable, columns: o.constraint.def.refColumns }];
  if (o.kind === 'createTable') return o.table.foreignKeys.map((fk) => ({ table: fk.refTable, columns: fk.refColumns }));
  return [];
}

/** Columns as one comparable text. */
function key(columns: readonly string[]): string {
  return JSON.stringify(columns);
}

const PARTITION_INDEXES_FIRST = "for a large table build each partition's index CONCURRENTLY first, in an earlier revision (the parent's then attaches them instead of building its own)";

/**
 * What of `o` would take the lock-safe form that a partitioned table cannot have, the advice for a large table, and
 * the lint rule whose fix (that form) PostgreSQL would refuse; null for anything else.
 */
function partitionedLock(o: Operation): { what: string; advice: string; rule: string } | null {
  if (o.kind === 'createIndex' && !o.concurrently) return { what: 'building an index', advice: PARTITION_INDEXES_FIRST, rule: 'require-concurrent-index' };
  if (o.kind === 'dropIndex' && !o.concurrently) return { what: 'dropping an index', advice: '', rule: 'require-concurrent-index-drop' };
  if (o.kind === 'addConstraint' && o.constraint.kind === 'foreignKey' && !o.notValid) return { what: 'adding a foreign key', advice: "every partition's rows are checked before it commits", rule: 'constraint-not-valid' };
  if (o.kind === 'addConstraint' && o.constraint.kind === 'unique' && o.usingIndex === undefined) return { what: 'adding a unique constraint', advice: PARTITION_INDEXES_FIRST.replace("index", 'unique index'), rule: 'unique-via-index' };
  return null;
}

/**
 * SET NOT NULL on a table in use: a NOT VALID check that the column holds no NULL, its validation after the commit,
 * then SET NOT NULL (PostgreSQL 12+ sees the validated check and skips its own scan) and the check dropped. Any
 * other change in the same alterColumn comes first, plain. Null when `o` does not make a nullable column NOT NULL.
 */
function setNotNull(o: OperationOf<'alterColumn'>, forms: OnlineForms): PlanStep[] | null {
  if (o.to.nullable !== false || o.from?.nullable !== true) return null;
  const { nullable: _n, ...otherTo } = o.to;
  const { nullable: _f, ...otherFrom } = o.from;
  const column = o.to.name ?? o.column;
  const name = `${o.table}_${column}_not_null`.slice(0, forms.identifierLimit);
  const check = { kind: 'check' as const, def: { name, expression: forms.notNullCheck(column) } };
  const before: Operation[] = Object.keys(otherTo).length > 0 ? [{ ...o, to: otherTo, from: otherFrom }] : [];
  return [
    { autocommit: false, ops: [...before, { kind: 'addConstraint', table: o.table, constraint: check, notValid: true }], why: null },
    { autocommit: true, ops: [{ kind: 'validateConstraint', table: o.table, name }], why: null, follows: true },
    {
      autocommit: false,
      follows: true,
      ops: [
        { kind: 'alterColumn', table: o.table, column, to: { nullable: false }, from: { nullable: true } },
        { kind: 'dropConstraint', table: o.table, name, constraintKind: 'check', constraint: check },
      ],
      why: null,
    },
  ];
}

/**
 * Checks added to a domain that columns already use: NOT VALID, then each validated after the commit (ALTER DOMAIN
 * ... ADD CONSTRAINT alone checks every stored value while writes to those tables wait). Null when the change adds
 * no check.
 */
function domainChecksNotValid(o: OperationOf<'alterDomain'>): PlanStep[] | null {
  const before = o.from?.checks;
  if (o.notValid || o.to.checks === undefined || before === undefined) return null;
  const added = o.to.checks.filter((c) => !before.some((b) => b.name === c.name && b.expression === c.expression));
  if (added.length === 0) return null;
  return [
    { autocommit: false, ops: [{ ...o, notValid: true }], why: WHY.domainCheck(o.name) },
    { autocommit: true, ops: added.map((c) => ({ kind: 'validateDomainCheck', domain: o.name, name: c.name })), why: null, follows: true },
  ];
}

/**
 * ATTACH PARTITION of a table that has rows: a NOT VALID check matching the bound, its validation after the commit
 * (a lock that lets writes through), then the attach, which finds the bound implied by the valid check and skips its
 * own scan under ACCESS EXCLUSIVE, and the check dropped in the same transaction. Null when the dialect has no check
 * for this key and bound: the attach stays plain.
 */
function attachWithCheck(o: OperationOf<'attachPartition'>, forms: OnlineForms, context: PlanContext, detach?: Operation): PlanStep[] | null {
  const key = context.partitionKey?.(o.parent);
  const expression = key && forms.partitionCheck ? forms.partitionCheck(key, o.bound) : null;
  if (!expression) return null;
  const name = `${o.partition}_partition_bound`.slice(0, forms.identifierLimit);
  const check = { kind: 'check' as const, def: { name, expression } };
  return [
    { autocommit: false, ops: [{ kind: 'addConstraint', table: o.partition, constraint: check, notValid: true }], why: WHY.attach(o.parent, o.partition) },
    { autocommit: true, ops: [{ kind: 'validateConstraint', table: o.partition, name }], why: null, follows: true },
    { autocommit: false, follows: true, why: null, ops: [...(detach ? [detach] : []), o, { kind: 'dropConstraint', table: o.partition, name, constraintKind: 'check', constraint: check }] },
  ];
}

/**
 * Several partitions' bound changes, each planned by attachWithCheck with its detach ([check NOT VALID], [validate],
 * [detach, attach, drop check]), as one: every check, every validation, then every detach before any attach, and the
 * checks dropped, so that no attach meets another partition's old bound.
 */
function reboundAll(rebounds: readonly PlanStep[][]): PlanStep[] {
  if (rebounds.length === 1) return [...rebounds[0]!];
  const part = (i: number) => rebounds.flatMap((r) => r[i]!.ops);
  const last = part(2);
  return [
    { autocommit: false, ops: part(0), why: rebounds[0]![0]!.why },
    { autocommit: true, ops: part(1), why: null, follows: true },
    {
      autocommit: false,
      follows: true,
      why: null,
      ops: [...last.filter((o) => o.kind === 'detachPartition'), ...last.filter((o) => o.kind === 'attachPartition'), ...last.filter((o) => o.kind === 'dropConstraint')],
    },
  ];
}

/** The operations of a plan, in order (what the revision will run). */
export function planOperations(plan: OnlinePlan): Operation[] {
  return plan.steps.flatMap((s) => s.ops);
}
