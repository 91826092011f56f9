/**
 * Domains and extensions written back as model declarations for `retort pull`: `export const usPostalCode =
 * domain('us_postal_code', text(), { notNull: true, checks: { us_postal_code_check: sql`...` } })`, checks by their
 * names in the database (so the models name them exactly), and `export const pgcrypto = extension('pgcrypto',
 * { schema: 'public' })`, its schema written and its version not (left to the server's default, so the models do
 * not pin one: a version is compared only where declared).
 */
import type { DomainIR, ExtensionIR } from '../../ir/ir.js';
import { objectLiteral, quoteString, sqlTemplate } from '../literal.js';
import { renderDefault, renderType, type Imports } from '../render-column.js';
import { collateCall } from '../render-domains.js';

/** One declaration of a model file (see render-models.ts). */
export interface DeclarationUnit {
  readonly file: string;
  readonly code: string;
  readonly imports: Imports;
  readonly uses: Set<string>;
  readonly defines: string;
}

/** A domain's declaration; a base type the DSL has no builder for is written as customType(). */
export function renderDomain(d: DomainIR, variable: string, file: string, enumVar: ReadonlyMap<string, string>): DeclarationUnit {
  const imports: Imports = new Set(['domain']);
  const uses = new Set<string>();
  const enumBuilder = (name: string) => {
    const v = enumVar.get(name);
    if (v === undefined) return (imports.add('enumColumn'), `enumColumn(${quoteString(name)})`);
    uses.add(v);
    return `${v}()`;
  };
  const type = `${renderType(d.type, imports, false, enumBuilder) ?? (imports.add('customType'), `customType(${quoteString(d.type.kind === 'custom' ? d.type.sql : d.type.kind)})`)}${collateCall(d)}`;
  const entries: [string, string][] = [];
  if (d.notNull) entries.push(['notNull', 'true']);
  if (d.default !== null) entries.push(['default', renderDefault(d.default, imports)]);
  if (d.checks.length > 0) {
    imports.add('sql');
    entries.push(['checks', objectLiteral(d.checks.map((c) => [c.name, sqlTemplate(c.expression)]))]);
  }
  if (d.comment !== undefined) entries.push(['comment', quoteString(d.comment)]);
  const args = [quoteString(d.name), type, ...(entries.length > 0 ? [objectLiteral(entries)] : [])];
  return { file, code: `export const ${variable} = domain(${args.join(', ')});`, imports, uses, defines: variable };
}

/** An extension's declaration, with the schema it is installed in. */
export function renderExtension(e: ExtensionIR, variable: string, file: string): DeclarationUnit {
  const entries: [string, string][] = e.schema !== undefined ? [['schema', quoteString(e.schema)]] : [];
  const args = [quoteString(e.name), ...(entries.length > 0 ? [objectLiteral(entries)] : [])];
  return { file, code: `export const ${variable} = extension(${args.join(', ')});`, imports: new Set(['extension']), uses: new Set(), defines: variable };
}
