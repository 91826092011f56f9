/**
 * The domain and extension half of model collection: declarations gathered from the exports, refused at load where
 * the database has neither (SQLite, as sequences are), a name declared twice with different definitions refused, and
 * columns of a domain no model file declares named before a revision fails on them.
 */
import { RetortError } from '../errors.js';
import { domainNameOf, type DomainIR, type ExtensionIR, type SchemaIR } from '../ir/ir.js';
import type { SqlSpelling } from './dsl.js';
import { domainIR, extensionIR, type DomainType, type ExtensionDecl } from './domains.js';

const modelError = (message: string, hint: string) => new RetortError('MODEL', message, { hint });
const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** Collects declared domains and extensions by name. */
export class DomainCollector {
  private readonly domains = new Map<string, { decl: DomainType; file: string; ir: DomainIR }>();
  private readonly extensions = new Map<string, { decl: ExtensionDecl; file: string; ir: ExtensionIR }>();

  constructor(private readonly spelling: SqlSpelling) {}

  addDomain(decl: DomainType, file: string): void {
    const name = decl.domainName;
    if (this.spelling.schemaObjects !== true) {
      throw modelError(`${file}: domain "${name}" is declared, but this database has no domains`, 'use the base type with a check() on the table, or run against PostgreSQL');
    }
    let ir: DomainIR;
    try {
      ir = domainIR(decl, this.spelling);
    } catch (e) {
      if (e instanceof RetortError) throw new RetortError('MODEL', `${file}: ${e.message}`, { hint: e.hint ?? `fix the declaration of domain "${name}"` });
      throw e;
    }
    const prior = this.domains.get(name);
    if (prior && prior.decl !== decl && JSON.stringify(prior.ir) !== JSON.stringify(ir)) {
      throw modelError(`domain "${name}" is declared twice with different definitions: in ${prior.file} and ${file}`, 'declare it once and import it where it is used');
    }
    if (!prior) this.domains.set(name, { decl, file, ir });
  }

  addExtension(decl: ExtensionDecl, file: string): void {
    const name = decl.extensionName;
    if (this.spelling.schemaObjects !== true) {
      throw modelError(`${file}: extension "${name}" is declared, but this database has no extensions`, 'remove it, or run against PostgreSQL');
    }
    const ir = extensionIR(decl);
    const prior = this.extensions.get(name);
    if (prior && prior.decl !== decl && JSON.stringify(prior.ir) !== JSON.stringify(ir)) {
      throw modelError(`extension "${name}" is declared twice with different options: in ${prior.file} and ${file}`, 'declare it once');
    }
    if (!prior) this.extensions.set(name, { decl, file, ir });
  }

  /** The declared domains and extensions as SchemaIR fields (absent when none). */
  fields(): Pick<SchemaIR, 'domains' | 'extensions'> {
    const domains = [...this.domains.values()].map((d) => d.ir).sort(byName);
    const extensions = [...this.extensions.values()].map((e) => e.ir).sort(byName);
    return { ...(domains.length > 0 ? { domains } : {}), ...(extensions.length > 0 ? { extensions } : {}) };
  }
}

/** Refuses a column of a domain no model file declares, and a domain with the name of an enum (both are types). */
export function checkDomains(schema: SchemaIR, fileOf: (table: string) => string): void {
  const domains = new Set((schema.domains ?? []).map((d) => d.name));
  for (const d of schema.domains ?? []) {
    if (schema.enums.some((e) => e.name === d.name)) throw modelError(`domain "${d.name}" has the name of an enum; both are types and need distinct names`, 'rename one of them');
  }
  for (const t of schema.tables) {
    for (const c of t.columns) {
      const kind = c.type.kind;
      const name = kind === 'domain' || kind === 'array' ? domainNameOf(c.type) : null;
      if (name !== null && !domains.has(name)) {
        throw modelError(`${fileOf(t.name)}: ${t.name}.${c.name} uses domain "${name}", which no model file exports`, `export it: export const ${name} = domain('${name}', text(), { ... })`);
      }
    }
  }
}
