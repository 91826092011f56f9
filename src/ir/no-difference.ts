/**
 * The differ's quick answer for the common case: a live schema and a declared one that are the same in every field
 * the differ compares. Autogenerate and `check` on an unchanged database (most runs) then need neither the differ
 * nor the operation registry, which are loaded only when there is a difference.
 *
 * The fields skipped are those the differ never compares (ir.ts says so at each): the models' marks (`autoNamed`),
 * rename hints once none of them acts (the caller checks that), a column's `spelledAs`, what orders views and
 * functions (`dependsOn`, `usedBy`) and a view's column list. Any other difference, however small, sends the
 * comparison to the differ, so a false "different" costs time, never a missed change.
 */
import type { SchemaIR, ViewIR } from './ir.js';

const SKIPPED = new Set(['autoNamed', 'spelledAs', 'dependsOn', 'usedBy', 'renamedFrom', 'renamedValues', 'enumHints']);

/** Structural equality that skips SKIPPED keys at any depth (undefined fields are absent, as in sameIR). */
function same(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!same(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let defined = 0;
  for (const k in x) {
    if (x[k] === undefined || SKIPPED.has(k)) continue;
    defined++;
    if (!same(x[k], y[k])) return false;
  }
  for (const k in y) if (y[k] !== undefined && !SKIPPED.has(k)) defined--;
  return defined === 0;
}

const withoutColumns = (views: readonly ViewIR[] | undefined) => views?.map(({ columns: _c, ...v }) => v);

/**
 * True when the differ would find nothing to do between `live` and `declared` (both normalised, with no rename to
 * plan): every compared field is equal. False says only "ask the differ".
 */
export function noDifference(live: SchemaIR, declared: SchemaIR): boolean {
  const { views: liveViews, ...liveRest } = live;
  const { views: declaredViews, ...declaredRest } = declared;
  return same(liveRest, declaredRest) && same(withoutColumns(liveViews), withoutColumns(declaredViews));
}
