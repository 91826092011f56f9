/**
 * alterDomain: a domain changed in place (ALTER DOMAIN SET/DROP DEFAULT, SET/DROP NOT NULL, ADD/DROP CONSTRAINT,
 * COMMENT ON DOMAIN), so the columns that use it stay. `checks` is the whole list: checks are added and dropped by
 * name and expression against `from.checks`, which a change of checks must carry.
 */
import type { DomainChanges, DomainIR } from '../../ir/ir.js';
import { sameIR } from '../../ir/ir-util.js';
import { renderDomainOp } from '../../render/render-domains.js';
import { IrreversibleOperationError, type OperationDef } from '../operation-def.js';

/**
 * `from` holds the old values of whatever `to` changes, when known. `notValid`: the checks it adds are added NOT VALID
 * (new values are checked at once, stored ones by a validateDomainCheck after), as the online plan writes them.
 */
export interface AlterDomainOp { readonly kind: 'alterDomain'; readonly name: string; readonly to: DomainChanges; readonly from?: DomainChanges; readonly notValid?: true }

function changesText(c: DomainChanges | undefined): string {
  if (c === undefined) return '?';
  const parts: string[] = [];
  if (c.notNull !== undefined) parts.push(c.notNull ? 'not null' : 'null');
  if (c.default !== undefined) parts.push(`default ${c.default ?? 'none'}`);
  if (c.checks !== undefined) parts.push(c.checks.length === 0 ? 'no checks' : `checks ${c.checks.map((x) => x.name).join(', ')}`);
  if (c.comment !== undefined) parts.push(`comment ${JSON.stringify(c.comment)}`);
  return parts.join(', ');
}

export const alterDomain: OperationDef<AlterDomainOp> = {
  inverse: (o) => {
    const from = o.from;
    const missing = Object.keys(o.to).find((k) => from === undefined || !(k in from));
    if (from === undefined || missing !== undefined) throw new IrreversibleOperationError(o, `the previous ${missing ?? 'definition'} of domain "${o.name}" is not known`);
    return { kind: 'alterDomain', name: o.name, to: from, from: o.to };
  },
  table: () => null,
  describe: (o) => [`~ domain ${o.name}: ${changesText(o.from)} -> ${changesText(o.to)}`],
  render: (o, ctx) => renderDomainOp(o, ctx.imports),
  apply: (s, o) => {
    const before = s.domains.get(o.name) ?? s.fail(o, `no domain "${o.name}"`);
    if (s.strict && o.from) {
      for (const [k, v] of Object.entries(o.from)) {
        const now = k === 'comment' ? (before.comment ?? null) : before[k as keyof DomainIR];
        if (!sameIR(v, now)) s.fail(o, `the recorded previous ${k} of domain "${o.name}" differs from the schema as it stands`);
      }
    }
    const { comment, ...rest } = o.to;
    const { comment: _old, ...kept } = before;
    const next: DomainIR = { ...kept, ...rest, ...(comment === undefined ? (before.comment !== undefined ? { comment: before.comment } : {}) : comment === null ? {} : { comment }) };
    s.domains.set(o.name, next);
  },
};
