/**
 * SqlSpellingPart answers how a database writes things: its name for people, identifier and literal quoting,
 * parameter literals for printed scripts, type names, the schema it uses when none is named, and how it
 * stores what destructive-change detection reads (type conversions, CHECKs of allowed values).
 */
import type { ColumnType } from '../../ir/ir.js';
import type { SqlSpelling } from '../../models/dsl.js';
import type { DataLossReading } from '../../operations/destructive.js';

/**
 * Also, for destructive-change detection (DataLossReading): `keepsValues(from, to)`, the type changes this
 * database makes without loss beyond the neutral rules, and `allowedValues(expression)`, a CHECK of allowed
 * values read as this database stores one.
 */
export interface SqlSpellingPart extends DataLossReading {
  /** Human-readable name for messages ("PostgreSQL", "SQLite"). */
  readonly displayName: string;
  /** The schema unqualified names mean when the config names none (PostgreSQL: public); null where schemas do not exist. */
  readonly defaultSchema: string | null;
  quoteIdentifier(name: string): string;
  /** A string literal for SQL Retort itself writes (safe whatever the session's settings). */
  quoteLiteral(value: string): string;
  /**
   * How SQL written in models and revision code (sql`` fragments, string defaults) is spelled in this database:
   * as the database itself spells stored expressions, so declared and live text compare equal.
   */
  readonly sqlSpelling: SqlSpelling;
  /**
   * A statement parameter (op.execute's) as an SQL literal this database reads as the value its driver would have
   * sent, for printed (`--sql`) scripts; throws RetortError('USAGE') for a value the driver cannot send either.
   */
  literalSql(value: unknown): string;
  /**
   * The parameters of `sql` written in as literals (`literal` spells each), in this database's placeholder
   * style ($1 on PostgreSQL, ? on SQLite), leaving quoted text alone; for printed scripts.
   */
  inlineParams(sql: string, params: readonly unknown[], literal: (value: unknown) => string): string;
  /** The SQL spelling of a column type (used by compilers and by `check --diff`). */
  typeSql(type: ColumnType): string;
  /**
   * True where a primary key's or unique constraint's name is also its index's, and index names are unique in the
   * schema (PostgreSQL: `users_pkey` is taken schema-wide); false where such a name belongs to its table alone (SQLite).
   * A renamed table's derived key names follow it only where they would otherwise block its old name.
   */
  readonly keyNamesSchemaWide: boolean;
}
