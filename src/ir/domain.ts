/**
 * Domains and extensions in the Schema IR (PostgreSQL's; SQLite has neither). A domain is a named type over a base
 * type with its own NOT NULL, default and checks, used as a column's type (`{ kind: 'domain', name }`); an extension
 * is a package of types and functions installed into a schema. Comments, where an object has one, are absent when
 * it has none, so a schema that never uses them compares as before.
 */
import type { ColumnType } from './ir.js';

/** A domain's CHECK constraint; `expression` is the SQL inside the parentheses, over VALUE. */
export interface DomainCheckIR {
  readonly name: string;
  readonly expression: string;
}

/** DomainIR is CREATE DOMAIN name AS type [COLLATE c] [NOT NULL] [DEFAULT expr] [CONSTRAINT c CHECK (...)]... */
export interface DomainIR {
  readonly name: string;
  readonly type: ColumnType;
  /**
   * COLLATE where it is not the base type's (`C`), as on ColumnIR; absent means the type's. ALTER DOMAIN cannot change
   * it: a change drops and creates the domain again, as a new base type does.
   */
  readonly collation?: string;
  readonly notNull: boolean;
  /** The default as a SQL expression, or null. */
  readonly default: string | null;
  /** Sorted by name. */
  readonly checks: readonly DomainCheckIR[];
  /** COMMENT ON DOMAIN; absent means none. */
  readonly comment?: string;
}

/** The changeable facets of a domain; absent means unchanged. `checks` is the whole list (added and dropped by name). */
export interface DomainChanges {
  readonly notNull?: boolean;
  readonly default?: string | null;
  readonly checks?: readonly DomainCheckIR[];
  readonly comment?: string | null;
}

/** ExtensionIR is CREATE EXTENSION name [SCHEMA s] [VERSION v]. */
export interface ExtensionIR {
  readonly name: string;
  /** The schema its objects go into; absent (declared): wherever the database puts it, not compared. */
  readonly schema?: string;
  /** Its version; absent (declared): the default version, not compared. */
  readonly version?: string;
}

/** The changeable facets of an extension (ALTER EXTENSION UPDATE TO / SET SCHEMA); absent means unchanged. */
export interface ExtensionChanges {
  readonly version?: string;
  readonly schema?: string;
}
