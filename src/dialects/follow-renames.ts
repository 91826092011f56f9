/**
 * What a database does to the SQL it keeps when a table, a column or a view is renamed. PostgreSQL keeps views,
 * policies and trigger conditions as parsed trees that point at columns by number; SQLite's RENAME COLUMN and RENAME
 * TO rewrite the text of the views and triggers that name them. Either way they follow the rename. Autogenerate
 * compares the live schema as the declared renames leave it; without this, a policy's `tenant = 1` read before the
 * rename would differ from the declared `tenant_id = 1` and be altered, and its downgrade would set `tenant = 1` back
 * before the column is renamed back, which fails.
 *
 * The same goes for the expressions a renamed table keeps (CHECKs, generated columns, partial and expression indexes,
 * exclusion constraints: dialects/follow-renames-tables.ts).
 *
 * So, where the rename hints apply and the live schema has a view, a policy, a trigger or such an expression, the
 * dialect runs the renames in a transaction that is always rolled back, reads the schema back, and the live objects take the
 * database's text after the renames, under their names before them. If the renames cannot run, the live schema stays
 * as read.
 */
import type { Connection } from './dialect.js';
import type { SchemaIR } from '../ir/ir.js';
import type { Operation } from '../operations/operations.js';
import { triggerKey } from '../ir/routine.js';
import { inRolledBack } from './read-transaction.js';
import { followTables, touchesExpressions } from './follow-renames-tables.js';

/** `live` with its views', policies' and triggers' SQL as `read` finds it once `statements` (the renames) have run (see the module comment). */
export async function followRenames(conn: Connection, live: SchemaIR, renames: readonly Operation[], statements: readonly string[], read: () => Promise<SchemaIR>): Promise<SchemaIR> {
  const hasText = (live.views?.length ?? 0) + (live.policies?.length ?? 0) + (live.triggers?.length ?? 0) > 0 || touchesExpressions(live, renames);
  if (renames.length === 0 || statements.length === 0 || !hasText) return live;
  const after = await inRolledBack(conn, async () => {
    for (const s of statements) await conn.query(s);
    return read();
  });
  if (after === null) return live;
  const table = new Map<string, string>();
  const view = new Map<string, string>();
  for (const o of renames) {
    if (o.kind === 'renameTable') table.set(o.from, o.to);
    else if (o.kind === 'renameView') view.set(o.from, o.to);
  }
  const tableNow = (name: string) => table.get(name) ?? view.get(name) ?? name;
  const views = new Map((after.views ?? []).map((v) => [v.name, v]));
  const policies = new Map((after.policies ?? []).map((p) => [`${p.table}\u0000${p.name}`, p]));
  const triggers = new Map((after.triggers ?? []).map((t) => [triggerKey(t), t]));
  return {
    ...live,
    tables: followTables(live, after, renames),
    ...(live.views !== undefined ? { views: live.views.map((v) => {
      const a = views.get(view.get(v.name) ?? v.name);
      return a === undefined ? v : { ...v, definition: a.definition };
    }) } : {}),
    ...(live.policies !== undefined ? { policies: live.policies.map((p) => {
      const a = policies.get(`${tableNow(p.table)}\u0000${p.name}`);
      return a === undefined ? p : { ...p, using: a.using, withCheck: a.withCheck };
    }) } : {}),
    ...(live.triggers !== undefined ? { triggers: live.triggers.map((t) => {
      const a = triggers.get(triggerKey({ table: tableNow(t.table), name: t.name }));
      if (a === undefined) return t;
      const { when: _w, updateOf: _u, body: _b, ...rest } = t;
      return { ...rest, ...(a.when !== undefined ? { when: a.when } : {}), ...(a.updateOf !== undefined ? { updateOf: a.updateOf } : {}), ...(a.body !== undefined ? { body: a.body } : {}) };
    }) } : {}),
  };
}
