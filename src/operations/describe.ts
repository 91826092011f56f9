/**
 * describeDifferences: one readable line per change for `retort check` and the
 * autogenerate summary (`+ table posts`, `~ column users.email: varchar(80) -> varchar(255)`).
 * Each kind's line is its definition's (kinds/*.ts `describe`); this file
 * reads patterns of several operations as one change: an enum rebuild is one line.
 */
import { definitionOf, type Operation } from './operations.js';
import { values } from './describe-text.js';

/** Readable lines describing what `ops` change, in order. */
export function describeDifferences(ops: readonly Operation[]): string[] {
  const out: string[] = [];
  // Defaults a rebuild dropped and the comparator sets again unchanged are not differences.
  const parked = new Map<string, string | null | undefined>();
  // The createView of a view dropped earlier in the list, already described with its drop.
  const recreated = new Set<number>();
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i]!;
    if (o.kind === 'alterColumn') {
      const key = `${o.table}.${o.column}`;
      if (Object.keys(o.to).length === 1 && o.to.serverDefault !== undefined && parked.has(key) && parked.get(key) === o.to.serverDefault) { parked.delete(key); continue; }
    }
    if (o.kind === 'createEnum') {
      // An enum rebuild: createEnum <tmp>, ..., dropEnum <name> (old values), renameEnum <tmp> -> <name>.
      const j = ops.findIndex((x, k) => k > i && x.kind === 'renameEnum' && x.from === o.enum.name);
      const rename = ops[j];
      if (rename?.kind === 'renameEnum') {
        const old = ops.slice(i, j).find((x) => x.kind === 'dropEnum' && x.name === rename.to);
        out.push(`~ enum ${rename.to}: ${old?.kind === 'dropEnum' && old.enum ? values(old.enum.values) : '?'} -> ${values(o.enum.values)}`);
        for (const x of ops.slice(i, j)) if (x.kind === 'alterColumn' && x.to.serverDefault === null && x.from?.serverDefault !== undefined) parked.set(`${x.table}.${x.column}`, x.from.serverDefault);
        i = j;
        continue;
      }
    }
    if (o.kind === 'dropView') {
      // Dropped and created again in the same change (moved out of the way, or changed beyond CREATE OR REPLACE): one line.
      const again = ops.findIndex((x, k) => k > i && x.kind === 'createView' && x.view.name === o.name);
      const create = ops[again];
      if (create?.kind === 'createView') {
        const what = create.view.materialized ? 'materialized view' : 'view';
        const changed = o.view === null || o.view.definition !== create.view.definition || o.view.materialized !== create.view.materialized;
        out.push(`~ ${what} ${o.name}: ${changed ? 'definition changed' : 'moved out of the way of a change under it'} (dropped and created again)`);
        recreated.add(again);
        continue;
      }
    }
    if (recreated.has(i)) continue;
    out.push(...definitionOf(o).describe(o));
  }
  return out;
}
