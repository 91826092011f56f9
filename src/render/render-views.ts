/**
 * The view operations as `op` calls. A materialized view created with its data says so in a comment above the
 * call: filling it runs its query, which can be slow on large tables.
 */
import type { IndexIR, ViewIR } from '../ir/ir.js';
import type { ViewOperation } from '../operations/view-operations.js';
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

/** One op call (with its comment, if any) for a view operation. */
export function renderViewOperation(o: ViewOperation, imports: Imports): string {
  switch (o.kind) {
    case 'createView': {
      imports.add('sql');
      const opts = viewOptions(o.view);
      const args = [q(o.view.name), sqlTemplate(o.view.definition), ...(opts.length > 0 ? [objectLiteral(opts)] : [])];
      return `${filled(o.view) ? FILL_NOTE : ''}op.${o.view.materialized ? 'createMaterializedView' : 'createView'}(${args.join(', ')});`;
    }
    case 'dropView':
      return `op.${o.materialized ? 'dropMaterializedView' : 'dropView'}(${q(o.name)});`;
    case 'replaceView': {
      imports.add('sql');
      const opts = viewOptions(o.view);
      if (o.view.materialized) opts.unshift(['materialized', 'true']);
      if (o.columnChange !== undefined) opts.push(['columnChange', q(o.columnChange)]);
      const args = [q(o.view.name), sqlTemplate(o.view.definition), ...(opts.length > 0 ? [objectLiteral(opts)] : [])];
      return `${filled(o.view) ? FILL_NOTE : ''}op.replaceView(${args.join(', ')});`;
    }
    case 'refreshMaterializedView':
      return `op.refreshMaterializedView(${q(o.name)}${o.concurrently === true ? ', { concurrently: true }' : ''});`;
  }
}
