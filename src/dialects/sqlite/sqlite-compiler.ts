/**
 * Compiles operations to SQLite statements. What SQLite's ALTER TABLE can do
 * natively (add a plain column, rename a table or column, drop an unused
 * column, create or drop an index) is done natively; anything else rebuilds
 * the table. A run of consecutive operations on one table becomes a single
 * rebuild. The compiler keeps the schema as the batch changes it, on top of
 * the catalog (which reads the database as it was before the batch).
 */
import { RetortError } from '../../errors.js';
import type { Operation, OperationOf } from '../../operations/operations.js';
import { enumNameOf, type ColumnType, type TableIR } from '../../ir/ir.js';
import type { Catalog, Statement } from '../dialect.js';
import type { ApplyPolicy } from '../../operations/apply-policy.js';
import { entryUses, isTableOperation, type TableOperation } from '../../operations/table-ir.js';
import { applyAlter, loadTableApplier, sqliteApplyPolicy, type Origin } from './sqlite-apply.js';
import { mentions, renameInSql, sqliteNames } from './sqlite-names.js';
import { columnSql, createIndexSql, createTableSql } from './sqlite-ddl.js';
import { enumChecksOfRenamedTable, enumUses, replaceEnumChecks, withValue, type EnumUse } from './sqlite-enums.js';
import { introspectSqliteTables, isInternalTable } from './sqlite-introspector.js';
import { enumCheck, enumCheckName, isLiteralDefault, normalizeDefault, normalizeTable, normalizeType, quoteId, quoteLit } from './sqlite-normalize.js';
import { rebuildStatements, type RebuildContext, type SchemaObject } from './sqlite-rebuild.js';
import { generatedOf, isStoredGenerated } from './sqlite-fidelity.js';
import { readTableText } from './sqlite-table-text.js';
import { compileSqliteRoutine, objectKey } from './sqlite-triggers.js';
import { deferRenames } from './sqlite-defer-renames.js';
import { compileViewOperation, noMaterializedViews, renamedViewPlan } from './sqlite-views.js';
import { refuseRowLevelSecurity } from './sqlite-rls.js';
import { groupByTable, hoistDrops } from './sqlite-batch-order.js';

/** Compiles a batch; see the module comment. */
export async function compileSqlite(ops: readonly Operation[], catalog: Catalog): Promise<Statement[]> {
  return new SqliteCompilation(catalog).run(ops);
}

/** SQLite has no identity columns: a revision that declares or changes one is refused rather than run without it. */
function refuseIdentity(o: Operation): void {
  const column =
    o.kind === 'createTable' ? o.table.columns.find((c) => c.identity !== undefined)?.name
    : o.kind === 'addColumn' ? (o.column.identity !== undefined ? o.column.name : undefined)
    : o.kind === 'alterColumn' && o.to.identity !== undefined ? o.column : undefined;
  if (column === undefined) return;
  const table = o.kind === 'createTable' ? o.table.name : (o as { table: string }).table;
  throw new RetortError('UNSUPPORTED', `${o.kind} on ${table}.${column}: SQLite has no identity columns`, { hint: 'use serial() (INTEGER PRIMARY KEY) for a column SQLite numbers, or run the revision against PostgreSQL' });
}

/** SQLite has no exclusion constraints: a revision that adds one (or a table with one) is refused rather than run without it. */
function refuseExclusion(o: Operation): void {
  const name = o.kind === 'addConstraint' && o.constraint.kind === 'exclude' ? o.constraint.def.name
    : o.kind === 'createTable' ? o.table.excludes?.[0]?.name : undefined;
  if (name === undefined) return;
  const table = o.kind === 'createTable' ? o.table.name : o.kind === 'addConstraint' ? o.table : '';
  throw new RetortError('UNSUPPORTED', `exclusion constraint "${name}" on ${table}: SQLite has no exclusion constraints`, {
    hint: 'remove the call from the revision (a unique index, or a trigger that checks, can stand in), or run it against PostgreSQL',
  });
}

