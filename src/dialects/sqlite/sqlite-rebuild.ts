/**
 * SQLite's table rebuild (https://sqlite.org/lang_altertable.html section 7):
 * SQLite cannot ALTER a constraint, a type, a default or nullability, so the
 * table is created anew under a temporary name, the rows are copied, the old
 * table dropped and the new one renamed, then its indexes, triggers and the
 * views and triggers that mention it are recreated. All inside the
 * migration's transaction; foreign-key enforcement is switched off around the
 * run by the dialect's beforeRun hook (PRAGMA foreign_keys is a no-op inside
 * a transaction), and foreign_key_check runs before COMMIT.
 */
import { RetortError } from '../../errors.js';
import type { ColumnIR, ColumnType, TableIR } from '../../ir/ir.js';
import type { Statement } from '../dialect.js';
import type { Origin } from './sqlite-apply.js';
import { mentions, renameInTrigger } from './sqlite-names.js';
import { createIndexSql, createTableSql, hasRowidAlias } from './sqlite-ddl.js';
import { deferrableFor, generatedOf, keptTypes, refuseLosses } from './sqlite-fidelity.js';
import type { TableText } from './sqlite-table-text.js';
import { quoteId, quoteLit, typeSql } from './sqlite-normalize.js';

/** A trigger or view row from sqlite_master. */
export interface SchemaObject {
  readonly type: 'trigger' | 'view';
  readonly name: string;
  readonly tbl_name: string;
  readonly sql: string;
}

/** What the rebuild needs beyond the two TableIRs. */
export interface RebuildContext {
  /** Every trigger and view in the database, in creation order. */
  readonly objects: readonly SchemaObject[];
  /** True when some table has a foreign key pointing at this one. */
  readonly referenced: boolean;
  /** What the table's stored CREATE TABLE text says beyond the IR (options, DEFERRABLE, ON CONFLICT, ...). */
  readonly text: TableText;
  /** The table as `text` describes it (introspected before the batch), or null when the batch created it. */
  readonly original: TableIR | null;
  /** A table's name now, given its name before the batch (tables renamed in it). */
  readonly renamed: (table: string) => string;
  /** The stored CREATE INDEX text of the table's indexes, by name: an index the rebuild leaves alone is recreated verbatim. */
  readonly indexSql: ReadonlyMap<string, string>;
}

/** The temporary name the new table is built under. */
export function rebuildTempName(table: string): string {
  return `_retort_new_${table}`;
}

/** What values a converted column accepts after SQLite's type affinity has been applied, or null for any. */
function acceptedTypes(type: ColumnType): string | null {
  switch (type.kind) {
    case 'smallint': case 'integer': case 'bigint': case 'boolean':
      return "'integer', 'null'";
    case 'real': case 'double': case 'numeric':
      return "'integer', 'real', 'null'";
    default:
      return null;
  }
}

/**
 * The statements that turn table `before` into `after`, keeping every row.
 * `origins` maps each column of `after` to the old column it is copied from.
 */
