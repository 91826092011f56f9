/**
 * B from A (random-schema.ts): one to four random mutations of a random schema, each keeping the schema valid and
 * the rows of A upgradable and downgradable, and the repairs that undo combinations no migration could run.
 */
import { addIndexLike, CHECKS, COLUMN_NAMES, COMMENTS, defaultChoices, ENUM_EXTRA, ENUM_NAMES, enumValues, indexable, randomColumn, randomEnumValues, randomParam, randomRef, randomTable, TABLE_NAMES, UNINDEXABLE, type Chooser, type ColKind, type ColSpec, type EnumSpec, type SchemaSpec, type TableSpec } from './random-schema-tables.js';
import { mutateKinds, repairKinds, SQLITE_KINDS, type KindOptions } from './random-schema-kinds.js';
import { EXTENSIONS, mutatePg, repairPg } from './random-schema-pg.js';
import { mutateRoutines, repairRoutines } from './random-schema-routines.js';

/** Column kinds a column may change to with its rows kept both ways (values that fit both types). */
const TYPE_CHANGES: Partial<Record<ColKind, ColKind[]>> = {
  smallint: ['integer', 'bigint'],
  integer: ['smallint', 'bigint', 'numeric'],
  bigint: ['integer'],
  numeric: ['integer', 'numeric'],
  real: ['double'],
  double: ['real'],
  text: ['varchar'],
  varchar: ['text', 'varchar'],
  char: ['char', 'varchar'],
  time: ['time'],
  timestamp: ['timestamp'],
  json: ['jsonb'],
  jsonb: ['json'],
  enum: ['text'],
};

/** A type change for every kind of TYPE_CHANGES, given the column's param: [kind, param]. */
const FALLBACK: Partial<Record<ColKind, (param: number) => [ColKind, number]>> = {
  smallint: () => ['bigint', 0], integer: () => ['bigint', 0], bigint: () => ['integer', 0], numeric: (p) => ['numeric', p === 12 ? 10 : 12],
  real: () => ['double', 0], double: () => ['real', 0], text: () => ['varchar', 80], varchar: () => ['text', 0], char: () => ['varchar', 80],
  time: (p) => ['time', 1 - p], timestamp: (p) => ['timestamp', 1 - p], enum: () => ['text', 0],
};

/** Copies a spec deeply, so mutations never touch A. */
export function cloneSpec(s: SchemaSpec): SchemaSpec {
  return JSON.parse(JSON.stringify(s)) as SchemaSpec;
}

