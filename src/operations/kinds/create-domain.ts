/** createDomain: a domain (PostgreSQL's CREATE DOMAIN) with its base type, NOT NULL, default, checks and comment. */
import type { DomainIR } from '../../ir/ir.js';
import { typeText } from '../../ir/ir-util.js';
import { renderDomainOp } from '../../render/render-domains.js';
import type { OperationDef } from '../operation-def.js';

export interface CreateDomainOp { readonly kind: 'createDomain'; readonly domain: DomainIR }

export const createDomain: OperationDef<CreateDomainOp> = {
  inverse: (o) => ({ kind: 'dropDomain', name: o.domain.name, domain: o.domain }),
  table: () => null,
  describe: (o) => [`+ domain ${o.domain.name} ${typeText(o.domain.type)}${o.domain.collation !== undefined ? ` collate ${o.domain.collation}` : ''}${o.domain.notNull ? ' not null' : ''}${o.domain.checks.length > 0 ? ` (${o.domain.checks.length} check${o.domain.checks.length > 1 ? 's' : ''})` : ''}`],
  render: (o, ctx) => renderDomainOp(o, ctx.imports),
  apply: (s, o) => {
    if (s.domains.has(o.domain.name) || s.enums.has(o.domain.name)) s.fail(o, `type "${o.domain.name}" already exists`);
    s.checkType(o, o.domain.type);
    s.domains.set(o.domain.name, o.domain);
  },
};