class SqliteCompilation {
  /** Tables as this batch has left them; null for dropped or renamed-away tables. */
  private readonly overlay = new Map<string, TableIR | null>();
  /** Tables renamed in this batch, old name to new, so foreign keys read from the catalog point at the new name. */
  private readonly renames = new Map<string, string>();
  private readonly enums = new Map<string, readonly string[]>();
  /** How operations change a table here; it reads `enums` as the batch fills it. */
  private readonly policy: ApplyPolicy = sqliteApplyPolicy(this.enums);
  /**
   * Columns added natively to tables the batch has not read (the common revision: one ADD COLUMN needs nothing
   * from the catalog); applied to the table read from the catalog if a later operation of the batch needs it.
   */
  private readonly unreadAdds = new Map<string, TableOperation[]>();
  /** Tables read from the catalog, which does not change while a batch compiles; null for none by that name. */
  private readonly stored = new Map<string, TableIR | null>();
  /** Views and triggers this batch dropped (null) or created (their CREATE text), by type and lower-case name: sqlite_master does not know yet. */
  private readonly views = new Map<string, SchemaObject | null>();

  constructor(private readonly catalog: Catalog) {}

  async run(ops: readonly Operation[]): Promise<Statement[]> {
    const queue = [...ops];
    const out: Statement[] = [];
    for (let i = 0; i < queue.length;) {
      const o = queue[i]!;
      refuseIdentity(o);
      refuseExclusion(o);
      refuseRowLevelSecurity(o);
      if (isTableOperation(o)) {
        if (hoistDrops(queue, i)) continue;
        groupByTable(queue, i);
        let j = i;
        while (j < queue.length && isTableOperation(queue[j]!) && (queue[j] as TableOperation).table === o.table) j++;
        out.push(...(await this.alterRun(o.table, queue.slice(i, j) as TableOperation[])));
        i = j;
        continue;
      }
      const { statements, then } = await this.single(o as Exclude<Operation, TableOperation>);
      out.push(...statements);
      queue.splice(i + 1, 0, ...then);
      i++;
    }
    return out;
  }