/** B: A after one to four random mutations. Every mutation keeps the schema valid and the rows of A upgradable and downgradable. */
export function mutate(c: Chooser, a: SchemaSpec, o: KindOptions = SQLITE_KINDS): SchemaSpec {
  const s = cloneSpec(a);
  const aTables = new Set(a.tables.map((t) => t.name));
  for (let n = 2 + c.int(5); n > 0; n--) {
    const t = s.tables.length > 0 ? c.pick(s.tables) : null;
    switch (c.int(o.postgres ? 25 : 23)) {
      case 0: { // add a table
        const name = TABLE_NAMES.find((x) => !s.tables.some((y) => y.name === x) && !aTables.has(x));
        if (name) s.tables.push(randomTable(c, s, name, s.tables.filter((x) => x.pk !== 'composite').map((x) => x.name), false, o));
        break;
      }
      case 19: mutateKinds(c, s, o); break;
      case 21: case 22: mutateRoutines(c, s, o); break;
      case 23: case 24: mutatePg(c, s, o.extensions ?? EXTENSIONS); break;
      case 20: // serial <-> identity (PostgreSQL): the sequence's position is kept
        if (o.postgres && t && (t.pk === 'serial' || t.pk === 'identity')) t.pk = t.pk === 'serial' ? 'identity' : 'serial';
        else mutateKinds(c, s, o);
        break;
      case 1: // drop a table no table of A references: the downgrade brings it back empty, and rows pointing into it would break their foreign keys
        if (t && s.tables.length > 1 && !a.tables.some((x) => x.columns.some((col) => col.ref?.table === t.name))) {
          s.tables = s.tables.filter((x) => x !== t);
          for (const x of s.tables) for (const col of x.columns) if (col.ref?.table === t.name) col.ref = null;
        }
        break;
      case 2: { // add a column; on a table with rows, NOT NULL needs a default. A name A had is not reused: autogenerate would see a type change, not a new column
        const old = t && a.tables.find((x) => x.name === t.name);
        const name = t && COLUMN_NAMES.find((x) => !t.columns.some((y) => y.name === x) && !old?.columns.some((y) => y.name === x) && c.chance(2));
        if (t && name) t.columns.push(randomColumn(c, s, name, { mustHaveDefaultIfNotNull: aTables.has(t.name) }));
        break;
      }
      case 3: { // drop a column; the downgrade adds it back to a table with rows, so NOT NULL needs a default
        const col = t && t.columns.length > 0 ? c.pick(t.columns) : null;
        if (t && col && (!col.notNull || col.dflt !== null)) dropColumn(t, col.name);
        break;
      }
      case 4: { // change a type compatibly
        const col = t && t.columns.length > 0 ? c.pick(t.columns) : null;
        if (t && col) retype(c, t, col);
        break;
      }
      case 5: { // toggle nullability (rows of A never hold NULL)
        const col = t && t.columns.length > 0 ? c.pick(t.columns) : null;
        if (col) col.notNull = !col.notNull;
        break;
      }
      case 6: { // change the default
        const col = t && t.columns.length > 0 ? c.pick(t.columns) : null;
        if (!col) break;
        const choices = defaultChoices(col.kind, col.param, enumValues(s, col.enumName));
        col.dflt = choices.length > 0 && c.int(3) > 0 ? c.int(choices.length) : null;
        break;
      }
      case 7: if (t) addIndexLike(c, t, indexable(t), 'index'); break;
      case 8: if (t && t.indexes.length > 0) t.indexes.splice(c.int(t.indexes.length), 1); break;
      case 9: if (t) addIndexLike(c, t, indexable(t), 'unique'); break;
      case 10: if (t && t.uniques.length > 0) t.uniques.splice(c.int(t.uniques.length), 1); break;
      case 11: { // add, drop or change a foreign key; on a column with rows, only to a table of A (rows 1 and 2 exist there)
        if (!t) break;
        const targets = s.tables.filter((x) => x.pk !== 'composite' && aTables.has(x.name));
        // Rows of A hold 1 or 2 in integer columns; a column B adds holds its default, which references nothing.
        const old = a.tables.find((x) => x.name === t.name);
        const col = t.columns.find((x) => x.kind === 'integer' && (x.dflt === null || old?.columns.some((y) => y.name === x.name)) && c.chance(2));
        if (col) col.ref = col.ref && c.chance(2) ? null : targets.length > 0 ? randomRef(c, c.pick(targets).name) : null;
        else {
          // A new nullable column holds NULL in every row: it may reference any table.
          const target = c.pick(s.tables.filter((x) => x.pk !== 'composite'));
          const name = target ? `${target.name}_id` : undefined;
          if (target && name && !t.columns.some((x) => x.name === name) && !old?.columns.some((x) => x.name === name)) {
            t.columns.push({ name, kind: 'integer', param: 0, enumName: null, notNull: false, dflt: null, ref: randomRef(c, target.name) });
          }
        }
        break;
      }
      case 12: case 14: case 15: case 16: mutateEnum(c, s); break;
      case 17: { // change a table or column comment
        const col = t && t.columns.length > 0 && c.chance(2) ? c.pick(t.columns) : null;
        const next = c.chance(3) ? null : c.pick(COMMENTS);
        if (col) col.comment = next;
        else if (t) t.comment = next;
        break;
      }
      case 18: { // add or drop a CHECK
        const col = t && t.columns.length > 0 ? c.pick(t.columns) : null;
        if (col && CHECKS[col.kind] !== undefined) col.check = !col.check;
        break;
      }
      case 13: { // an enum type appears or goes away
        const name = ENUM_NAMES.find((x) => !s.enums.some((e) => e.name === x));
        if (name && c.chance(2)) s.enums.push({ name, values: randomEnumValues(c) });
        else if (s.enums.length > 0) {
          const e = c.pick(s.enums);
          // Its columns become text (an enum -> text change), so no NOT NULL column without default goes away.
          for (const x of s.tables) for (const col of x.columns) if (col.enumName === e.name) Object.assign(col, { kind: col.kind === 'enum' ? 'text' : 'textArray', enumName: null, dflt: null, check: false });
          s.enums = s.enums.filter((x) => x !== e);
        }
        break;
      }
    }
  }
  repair(a, s);
  repairRoutines(s, o);
  repairKinds(s);
  if (o.postgres) repairPg(s, o.extensions ?? EXTENSIONS);
  return s;
}

