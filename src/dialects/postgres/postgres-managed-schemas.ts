/**
 * The managed schemas in the catalog queries (the config's `schema` and `schemas`): written into the texts as a list
 * of literals (withSchemas), not a parameter, so that every query keeps its parameters; one schema reads as
 * `= 'public'`. Objects of the default schema ($1) are named bare, the others `schema.name` (ir/qualified.ts).
 */
import { quoteLiteral } from './postgres-sql.js';

/** Where a query names the managed schemas: `n.nspname IN (${MANAGED})`. */
export const MANAGED = '__RETORT_MANAGED_SCHEMAS__';

/** An object's identity in SQL: its bare name in the default schema ($1), `schema.name` in another. */
export const qualifiedIn = (nspname: string, name: string) => `CASE WHEN ${nspname} = $1 THEN ${name}::text ELSE ${nspname}::text || '.' || ${name}::text END`;

/** The same by the schema's oid: a lookup, made only for the rows that name an object of another table. */
export const qualifiedOid = (nsOid: string, name: string) => `(SELECT ${qualifiedIn('qn.nspname', name)} FROM pg_namespace qn WHERE qn.oid = ${nsOid})`;

/** The query with the managed schemas written in. */
export function withSchemas(sql: string, schemas: readonly string[]): string {
  return sql.split(MANAGED).join(schemas.map(quoteLiteral).join(', '));
}

// Partitions are tables here (their parent and bound read with them); their columns are their parent's, not read.
export const TABLE_FILTER = `n.nspname IN (${MANAGED}) AND c.relkind IN ('r', 'p') AND ($2::text IS NULL OR c.relname = $2::text)`;

/**
 * The comment (COMMENT ON) of object `oid` of catalog `catalog`, looked up only where some object of that catalog has
 * one: the first test runs once per query (an uncorrelated InitPlan, a scan of pg_description that stops at the first
 * match), so a database without such comments probes the index for no row (1000 probes per query at 1000 tables).
 */
export const commentOn = (catalog: string, oid: string) => `CASE WHEN EXISTS (SELECT 1 FROM pg_description WHERE classoid = '${catalog}'::regclass)
    THEN (SELECT ds.description FROM pg_description ds WHERE ds.objoid = ${oid} AND ds.classoid = '${catalog}'::regclass AND ds.objsubid = 0) END`;
