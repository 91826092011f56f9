/**
 * A declared domain's default and checks in PostgreSQL's own spelling (`VALUE ~ '^[0-9]{5}$'` reads back
 * `VALUE ~ '^[0-9]{5}$'::text`), found as a table's expressions are: for each declared domain whose default or
 * checks differ textually from the live one, and only those, the domain is created in the session's temporary
 * schema inside a transaction that is always rolled back, and read back with the introspector's own query. Where
 * the server's spelling equals the live one, the live text is adopted; otherwise the declared text stays (a real
 * difference).
 */
import { withSchemas } from './postgres-managed-schemas.js';
import type { Connection } from '../dialect.js';
import { inRolledBack, inSavepoint } from '../read-transaction.js';
import type { DomainIR, SchemaIR } from '../../ir/ir.js';
import { createDomainSql } from './postgres-domains.js';
import { buildDomain, DOMAINS_SQL, type DomainRow } from './postgres-domains-read.js';
import { normalizeSchema } from './postgres-normalize.js';
import { quoteIdentifier as q, quoteQualified } from './postgres-sql.js';

const differs = (d: DomainIR, l: DomainIR) =>
  (d.default !== null && l.default !== null && d.default !== l.default) || d.checks.some((c) => l.checks.some((x) => x.name === c.name && x.expression !== c.expression));

/** `declared`'s domains, each default and check in the live spelling where the server spells it the same. */
export async function canonicalDomains(conn: Connection, declared: SchemaIR, live: SchemaIR): Promise<readonly DomainIR[] | undefined> {
  if (declared.domains === undefined) return undefined;
  const liveDomains = new Map((live.domains ?? []).map((d) => [d.name, d]));
  const differing = declared.domains.filter((d) => {
    const l = liveDomains.get(d.name);
    return l !== undefined && differs(d, l);
  });
  if (differing.length === 0) return declared.domains;
  const scratch = await scratchDomains(conn, differing);
  return declared.domains.map((d) => {
    const s = scratch.get(d.name);
    const l = liveDomains.get(d.name);
    if (s === undefined || l === undefined) return d;
    return {
      ...d,
      default: d.default !== null && s.default === l.default ? l.default : d.default,
      checks: d.checks.map((c) => {
        const sc = s.checks.find((x) => x.name === c.name);
        const lc = l.checks.find((x) => x.name === c.name);
        return sc !== undefined && lc !== undefined && sc.expression === lc.expression ? { ...c, expression: lc.expression } : c;
      }),
    };
  });
}

async function scratchDomains(conn: Connection, domains: readonly DomainIR[]): Promise<Map<string, DomainIR>> {
  const read = await inRolledBack(conn, async () => {
    for (const d of domains) {
      const { comment: _comment, ...bare } = d;
      const [create] = createDomainSql(bare);
      // A domain of a named schema is built in the temporary schema under its whole identity as one name (`billing.zip`).
      // One savepoint each: a domain PostgreSQL refuses (a check calling a function not created yet) leaves out only itself.
      await inSavepoint(conn, 'retort_domain', create!.replace(`CREATE DOMAIN ${quoteQualified(d.name)}`, `CREATE DOMAIN pg_temp.${q(d.name)}`));
    }
    const [row] = await conn.query<{ name: string | null }>('SELECT nspname AS name FROM pg_namespace WHERE oid = pg_my_temp_schema()');
    if (!row?.name) return new Map<string, DomainIR>();
    const rows = await conn.query<DomainRow>(withSchemas(DOMAINS_SQL, [row.name]), [row.name]);
    const read = normalizeSchema({ tables: [], enums: [], domains: rows.map(buildDomain) }).domains ?? [];
    return new Map(read.map((d) => [d.name, d]));
  });
  return read ?? new Map();
}