export function rebuildStatements(before: TableIR, after: TableIR, origins: ReadonlyMap<string, Origin>, ctx: RebuildContext): Statement[] {
  const name = before.name;
  refuseLosses(before, after, origins, ctx.text);
  const withoutRowid = ctx.text.withoutRowid;
  const tmp = rebuildTempName(name);
  const out: Statement[] = [];
  const lower = name.toLowerCase();
  const own = ctx.objects.filter((o) => o.type === 'trigger' && o.tbl_name.toLowerCase() === lower);
  // ALTER TABLE ... RENAME re-parses the whole schema and fails on a view or trigger naming the
  // (for a moment) missing table, so those are dropped first and recreated after, in creation order.
  // Views over those views too: the RENAME re-parses them as well, and they would name a view that is gone.
  const viewNames = new Set<string>();
  for (let grew = true; grew;) {
    grew = false;
    for (const o of ctx.objects) {
      if (o.type !== 'view' || viewNames.has(o.name.toLowerCase())) continue;
      if (mentions(o.sql, name) || [...viewNames].some((v) => mentions(o.sql, v))) { viewNames.add(o.name.toLowerCase()); grew = true; }
    }
  }
  const views = ctx.objects.filter((o) => o.type === 'view' && viewNames.has(o.name.toLowerCase()));
  const others = ctx.objects.filter((o) => o.type === 'trigger' && o.tbl_name.toLowerCase() !== lower && (mentions(o.sql, name) || viewNames.has(o.tbl_name.toLowerCase())));

  if (ctx.referenced) {
    // With foreign_keys ON, DROP TABLE would run ON DELETE CASCADE on the child tables and empty them.
    out.push({ sql: `CREATE TEMP TABLE "_retort_fk_guard" (x INTEGER CONSTRAINT "retort: PRAGMA foreign_keys must be OFF before BEGIN when rebuilding a table other tables reference" CHECK (x = 0))` });
    out.push({ sql: `INSERT INTO "_retort_fk_guard" SELECT foreign_keys FROM pragma_foreign_keys` });
    out.push({ sql: `DROP TABLE temp."_retort_fk_guard"` });
  }
  for (const o of [...others].reverse()) out.push({ sql: `DROP TRIGGER ${quoteId(o.name)}` });
  for (const v of [...views].reverse()) out.push({ sql: `DROP VIEW ${quoteId(v.name)}` });

  const declared = keptTypes(before, after, origins, ctx.text);
  const spelledBefore = (c: ColumnIR) => ctx.text.columns.get(c.name.toLowerCase())?.base ?? typeSql(c.type);
  const spelledAfter = (c: ColumnIR) => declared(c) ?? typeSql(c.type);
  out.push({ sql: createTableSql(after, tmp, { withoutRowid, strict: ctx.text.strict, deferrable: (fk) => deferrableFor(fk, ctx.original, ctx.text, ctx.renamed), declaredType: declared }) });

  const targets: string[] = [];
  const sources: string[] = [];
  const guards: string[] = [];
  for (const c of after.columns) {
    const o = origins.get(c.name);
    // SQLite computes a generated column's values itself and refuses them in an INSERT.
    if (!o || generatedOf(c) !== null) continue;
    targets.push(quoteId(c.name));
    sources.push(o.using ?? quoteId(o.from));
    const accepted = o.typeChanged || o.using !== null ? acceptedTypes(c.type) : null;
    if (accepted !== null) {
      // Column affinity converts '12' to 12 but keeps 'abc' as text: such a value must fail the migration, not be stored.
      const trigger = `_retort_convert_${name}_${c.name}`;
      const message = `retort: a value of "${name}"."${o.from}" cannot be converted to ${typeSql(c.type)}; fix or delete those rows first`;
      guards.push(trigger);
      out.push({ sql: `CREATE TEMP TRIGGER ${quoteId(trigger)} AFTER INSERT ON ${quoteId(tmp)} WHEN typeof(NEW.${quoteId(c.name)}) NOT IN (${accepted}) BEGIN SELECT RAISE(ABORT, ${quoteLit(message)}); END` });
    }
  }
  // Rowids survive too: INTEGER PRIMARY KEY tables carry them in the key, others copy them explicitly.
  const copyRowid = !withoutRowid && !hasRowidAlias(before, spelledBefore) && !hasRowidAlias(after, spelledAfter);
  if (copyRowid) { targets.unshift('rowid'); sources.unshift('rowid'); }
  if (targets.length > 0) {
    out.push({ sql: `INSERT INTO ${quoteId(tmp)} (${targets.join(', ')})\n  SELECT ${sources.join(', ')} FROM ${quoteId(name)}` });
  }
  for (const g of guards) out.push({ sql: `DROP TRIGGER temp.${quoteId(g)}` });

  if (after.columns.some((c) => c.autoIncrement)) {
    // Keep the AUTOINCREMENT counter: ids of deleted rows must not be handed out again.
    out.push({ sql: `INSERT INTO sqlite_sequence (name, seq) SELECT ${quoteLit(tmp)}, 0 WHERE NOT EXISTS (SELECT 1 FROM sqlite_sequence WHERE name = ${quoteLit(tmp)})` });
    // A key that only now becomes AUTOINCREMENT has no counter yet: it starts at the largest rowid kept.
    out.push({ sql: `UPDATE sqlite_sequence SET seq = max(seq, coalesce((SELECT max(seq) FROM sqlite_sequence WHERE name = ${quoteLit(name)}), 0), coalesce((SELECT max(rowid) FROM ${quoteId(tmp)}), 0)) WHERE name = ${quoteLit(tmp)}` });
  }

  out.push({ sql: `DROP TABLE ${quoteId(name)}` });
  // Renamed without SQLite checking every view and trigger of the schema first (legacy_alter_table): one created in
  // the same revision over the table's other name (renamed since) may read as broken until the table has its name.
  out.push({ sql: 'PRAGMA legacy_alter_table = ON' });
  out.push({ sql: `ALTER TABLE ${quoteId(tmp)} RENAME TO ${quoteId(name)}` });
  out.push({ sql: 'PRAGMA legacy_alter_table = OFF' });
  for (const ix of after.indexes) {
    // An index the batch did not touch is recreated from its own text, so nothing the IR does not hold is lost.
    const same = before.indexes.some((b) => JSON.stringify(b) === JSON.stringify(ix));
    const stored = ctx.indexSql.get(ix.name);
    out.push({ sql: same && stored !== undefined ? stored : createIndexSql(after, ix) });
  }

  const renamed = [...origins].filter(([to, o]) => to !== o.from);
  const dropped = before.columns.filter((c) => ![...origins.values()].some((o) => o.from === c.name)).map((c) => c.name);
  for (const t of own) {
    const gone = dropped.find((d) => mentions(t.sql, d));
    if (gone !== undefined) {
      // SQLite's own DROP COLUMN refuses the same: the trigger could not be recreated.
      throw new RetortError('MIGRATION_FAILED', `cannot drop column "${name}"."${gone}": trigger "${t.name}" uses it`, {
        hint: `drop or rewrite the trigger first (op.execute('DROP TRIGGER ${quoteId(t.name)}'))`,
      });
    }
    out.push({ sql: renamed.reduce((s, [to, o]) => renameInTrigger(s, o.from, to), t.sql) });
  }
  for (const v of views) {
    const gone = [...dropped, ...renamed.map(([, o]) => o.from)].find((d) => mentions(v.sql, d));
    if (gone !== undefined) {
      throw new RetortError('MIGRATION_FAILED', `cannot rebuild table "${name}" without column "${gone}": view "${v.name}" uses it`, {
        hint: `drop the view first (op.execute('DROP VIEW ${quoteId(v.name)}')) and create it again after the change`,
      });
    }
    out.push({ sql: v.sql });
  }
  for (const o of others) out.push({ sql: o.sql });
  return out;
}
