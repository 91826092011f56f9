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
import { sameIR } from './ir-util.js';

const SKIPPED = new Set(['autoNamed', 'spelledAs', 'dependsOn', 'usedBy', 'renamedFrom', 'renamedValues', 'enumHints']);

const withoutColumns = (views: readonly ViewIR[] | undefined) => views?.map(({ columns: _c, ...v }) => v);

/**
 * True when the differ would find nothing to do between `live` and `declared` (both normalised, with no rename to
 * plan): every compared field is equal. False says only "ask the differ".
 */
export function noDifference(live: SchemaIR, declared: SchemaIR): boolean {
  const { views: liveViews, ...liveRest } = live;
  const { views: declaredViews, ...declaredRest } = declared;
  return sameIR(liveRest, declaredRest, SKIPPED) && sameIR(withoutColumns(liveViews), withoutColumns(declaredViews), SKIPPED);
}