  /** Compiles one operation that is not a table-level change; `then` are operations it expands into. */
  private async single(o: Exclude<Operation, TableOperation>): Promise<{ statements: Statement[]; then: Operation[] }> {
    const none = { statements: [], then: [] };
    switch (o.kind) {
      case 'createTable': {
        await this.knowEnums(o.table.columns.map((c) => c.type));
        const t = normalizeTable(o.table, this.enums);
        this.overlay.set(t.name, t);
        return { statements: [{ sql: createTableSql(t) }, ...t.indexes.map((ix) => ({ sql: createIndexSql(t, ix) }))], then: [] };
      }
      case 'dropTable':
        this.overlay.set(o.name, null);
        return { statements: [{ sql: `DROP TABLE ${quoteId(o.name)}` }], then: [] };
      case 'renameTable': {
        const before = await this.table(o.from);
        return { statements: await this.renameTable(o.from, o.to), then: before ? enumChecksOfRenamedTable(before, o.to) : [] };
      }
      case 'execute':
        return { statements: [o.params ? { sql: o.sql, params: o.params } : { sql: o.sql }], then: [] };
      case 'createSequence':
      case 'dropSequence':
      case 'alterSequence':
      case 'renameSequence': {
        const name = o.kind === 'createSequence' ? o.sequence.name : o.kind === 'renameSequence' ? o.from : o.name;
        throw new RetortError('UNSUPPORTED', `op.${o.kind}('${name}'): SQLite has no sequences`, { hint: 'remove the call from the revision, or run it against PostgreSQL' });
      }
      // SQLite keeps no comments (as on tables and columns): nothing to do.
      case 'setComment':
        return none;
      case 'createDomain':
      case 'alterDomain':
      case 'dropDomain':
      case 'validateDomainCheck':
      case 'createExtension':
      case 'alterExtension':
      case 'dropExtension': {
        const name = o.kind === 'createDomain' ? o.domain.name : o.kind === 'createExtension' ? o.extension.name : o.kind === 'validateDomainCheck' ? o.domain : o.name;
        throw new RetortError('UNSUPPORTED', `op.${o.kind}('${name}'): SQLite has no ${o.kind.includes('Domain') ? 'domains' : 'extensions'}`, { hint: 'remove the call from the revision, or run it against PostgreSQL' });
      }
      case 'createSchema':
      case 'dropSchema':
        throw new RetortError('UNSUPPORTED', `op.${o.kind}('${o.name}'): SQLite has no schemas (it has attached databases)`, { hint: 'remove the call from the revision, or run it against PostgreSQL' });
      case 'attachPartition':
      case 'detachPartition':
        throw new RetortError('UNSUPPORTED', `op.${o.kind}('${o.parent}', '${o.partition}'): SQLite has no partitioned tables`, { hint: 'remove the call from the revision, or run it against PostgreSQL' });
      case 'renameView':
        return { statements: await this.renameView(o.from, o.to, o.materialized), then: [] };
      case 'createPolicy':
      case 'dropPolicy':
      case 'alterPolicy':
        // Refused before any table is touched (run()); here only for the switch to be complete.
        refuseRowLevelSecurity(o);
        return none;
      case 'createView':
      case 'dropView':
      case 'replaceView':
      case 'refreshMaterializedView': {
        const statements = compileViewOperation(o);
        if (o.kind === 'dropView') this.views.set(objectKey('view', o.name), null);
        else if (o.kind !== 'refreshMaterializedView') this.views.set(objectKey('view', o.view.name), { type: 'view', name: o.view.name, tbl_name: o.view.name, sql: statements[statements.length - 1]! });
        return { statements: statements.map((sql) => ({ sql })), then: [] };
      }
      case 'createTrigger':
      case 'dropTrigger':
      case 'createFunction':
      case 'dropFunction':
      case 'replaceFunction':
        return { statements: compileSqliteRoutine(o, this.views).map((sql) => ({ sql })), then: [] };
      // SQLite has no enum types: enums live in their columns' CHECKs (see sqlite-enums.ts).
      case 'createEnum':
        this.enums.set(o.enum.name, o.enum.values);
        return none;
      case 'dropEnum':
        this.enums.delete(o.name);
        return none;
      case 'renameEnum': {
        const uses = await this.enumUses(o.from);
        const values = this.enums.get(o.from) ?? uses[0]?.values;
        this.enums.delete(o.from);
        if (values) this.enums.set(o.to, values);
        return { statements: [], then: replaceEnumChecks(uses, o.from, o.to, (u) => u.values) };
      }
      case 'renameEnumValue': {
        // Rows are updated while the CHECK allows both values, then the CHECK is narrowed to the new list.
        const uses = await this.enumUses(o.name);
        const known = this.enums.get(o.name) ?? uses[0]?.values;
        const renamed = (vs: readonly string[]) => vs.map((v) => (v === o.from ? o.to : v));
        if (known) this.enums.set(o.name, renamed(known));
        const updates: Operation[] = uses.map((u) => ({ kind: 'execute', sql: `UPDATE ${quoteId(u.table)} SET ${quoteId(u.column)} = ${quoteLit(o.to)} WHERE ${quoteId(u.column)} = ${quoteLit(o.from)}` }));
        // A server default naming the old value names the new one after (as PostgreSQL's, which holds the value itself).
        const defaults: Operation[] = uses.filter((u) => u.serverDefault === quoteLit(o.from)).map((u) => ({
          kind: 'alterColumn', table: u.table, column: u.column, to: { serverDefault: quoteLit(o.to) }, from: { serverDefault: quoteLit(o.from) },
        }));
        return {
          statements: [],
          then: [...replaceEnumChecks(uses, o.name, o.name, (u) => [...u.values, o.to]), ...updates, ...replaceEnumChecks(uses, o.name, o.name, (u) => renamed(u.values)), ...defaults],
        };
      }
      case 'addEnumValue': {
        const uses = await this.enumUses(o.name);
        const known = this.enums.get(o.name) ?? uses[0]?.values;
        if (known) this.enums.set(o.name, withValue(known, o.value, o.before, o.after));
        return { statements: [], then: replaceEnumChecks(uses, o.name, o.name, (u) => withValue(u.values, o.value, o.before, o.after)) };
      }
    }
  }

