/**
 * The objects of the managed PostgreSQL schemas the Schema IR does not hold, for `retort pull` to name: one catalog
 * query whatever their number, each named as the IR names objects (`billing.x` outside the default schema). Objects
 * an extension installed are the extension's (its one line covers them).
 * Sequences (free-standing ones, and those a serial or identity column owns), identity columns, functions,
 * triggers, domains, extensions, partitioned tables with their partitions, exclusion constraints, row-level
 * security, policies, views and materialized views are declared; comments on exclusion constraints, functions,
 * triggers and policies are not (the models have no comment for them), and neither are grants.
 */
import type { Connection, UndeclaredObject } from '../dialect.js';
import { DEFAULT_SCHEMA } from './postgres-schema.js';
import { MANAGED, qualifiedOid, withSchemas } from './postgres-managed-schemas.js';

// An object's name as the IR names it: bare in the default schema ($1), `billing.x` in another one.
const named = qualifiedOid;

const EXTENSION_MEMBER = (classid: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = '${classid}'::regclass AND d.objid = ${oid} AND d.deptype = 'e')`;

const UNMANAGED_SCHEMA = 'schema with tables the config does not manage (add it to `schemas`)';

// The object has a comment (COMMENT ON), looked up by pg_description's index.
const DESCRIBED = (classid: string, oid: string) =>
  `JOIN pg_description ds ON ds.objoid = ${oid} AND ds.classoid = '${classid}'::regclass AND ds.objsubid = 0`;

const UNDECLARED_SQL = `
WITH ns AS (SELECT oid FROM pg_namespace WHERE nspname IN (${MANAGED}))
SELECT kind, name FROM (
  SELECT CASE c.relkind WHEN 'f' THEN 'foreign table' WHEN 'c' THEN 'composite type' END AS kind, ${named('c.relnamespace', 'c.relname')} AS name
  FROM pg_class c
  WHERE c.relnamespace IN (SELECT oid FROM ns) AND c.relkind IN ('f', 'c')
    AND ${EXTENSION_MEMBER('pg_class', 'c.oid')}

  UNION ALL
  -- schema() declares no comment (public's own, from initdb, is not the user's)
  SELECT 'schema comment', n.nspname::text
  FROM pg_namespace n JOIN pg_description d ON d.objoid = n.oid AND d.classoid = 'pg_namespace'::regclass AND d.objsubid = 0
  WHERE n.oid IN (SELECT oid FROM ns) AND NOT (n.nspname = 'public' AND d.description = 'standard public schema')

  UNION ALL
  -- comments on objects the models declare without one: exclusion constraints, functions, triggers, policies
  SELECT 'comment on exclusion constraint (declared without it)', ${named('c.relnamespace', 'c.relname')} || '.' || co.conname
  FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid ${DESCRIBED('pg_constraint', 'co.oid')}
  WHERE c.relnamespace IN (SELECT oid FROM ns) AND co.contype = 'x'
  UNION ALL
  SELECT 'comment on function (declared without it)', ${named('p.pronamespace', 'p.proname')} || '(' || pg_get_function_identity_arguments(p.oid) || ')'
  FROM pg_proc p ${DESCRIBED('pg_proc', 'p.oid')}
  WHERE p.pronamespace IN (SELECT oid FROM ns) AND ${EXTENSION_MEMBER('pg_proc', 'p.oid')}
  UNION ALL
  SELECT 'comment on trigger (declared without it)', ${named('c.relnamespace', 'c.relname')} || '.' || t.tgname
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid ${DESCRIBED('pg_trigger', 't.oid')}
  WHERE c.relnamespace IN (SELECT oid FROM ns) AND NOT t.tgisinternal
  UNION ALL
  SELECT 'comment on policy (declared without it)', ${named('c.relnamespace', 'c.relname')} || '.' || po.polname
  FROM pg_policy po JOIN pg_class c ON c.oid = po.polrelid ${DESCRIBED('pg_policy', 'po.oid')}
  WHERE c.relnamespace IN (SELECT oid FROM ns)

  UNION ALL
  -- functions, procedures and aggregates are declared, but window functions and SQL-standard bodies (BEGIN ATOMIC)
  SELECT CASE WHEN p.prokind = 'w' THEN 'window function' ELSE 'function with a SQL-standard body' END,
    ${named('p.pronamespace', 'p.proname')} || '(' || pg_get_function_identity_arguments(p.oid) || ')'
  FROM pg_proc p WHERE p.pronamespace IN (SELECT oid FROM ns) AND ${EXTENSION_MEMBER('pg_proc', 'p.oid')}
    AND (p.prokind = 'w' OR p.prosqlbody IS NOT NULL)
  UNION ALL
  -- triggers are declared, but constraint triggers
  SELECT 'constraint trigger on ' || ${named('c.relnamespace', 'c.relname')}, t.tgname::text
  FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
  WHERE c.relnamespace IN (SELECT oid FROM ns) AND NOT t.tgisinternal AND t.tgconstraint <> 0
  UNION ALL
  SELECT CASE t.typtype WHEN 'r' THEN 'range type' WHEN 'm' THEN 'multirange type' END, ${named('t.typnamespace', 't.typname')}
  FROM pg_type t
  WHERE t.typnamespace IN (SELECT oid FROM ns) AND t.typtype = 'r' AND ${EXTENSION_MEMBER('pg_type', 't.oid')}
  UNION ALL
  SELECT 'rule on ' || ${named('c.relnamespace', 'c.relname')}, r.rulename::text
  FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class
  WHERE c.relnamespace IN (SELECT oid FROM ns) AND c.relkind IN ('r', 'p') AND r.rulename <> '_RETURN'
  UNION ALL
  -- a sequence the models declare is bigint; one of another type is declared with its bounds, not its type
  SELECT 'sequence type ' || format_type(s.seqtypid, NULL) || ' (declared as bigint)', ${named('c.relnamespace', 'c.relname')}
  FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid
  WHERE c.relnamespace IN (SELECT oid FROM ns) AND s.seqtypid <> 'bigint'::regtype AND ${EXTENSION_MEMBER('pg_class', 'c.oid')}
    AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
      AND d.refclassid = 'pg_class'::regclass AND d.refobjsubid > 0 AND d.deptype IN ('a', 'i'))
  UNION ALL
  -- a column owning the sequence of its nextval() default reads as serial, whose sequence has the default options
  SELECT 'serial sequence options (declared as serial)', ${named('c.relnamespace', 'c.relname')} || '.' || a.attname
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
    JOIN pg_depend d ON d.refclassid = 'pg_class'::regclass AND d.refobjid = c.oid AND d.refobjsubid = a.attnum
      AND d.classid = 'pg_class'::regclass AND d.deptype = 'a'
    JOIN pg_sequence s ON s.seqrelid = d.objid
    JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
  WHERE c.relnamespace IN (SELECT oid FROM ns) AND c.relkind IN ('r', 'p') AND NOT a.attisdropped AND a.attidentity = ''
    AND pg_get_expr(ad.adbin, ad.adrelid) = 'nextval(' || quote_literal(d.objid::regclass::text) || '::regclass)'
    AND (s.seqstart <> 1 OR s.seqincrement <> 1 OR s.seqmin <> 1 OR s.seqcache <> 1 OR s.seqcycle
      OR s.seqmax <> CASE s.seqtypid WHEN 'int2'::regtype THEN 32767 WHEN 'int4'::regtype THEN 2147483647 ELSE 9223372036854775807 END)
  UNION ALL
  -- what a constraint says beyond what models declare (DEFERRABLE is declared on foreign keys, keys and uniques)
  SELECT CASE WHEN NOT co.convalidated THEN 'constraint NOT VALID (declared as validated)'
      WHEN co.connoinherit AND co.contype = 'c' THEN 'check NO INHERIT (declared without it)'
      ELSE 'deferrable exclusion constraint (declared as not deferrable)' END,
    ${named('c.relnamespace', 'c.relname')} || '.' || co.conname
  FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid
  WHERE c.relnamespace IN (SELECT oid FROM ns) AND c.relkind IN ('r', 'p')
    AND (NOT co.convalidated OR (co.connoinherit AND co.contype = 'c') OR (co.condeferrable AND co.contype = 'x'))
  UNION ALL
  SELECT 'storage parameters ' || array_to_string(c.reloptions, ', ') || ' (declared without them)', ${named('c.relnamespace', 'c.relname')}
  FROM pg_class c WHERE c.relnamespace IN (SELECT oid FROM ns) AND c.relkind IN ('r', 'p', 'i', 'm') AND c.reloptions IS NOT NULL
    AND ${EXTENSION_MEMBER('pg_class', 'c.oid')}
  UNION ALL
  SELECT 'column storage ' || CASE a.attstorage WHEN 'p' THEN 'PLAIN' WHEN 'e' THEN 'EXTERNAL' WHEN 'm' THEN 'MAIN' ELSE 'EXTENDED' END || ' (declared as the type''s)', ${named('c.relnamespace', 'c.relname')} || '.' || a.attname
  FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_type t ON t.oid = a.atttypid
  WHERE c.relnamespace IN (SELECT oid FROM ns) AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped AND a.attstorage <> t.typstorage
  UNION ALL
  SELECT 'extended statistics', ${named('s.stxnamespace', 's.stxname')}
  FROM pg_statistic_ext s WHERE s.stxnamespace IN (SELECT oid FROM ns)
  UNION ALL
  SELECT 'unlogged table (declared as logged)', ${named('c.relnamespace', 'c.relname')}
  FROM pg_class c WHERE c.relnamespace IN (SELECT oid FROM ns) AND c.relkind IN ('r', 'p') AND c.relpersistence = 'u'
  UNION ALL
  SELECT 'inherits from ' || ${named('p.relnamespace', 'p.relname')}, ${named('c.relnamespace', 'c.relname')}
  FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
  WHERE c.relnamespace IN (SELECT oid FROM ns) AND NOT c.relispartition
  UNION ALL
  -- grants (an ACL set by GRANT or REVOKE: NULL is the owner's defaults; public's own is initdb's): one summary line
  SELECT 'grants (the models declare none: keep them in a revision with op.execute)', string_agg(g.n || ' ' || g.what || CASE WHEN g.n > 1 THEN 's' ELSE '' END, ', ' ORDER BY g.ord)
  FROM (
    SELECT CASE WHEN c.relkind IN ('v', 'm') THEN 2 WHEN c.relkind = 'S' THEN 3 ELSE 1 END AS ord,
      CASE WHEN c.relkind IN ('v', 'm') THEN 'view' WHEN c.relkind = 'S' THEN 'sequence' ELSE 'table' END AS what, count(*) AS n
    FROM pg_class c WHERE c.relnamespace IN (SELECT oid FROM ns) AND c.relkind IN ('r', 'p', 'f', 'v', 'm', 'S') AND c.relacl IS NOT NULL
      AND ${EXTENSION_MEMBER('pg_class', 'c.oid')}
    GROUP BY 1, 2
    UNION ALL
    SELECT 4, 'function', count(*) FROM pg_proc p WHERE p.pronamespace IN (SELECT oid FROM ns) AND p.proacl IS NOT NULL AND ${EXTENSION_MEMBER('pg_proc', 'p.oid')}
    UNION ALL
    SELECT 5, 'type', count(*) FROM pg_type t WHERE t.typnamespace IN (SELECT oid FROM ns) AND t.typacl IS NOT NULL AND ${EXTENSION_MEMBER('pg_type', 't.oid')}
    UNION ALL
    SELECT 6, 'schema', count(*) FROM pg_namespace n WHERE n.oid IN (SELECT oid FROM ns) AND n.nspacl IS NOT NULL
      AND n.nspacl IS DISTINCT FROM (SELECT ip.initprivs FROM pg_init_privs ip WHERE ip.objoid = n.oid AND ip.classoid = 'pg_namespace'::regclass AND ip.objsubid = 0)
    UNION ALL
    SELECT 7, 'default privilege', count(*) FROM pg_default_acl d WHERE d.defaclnamespace = 0 OR d.defaclnamespace IN (SELECT oid FROM ns)
  ) g
  WHERE g.n > 0
  HAVING count(*) > 0

  UNION ALL
  -- a schema the config does not manage, holding tables: none of its objects is read
  SELECT '${UNMANAGED_SCHEMA}', n.nspname::text
  FROM pg_namespace n
  WHERE n.oid NOT IN (SELECT oid FROM ns) AND n.nspname NOT IN ('information_schema', 'pg_catalog', 'pg_toast') AND n.nspname NOT LIKE 'pg\\_%'
    AND EXISTS (SELECT 1 FROM pg_class c WHERE c.relnamespace = n.oid AND c.relkind IN ('r', 'p') AND ${EXTENSION_MEMBER('pg_class', 'c.oid')})

) o
ORDER BY kind, name`;

/** The objects of the managed schemas (the default one and the config's `schemas`) Retort's models cannot declare. */
export async function undeclaredPostgres(conn: Connection, options: { readonly schema?: string; readonly schemas?: readonly string[] }): Promise<UndeclaredObject[]> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  const rows = await conn.query<UndeclaredObject>(withSchemas(UNDECLARED_SQL, [...new Set([schema, ...(options.schemas ?? [])])]), [schema]);
  return rows.map((r) => (r.kind === UNMANAGED_SCHEMA ? { ...r, unmanagedSchema: true } : r));
}