/**
 * Undoes what mutations combined into a pair no migration could run with A's rows in place
 * (each is a documented limit of autogenerate, not a bug): a NOT NULL column without default
 * added to a table with rows (or dropped from one: the downgrade adds it back), and a unique
 * constraint over a column that the upgrade (or the downgrade) fills with one default in every row.
 */
function repair(a: SchemaSpec, b: SchemaSpec): void {
  for (const t of b.tables) {
    const old = a.tables.find((x) => x.name === t.name);
    if (!old) continue;
    const added = new Set<string>();
    for (const col of t.columns) {
      const before = old.columns.find((x) => x.name === col.name);
      if (before) continue;
      added.add(col.name);
      if (col.notNull && col.dflt === null) col.notNull = false;
    }
    for (const col of old.columns) {
      // The downgrade adds a dropped column back with its default (or NULL) in every row: it must be allowed to be NULL, and its default must not meet a unique constraint.
      const refilled = (col.notNull && col.dflt === null) || (col.dflt !== null && old.uniques.some((u) => u.cols.includes(col.name) && !u.cols.includes('id')));
      if (refilled && !t.columns.some((x) => x.name === col.name)) t.columns.push({ ...col, ref: col.ref && b.tables.some((x) => x.name === col.ref!.table) ? col.ref : null });
    }
    t.uniques = t.uniques.filter((u) => u.cols.includes('id') || !u.cols.some((c) => added.has(c) && t.columns.find((x) => x.name === c)!.dflt !== null));
  }
}

/** Changes a column's type to one its rows fit both ways; false when it has none (or the change would break an index). */
function retype(c: Chooser, t: TableSpec, col: ColSpec): boolean {
  const options = col.ref === null ? TYPE_CHANGES[col.kind] : undefined;
  if (!options) return false;
  const kind = c.pick(options);
  const param = kind === 'numeric' ? c.pick([10, 12]) : kind === 'varchar' ? c.pick([20, 80]) : kind === 'char' ? c.pick([4, 8]) : randomParam(c, kind);
  if (kind === col.kind && param === col.param && !col.domain) return false;
  if (UNINDEXABLE.has(kind) && [...t.indexes, ...t.uniques].some((i) => i.cols.includes(col.name))) return false;
  col.kind = kind;
  col.param = param;
  col.enumName = null;
  col.domain = null;
  // The CHECK is written for the old type: it goes (a CHECK change of its own is another mutation).
  col.check = false;
  const choices = defaultChoices(kind, param, []);
  col.dflt = col.dflt !== null && choices.length > 0 ? c.int(choices.length) : null;
  return true;
}

/**
 * A pair whose B changes the type of one column of A (or removes a value from its enum) that A's views, triggers
 * and (PostgreSQL) policies depend on: a view reading it (cast, aggregated or joined, maybe materialized), a
 * trigger whose WHEN (or, SQLite, body) names it, a policy whose USING does. Issue 18: the revision moves them out
 * of the way and back, both ways.
 */
