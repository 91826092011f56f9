/**
 * Constraints and indexes the models declare without a name (`.unique()`, `index().on(...)`, `check(sql...)`,
 * an unnamed foreign or primary key) carry the naming convention's name and the `autoNamed` mark. The database
 * may call the same constraint otherwise (another tool's convention, a name PostgreSQL picked): such a
 * declaration is matched by its definition (columns, expression, options; everything but the name) and takes
 * the live name, so nothing is dropped and added again. A name declared explicitly still compares. The mark is
 * stripped here, as `renamedFrom` is by compare-renames.ts, so it never makes two schemas differ.
 */
import type { SchemaIR, TableIR } from '../ir/ir.js';
import { byCodePoint, sameIR, unmarked } from '../ir/ir-util.js';

type Named = { readonly name: string; readonly autoNamed?: boolean };

/** `declared` with each unnamed declaration renamed to the live item of the same definition, and every mark removed. */
export function adoptLiveNames(live: SchemaIR, declared: SchemaIR): SchemaIR {
  if (!declared.tables.some(hasMark)) return declared;
  const liveTables = new Map(live.tables.map((t) => [t.name, t]));
  return { ...declared, tables: declared.tables.map((t) => (hasMark(t) ? matchTable(liveTables.get(t.name), t) : t)) };
}

function hasMark(t: TableIR): boolean {
  const marked = (x: { readonly autoNamed?: boolean } | null) => x?.autoNamed !== undefined;
  return marked(t.primaryKey) || t.uniques.some(marked) || t.indexes.some(marked) || t.foreignKeys.some(marked) || t.checks.some(marked) || (t.excludes ?? []).some(marked);
}

function matchTable(live: TableIR | undefined, t: TableIR): TableIR {
  const pk = t.primaryKey;
  let primaryKey = pk === null ? null : unmarked(pk);
  // A table has one primary key: an unnamed one is the live one when their columns agree.
  if (pk?.autoNamed === true && live?.primaryKey && sameIR(live.primaryKey.columns, pk.columns)) primaryKey = { ...primaryKey!, name: live.primaryKey.name };
  return {
    ...t,
    primaryKey,
    uniques: matchList(live?.uniques ?? [], t.uniques),
    indexes: matchList(live?.indexes ?? [], t.indexes),
    foreignKeys: matchList(live?.foreignKeys ?? [], t.foreignKeys),
    checks: matchList(live?.checks ?? [], t.checks),
    ...(t.excludes !== undefined ? { excludes: matchList(live?.excludes ?? [], t.excludes) } : {}),
  };
}

// The database's unfinished states (an INVALID index, a NOT VALID constraint) are not part of a definition: the
// declaration takes the live item's name, and the differ then answers the state.
const UNFINISHED = new Set(['invalid', 'notValid']);

/**
 * Each unnamed item whose name the database does not have takes the name of the first live item of the same
 * definition that no declared item is named after and none took before it.
 */
function matchList<T extends Named>(live: readonly T[], declared: readonly T[]): T[] {
  const liveNames = new Set(live.map((x) => x.name));
  const claimed = new Set(declared.map((x) => x.name));
  let renamed = false;
  const out = declared.map((d) => {
    const bare = unmarked(d);
    if (d.autoNamed !== true || liveNames.has(d.name)) return bare;
    const same = live.find((l) => !claimed.has(l.name) && sameIR({ ...l, name: '' }, { ...bare, name: '' }, UNFINISHED));
    if (same === undefined) return bare;
    claimed.add(same.name);
    renamed = true;
    return { ...bare, name: same.name };
  });
  // Lists are sorted by name (normalisers sort them), so unchanged tables compare equal item by item.
  return renamed ? out.sort((a, b) => byCodePoint(a.name, b.name)) : out;
}
