/** dropDomain: removes a domain (refused while a column uses it, as PostgreSQL refuses). */
import type { DomainIR } from '../../ir/ir.js';
import { domainNameOf } from '../../ir/ir.js';
import { renderDomainOp } from '../../render/render-domains.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';

/** `domain` is the full definition when known (autogenerate), or null (hand-written). */
export interface DropDomainOp { readonly kind: 'dropDomain'; readonly name: string; readonly domain: DomainIR | null }

export const dropDomain: OperationDef<DropDomainOp> = {
  inverse: (o) => {
    if (!o.domain) throw new IrreversibleOperationError(o, `the definition of domain "${o.name}" is not known`);
    return { kind: 'createDomain', domain: o.domain };
  },
  table: () => null,
  describe: (o) => [`- domain ${o.name}`],
  render: (o, ctx) => renderDomainOp(o, ctx.imports),
  apply: (s, o) => {
    const before = s.domains.get(o.name) ?? s.fail(o, `no domain "${o.name}"`);
    s.sameAs(o, `domain "${o.name}"`, o.domain, before);
    for (const t of s.tables.values()) for (const c of t.columns) if (domainNameOf(c.type) === o.name) s.fail(o, `domain "${o.name}" is used by ${t.name}.${c.name}`);
    s.domains.delete(o.name);
  },
};