  /** A run of table-level operations on one table: natively when SQLite can do all of them, else one rebuild. */
  private async alterRun(table: string, run: readonly TableOperation[]): Promise<Statement[]> {
    const unread = await this.addColumnsUnread(table, run);
    if (unread) return unread;
    await loadTableApplier();
    const before = await this.table(table);
    if (!before) throw new RetortError('NOT_FOUND', `table "${table}" does not exist`, { hint: 'check the table name in the revision file' });
    await this.knowEnums(run.flatMap((o) => (o.kind === 'addColumn' ? [o.column.type] : o.kind === 'alterColumn' && o.to.type ? [o.to.type] : [])));
    const native: Statement[] = [];
    let state = before;
    let allNative = true;
    for (const o of run) {
      const sql = nativeSql(state, o, this.enums);
      if (sql === null) { allNative = false; break; }
      native.push(...sql);
      state = applyAlter(state, o, this.policy, new Map());
    }
    if (allNative) {
      this.overlay.set(table, state);
      return native;
    }
    const { core, renames, late } = deferRenames(before, run);
    const origins = new Map<string, Origin>(before.columns.map((c) => [c.name, { from: c.name, using: null, typeChanged: false }]));
    const after = core.reduce((t, o) => applyAlter(t, o, this.policy, origins), before);
    if (after.columns.length === 0) throw new RetortError('MIGRATION_FAILED', `table "${table}" would have no columns left`, { hint: 'drop the table instead' });
    const statements = rebuildStatements(before, after, origins, await this.rebuildContext(table));
    statements.push(...renames.map((r) => ({ sql: `ALTER TABLE ${quoteId(table)} RENAME COLUMN ${quoteId(r.column)} TO ${quoteId(r.to.name!)}` })));
    let renamed = renames.reduce((t, o) => applyAlter(t, o, this.policy, new Map()), after);
    // Indexes on a renamed column's new name, created once it has that name.
    for (const o of late) {
      statements.push({ sql: createIndexSql(renamed, o.index) });
      renamed = applyAlter(renamed, o, this.policy, new Map());
    }
    this.overlay.set(table, renamed);
    return statements;
  }

  private async renameTable(from: string, to: string): Promise<Statement[]> {
    const t = await this.table(from);
    this.overlay.set(from, null);
    // SQLite (3.26+, legacy_alter_table=OFF) rewrites foreign keys that point at a renamed table; mirror that.
    for (const [name, other] of this.overlay) {
      if (other && other.foreignKeys.some((f) => f.refTable === from)) {
        this.overlay.set(name, { ...other, foreignKeys: other.foreignKeys.map((f) => (f.refTable === from ? { ...f, refTable: to } : f)) });
      }
    }
    if (t) this.overlay.set(to, { ...t, name: to, foreignKeys: t.foreignKeys.map((f) => (f.refTable === from ? { ...f, refTable: to } : f)) });
    else this.overlay.delete(to);
    for (const [a, b] of this.renames) if (b === from) this.renames.set(a, to);
    this.renames.set(from, to);
    return [{ sql: `ALTER TABLE ${quoteId(from)} RENAME TO ${quoteId(to)}` }];
  }