export function retypeUnderDependents(c: Chooser, a: SchemaSpec, o: KindOptions): { a: SchemaSpec; b: SchemaSpec } {
  const t = a.tables[0]!;
  // Not json or jsonb: B's json could not be grouped or indexed by the view.
  let col = t.columns.find((x) => x.ref === null && x.kind !== 'json' && x.kind !== 'jsonb' && TYPE_CHANGES[x.kind] !== undefined && c.int(3) > 0);
  if (!col) {
    col = { name: 'x', kind: 'integer', param: 0, enumName: null, notNull: false, dflt: null, ref: null };
    dropColumn(t, 'x');
    t.columns.push(col);
  }
  const shape = c.pick(['select', 'agg', 'join'] as const);
  a.views = [...(a.views ?? []).filter((v) => v.name !== 'v_one'), {
    name: 'v_one', table: t.name, cols: [col.name], where: c.chance(2), shape, other: shape === 'join' ? t.name : null,
    ...(o.postgres ? { cast: true, materialized: c.chance(2), index: c.chance(2), comment: null } : {}),
  }];
  const events = o.postgres ? c.pick([['insert', 'update'], ['update']] as const) : [c.pick(['insert', 'update'] as const)];
  a.triggers = [...(a.triggers ?? []).filter((x) => x.name !== 'trg_guard'), {
    name: 'trg_guard', table: t.name, timing: c.pick(['before', 'after'] as const), events: [...events], forEachRow: true, col: col.name, when: c.int(3) > 0, updateOf: events.includes('update') && c.chance(2),
  }];
  if (o.postgres) t.policies = [...(t.policies ?? []).filter((p) => p.name !== 'own rows'), { name: 'own rows', command: 'select', permissive: true, col: col.name }];
  repairRoutines(a, o);
  repairKinds(a);
  const b = cloneSpec(a);
  const bt = b.tables[0]!;
  const bcol = bt.columns.find((x) => x.name === col.name)!;
  const e = bcol.kind === 'enum' ? b.enums.find((x) => x.name === bcol.enumName) : undefined;
  if (e && e.values.some((v) => v !== 'a' && v !== 'b') && c.chance(2)) mutateEnum(c, b, e, 1);
  else if (!retype(c, bt, bcol)) {
    // The random pick kept the type: take the first change the kind has (TYPE_CHANGES), with rows that fit both ways.
    const [kind, param] = FALLBACK[bcol.kind]!(bcol.param);
    Object.assign(bcol, { kind, param, enumName: null, check: false, domain: null, dflt: null });
  }
  repairRoutines(b, o);
  repairKinds(b);
  return { a, b };
}

function dropColumn(t: TableSpec, name: string): void {
  t.columns = t.columns.filter((x) => x.name !== name);
  t.indexes = t.indexes.filter((i) => !i.cols.includes(name));
  t.uniques = t.uniques.filter((u) => !u.cols.includes(name));
}

/** Adds, removes or moves a value of an enum (`e`, `what`: that one and that change, else random). */
function mutateEnum(c: Chooser, s: SchemaSpec, which?: EnumSpec, what?: number): void {
  if (s.enums.length === 0) return;
  const e = which ?? c.pick(s.enums);
  const old = [...e.values];
  switch (what ?? c.int(3)) {
    case 0: { // add a value somewhere
      const v = ENUM_EXTRA.find((x) => !e.values.includes(x));
      if (v) e.values.splice(c.int(e.values.length + 1), 0, v);
      break;
    }
    case 1: { // remove a value that is neither 'a' nor 'b'
      const removable = e.values.filter((v) => v !== 'a' && v !== 'b');
      if (removable.length > 0) e.values = e.values.filter((v) => v !== c.pick(removable));
      break;
    }
    case 2: { // move one value
      const [v] = e.values.splice(c.int(e.values.length), 1);
      e.values.splice(c.int(e.values.length + 1), 0, v!);
      break;
    }
  }
  // Defaults are indexes into the values: keep each column's default value where it still exists.
  for (const t of s.tables) {
    for (const col of t.columns) {
      if (col.enumName !== e.name || col.dflt === null) continue;
      const value = old[col.dflt];
      const at = value === undefined ? -1 : e.values.indexOf(value);
      col.dflt = at >= 0 ? at : e.values.indexOf('a');
    }
  }
}
