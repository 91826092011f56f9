/**
 * The view operations as `op` calls. A materialized view created with its data says so in a comment above the
 * call: filling it runs its query, which can be slow on large tables.
 */
import type { IndexIR, ViewIR } from '../ir/ir.js';
import { objectLiteral, quoteString as q, sqlTemplate, stringArray } from './literal.js';
import type { Imports } from './render-column.js';

function indexLiteral(ix: IndexIR): string {
  const entries: [string, string][] = [['name', q(ix.name)], ['columns', stringArray(ix.columns)]];
  if (ix.unique) entries.push(['unique', 'true']);
  if (ix.where !== null) entries.push(['where', q(ix.where)]);
  if (ix.method !== undefined) entries.push(['using', q(ix.method)]);
  if (ix.include !== undefined && ix.include.length > 0) entries.push(['include', stringArray(ix.include)]);
  return objectLiteral(entries);
}

/** The options object of a view's op call, empty entries when it has none. */
function viewOptions(v: ViewIR): [string, string][] {
  const out: [string, string][] = [];
  if (v.securityBarrier === true) out.push(['securityBarrier', 'true']);
  if (v.checkOption !== undefined) out.push(['checkOption', q(v.checkOption)]);
  if (v.withData === false) out.push(['withData', 'false']);
  if (v.indexes !== undefined && v.indexes.length > 0) out.push(['indexes', `[${v.indexes.map(indexLiteral).join(', ')}]`]);
  return out;
}

const filled = (v: ViewIR) => v.materialized && v.withData !== false;
const FILL_NOTE = '// Fills the materialized view (runs its query): can be slow on large tables.\n';

/** The `op` call that creates or replaces `v` (with the fill note for a materialized view filled at once). */
export function renderViewCall(method: 'createView' | 'replaceView', v: ViewIR, imports: Imports, extra: readonly [string, string][] = []): string {
  imports.add('sql');
  const opts = viewOptions(v);
  if (method === 'replaceView' && v.materialized) opts.unshift(['materialized', 'true']);
  opts.push(...extra);
  const name = method === 'createView' && v.materialized ? 'createMaterializedView' : method;
  const args = [q(v.name), sqlTemplate(v.definition), ...(opts.length > 0 ? [objectLiteral(opts)] : [])];
  return `${filled(v) ? FILL_NOTE : ''}op.${name}(${args.join(', ')});`;
}