  /** SQLite has no ALTER VIEW: renamedViewPlan (sqlite-views.ts) says what is dropped and created again. */
  private async renameView(from: string, to: string, materialized: boolean): Promise<Statement[]> {
    if (materialized) throw noMaterializedViews(from);
    const stored = await this.query<SchemaObject>(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('view', 'trigger') AND sql IS NOT NULL ORDER BY rowid`);
    const plan = renamedViewPlan([
      ...stored.filter((v) => !this.views.has(objectKey(v.type, v.name))).map((v) => this.asRenamed(v)),
      ...[...this.views.values()].filter((v): v is SchemaObject => v !== null),
    ], from, to);
    for (const [key, o] of plan.objects) this.views.set(key, o);
    return plan.statements.map((sql) => ({ sql }));
  }

  /** The table as the batch has left it so far. */
  private async table(name: string): Promise<TableIR | null> {
    if (this.overlay.has(name)) return this.overlay.get(name) ?? null;
    const t = await this.storedTable(name);
    if (!t) return null;
    const read: TableIR = { ...t, foreignKeys: t.foreignKeys.map((f) => ({ ...f, refTable: this.renames.get(f.refTable) ?? f.refTable })) };
    const added = this.unreadAdds.get(name);
    if (!added) return read;
    this.unreadAdds.delete(name);
    await loadTableApplier();
    const now = added.reduce<TableIR>((state, o) => applyAlter(state, o, this.policy, new Map()), read);
    this.overlay.set(name, now);
    return now;
  }

  /**
   * ADD COLUMNs SQLite can do natively, on a table the batch has not read, without reading it: what the statement
   * needs is the column and the table's name (a table that does not exist fails with SQLite's own "no such table").
   * Null when the run holds anything else, or a column that needs the table (a primary key, a rebuild).
   */
  private async addColumnsUnread(table: string, run: readonly TableOperation[]): Promise<Statement[] | null> {
    if (this.overlay.has(table) || this.stored.has(table) || !run.every((o) => o.kind === 'addColumn')) return null;
    await this.knowEnums(run.flatMap((o) => (o.kind === 'addColumn' ? [o.column.type] : [])));
    const named: TableIR = { name: table, columns: [], primaryKey: null, uniques: [], indexes: [], foreignKeys: [], checks: [], comment: null };
    const out: Statement[] = [];
    for (const o of run) {
      const sql = nativeSql(named, o, this.enums);
      if (sql === null) return null;
      out.push(...sql);
    }
    this.unreadAdds.set(table, [...(this.unreadAdds.get(table) ?? []), ...run]);
    return out;
  }

  private async query<R>(sql: string, params: readonly unknown[] = []): Promise<R[]> {
    if (!this.catalog.query) {
      throw new RetortError('OFFLINE', 'this SQLite migration rebuilds a table, which needs the schema as it stands', {
        hint: 'run it against a database, or let the runner replay earlier revisions on its scratch database',
      });
    }
    return this.catalog.query<R>(sql, params);
  }

  /** The table as it was before the batch. */
  private async storedTable(name: string): Promise<TableIR | null> {
    await this.readStored([name]);
    return this.stored.get(name) ?? null;
  }

  /** Reads the tables not read yet, all in one go when the catalog can query. */
  private async readStored(names: readonly string[]): Promise<void> {
    const missing = [...new Set(names)].filter((n) => !this.stored.has(n));
    if (missing.length === 0) return;
    const found = this.catalog.query
      ? await introspectSqliteTables({ query: (sql, params) => this.query(sql, params) }, missing)
      : (await Promise.all(missing.map((n) => this.catalog.table(n)))).filter((t): t is TableIR => t !== null);
    for (const n of missing) this.stored.set(n, null);
    for (const t of found) this.stored.set(t.name, t);
  }

  /**
   * The columns that use enum `name`, in the tables as the batch has left them. An enum's CHECKs are
   * named `ck_<table>_<column>_enum_<name>`, so only tables whose text holds that suffix are read, and
   * with `firstOnly` only until one use is found: a revision that adds tables using an enum of an
   * earlier revision reads one or two tables, not all of them. A name with a quote character may be
   * written escaped, so then every table is a candidate.
   */
  private async enumUses(name: string, firstOnly = false): Promise<EnumUse[]> {
    const literal = !/["'`\]]/.test(name);
    const rows = await this.query<{ name: string }>(
      `SELECT name FROM sqlite_master WHERE type = 'table'${literal ? ' AND instr(sql, ?) > 0' : ''} ORDER BY name`, literal ? [`_enum_${name}`] : []);
    const storedNames = rows.map((r) => r.name).filter((n) => !isInternalTable(n));
    const names = [...new Set([...storedNames.map((n) => this.renames.get(n) ?? n), ...this.overlay.keys()])];
    const chunk = firstOnly ? 16 : names.length;
    const out: EnumUse[] = [];
    for (let i = 0; i < names.length && !(firstOnly && out.length > 0); i += chunk) {
      const part = names.slice(i, i + chunk);
      await this.readStored(part.filter((n) => !this.overlay.has(n)));
      const tables: TableIR[] = [];
      for (const n of part) {
        const t = await this.table(n);
        if (t) tables.push(t);
      }
      out.push(...enumUses(tables, name));
    }
    return out;
  }

  /** Makes sure the values of every enum these types use are known, reading them from existing CHECKs if need be. */
  private async knowEnums(types: readonly ColumnType[]): Promise<void> {
    for (const type of types) {
      const name = enumNameOf(type);
      if (name === null || this.enums.has(name)) continue;
      const found = (await this.enumUses(name, true))[0];
      if (!found) {
        throw new RetortError('UNSUPPORTED', `the values of enum "${name}" are not known: SQLite has no enum types`, {
          hint: 'create it with op.createEnum() in the same revision, or use text() with a check constraint',
        });
      }
      this.enums.set(name, found.values);
    }
  }

  /** A view or trigger as SQLite has rewritten it after this batch's table renames. */
  private asRenamed(o: SchemaObject): SchemaObject {
    let { sql, tbl_name } = o;
    for (const [from, to] of this.renames) {
      sql = renameInSql(sql, from, to);
      if (tbl_name.toLowerCase() === from.toLowerCase()) tbl_name = to;
    }
    return { ...o, sql, tbl_name };
  }

  private async rebuildContext(table: string): Promise<RebuildContext> {
    const stored = await this.query<SchemaObject>(`SELECT type, name, tbl_name, sql FROM sqlite_master WHERE type IN ('trigger', 'view') AND sql IS NOT NULL ORDER BY rowid`);
    // sqlite_master is read as it was before the batch, but a table the batch has already renamed is renamed in the
    // views and triggers too (SQLite rewrites them): the rebuild must find them by the new name and recreate them so.
    const renamedObjects = this.renames.size === 0 ? stored : stored.map((o) => this.asRenamed(o));
    // Views dropped or created earlier in the batch: the rebuild must not drop them again, and must carry the new ones.
    const objects = this.views.size === 0 ? renamedObjects : [
      ...renamedObjects.filter((o) => !this.views.has(objectKey(o.type, o.name))),
      ...[...this.views.values()].filter((v): v is SchemaObject => v !== null),
    ];
    const children = await this.query<{ name: string }>(
      `SELECT DISTINCT m.name FROM sqlite_master m JOIN pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND lower(f."table") = lower(?) AND m.name <> ?`, [table, table]);
    const inBatch = [...this.overlay.values()].some((t) => t !== null && t.name !== table && t.foreignKeys.some((f) => f.refTable === table));
    // sqlite_master holds the database as it was before the batch: a table renamed in it is found by its old name,
    // and the stored index text no longer describes a table the batch has already changed.
    const storedName = [...this.renames].find(([, to]) => to === table)?.[0] ?? table;
    const own = await this.query<{ sql: string | null }>(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?`, [storedName]);
    const indexes = this.overlay.has(table) ? [] :
      await this.query<{ name: string; sql: string }>(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`, [storedName]);
    const original = own.length === 0 ? null : await this.storedTable(storedName);
    return { objects, referenced: children.length > 0 || inBatch, text: readTableText(own[0]?.sql ?? ''), original, renamed: (t) => this.renames.get(t) ?? t, indexSql: new Map(indexes.map((i) => [i.name, i.sql])) };
  }
}

