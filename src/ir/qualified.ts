/**
 * Qualified identity: how an object in a named schema is told apart from one of the same name elsewhere.
 *
 * An object in the default schema (the config's `schema`, PostgreSQL's `public` unless named) is known by its bare
 * name, exactly as before named schemas existed, so every existing IR, revision and test compares unchanged. An
 * object in another managed schema is known by `schema.name` (`billing.invoices`): that string is its name
 * throughout the IR and the operations, so every lookup by name, every map keyed by name and every message sees two
 * different tables in `billing.invoices` and `invoices`, with no second key to carry. Only the places that spell
 * SQL (the dialect's compiler, through its own quoting) and those that write TypeScript (pull's `schema('billing')`)
 * split it again, at the first dot. A consequence, documented: on a database with schemas, a name holding a dot
 * reads as schema-qualified.
 */

/** The identity of `name` in `schema`: the bare name for the default schema (undefined), `schema.name` otherwise. */
export function qualifiedName(schema: string | undefined | null, name: string): string {
  return schema === undefined || schema === null ? name : `${schema}.${name}`;
}

/** The schema part of an identity, or undefined for an object of the default schema. */
export function schemaOf(identity: string): string | undefined {
  const dot = identity.indexOf('.');
  return dot > 0 ? identity.slice(0, dot) : undefined;
}

/** The name part of an identity (the identity itself for an object of the default schema). */
export function bareName(identity: string): string {
  const dot = identity.indexOf('.');
  return dot > 0 ? identity.slice(dot + 1) : identity;
}

/** An identity split into its schema (undefined: the default schema) and its bare name. */
export function splitQualified(identity: string): { readonly schema: string | undefined; readonly name: string } {
  return { schema: schemaOf(identity), name: bareName(identity) };
}

/** The named schemas a schema's objects live in (tables, enums, sequences), sorted: what CREATE SCHEMA must make first. */
export function schemasUsed(names: Iterable<string>): string[] {
  const out = new Set<string>();
  for (const n of names) {
    const s = schemaOf(n);
    if (s !== undefined) out.add(s);
  }
  return [...out].sort();
}