/** The statements SQLite's own ALTER TABLE needs for `o` on table `t`, or null when it takes a rebuild. */
function nativeSql(t: TableIR, o: TableOperation, enums: ReadonlyMap<string, readonly string[]>): Statement[] | null {
  const table = quoteId(t.name);
  switch (o.kind) {
    case 'alterRls':
      return refuseRowLevelSecurity(o) ?? [];
    case 'setTableComment':
      return []; // SQLite has no comments.
    // `concurrently` is PostgreSQL's, but such an index is in an autocommit block, which a failure later in the
    // revision leaves committed and the next run repeats: IF NOT EXISTS / IF EXISTS, as PostgreSQL's forms have.
    case 'createIndex':
      return [{ sql: createIndexSql(t, o.index, o.concurrently === true) }];
    case 'dropIndex':
      return [{ sql: `DROP INDEX ${o.concurrently === true ? 'IF EXISTS ' : ''}${quoteId(o.name)}` }];
    case 'renameIndex': {
      // SQLite cannot rename an index: dropped and created again under the new name (an index holds no data).
      const ix = t.indexes.find((i) => i.name === o.from);
      if (!ix) throw new RetortError('NOT_FOUND', `index "${o.from}" does not exist on table "${t.name}"`, { hint: 'check the index name in the revision file' });
      return [{ sql: `DROP INDEX ${quoteId(o.from)}` }, { sql: createIndexSql(t, { ...ix, name: o.to }) }];
    }
    case 'renameConstraint':
      return null; // SQLite cannot rename a constraint: rebuild the table.
    case 'addColumn': {
      const c = o.column;
      const type = normalizeType(c.type, c.autoIncrement);
      const dflt = normalizeDefault(c.serverDefault, type);
      // ADD COLUMN refuses a primary key, a non-constant default (CURRENT_TIMESTAMP included), and NOT NULL without a default.
      if (c.autoIncrement || isStoredGenerated({ ...c, type })) return null;
      if (dflt !== null && (!isLiteralDefault(dflt) || /^CURRENT_/i.test(dflt))) return null;
      if (!c.nullable && dflt === null) return null;
      const enumName = enumNameOf(c.type);
      const check = c.type.kind === 'enum' && enumName !== null ? enumCheck(t.name, c.name, enumName, enums.get(enumName) ?? []) : undefined;
      return [{ sql: `ALTER TABLE ${table} ADD COLUMN ${columnSql(t, { ...c, type, serverDefault: dflt, comment: null }, check)}` }];
    }
    case 'dropColumn': {
      const n = o.name;
      // SQLite's DROP COLUMN refuses a column in a key, an index or a constraint.
      const used = (t.primaryKey?.columns ?? []).includes(n) ||
        t.uniques.some((u) => u.columns.includes(n)) ||
        t.indexes.some((i) => i.columns.some((c) => entryUses(c, n, t.columns.map((x) => x.name), sqliteNames)) || (i.where !== null && mentions(i.where, n))) ||
        t.foreignKeys.some((f) => f.columns.includes(n)) ||
        t.checks.some((k) => mentions(k.expression, n)) ||
        t.columns.some((c) => mentions(generatedOf(c)?.expression ?? '', n));
      return used ? null : [{ sql: `ALTER TABLE ${table} DROP COLUMN ${quoteId(n)}` }];
    }
    case 'alterColumn':
      return alterColumnSql(t, o);
    case 'addConstraint':
    case 'dropConstraint':
      return null; // SQLite cannot ALTER a constraint: rebuild the table.
    case 'validateConstraint':
      return []; // SQLite checks every constraint as it adds it (the rebuild copies the rows in): nothing is left to validate.
  }
}

function alterColumnSql(t: TableIR, o: OperationOf<'alterColumn'>): Statement[] | null {
  const keys = (Object.keys(o.to) as (keyof typeof o.to)[]).filter((k) => o.to[k] !== undefined && k !== 'using');
  if (keys.some((k) => k !== 'name' && k !== 'comment')) return null;
  const newName = o.to.name;
  if (newName === undefined || newName === o.column) return [];
  // The enum CHECK's name contains the column name, which RENAME COLUMN would leave behind.
  if (t.checks.some((k) => k.name.startsWith(enumCheckName(t.name, o.column, '')))) return null;
  return [{ sql: `ALTER TABLE ${quoteId(t.name)} RENAME COLUMN ${quoteId(o.column)} TO ${quoteId(newName)}` }];
}
