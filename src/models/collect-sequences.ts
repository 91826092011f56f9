/**
 * The sequence half of model collection: free-standing sequences gathered from the exports, and the mistakes
 * around them and identity columns named in the model rather than left to a failed revision (a database without
 * sequences, an owner that is not declared, an identity on a text column, a sequence that is really a serial).
 */
import { RetortError } from '../errors.js';
import { isIntegerType, type SchemaIR, type SequenceIR } from '../ir/ir.js';
import type { SequenceDecl, SqlSpelling, TableDecl } from './dsl.js';
import { sequenceIR } from './sequences.js';

const modelError = (message: string, hint: string) => new RetortError('MODEL', message, { hint });

/** Collects declared sequences by name; the same name declared twice with different options is an error. */
export class SequenceCollector {
  private readonly seen = new Map<string, { decl: SequenceDecl; file: string; ir: SequenceIR }>();

  constructor(private readonly spelling: SqlSpelling) {}

  add(decl: SequenceDecl, file: string): void {
    const name = decl.sequenceName;
    if (this.spelling.sequenceRef === undefined) {
      throw modelError(`${file}: sequence "${name}" is declared, but this database has no sequences`, 'remove it (use serial() for a column the database numbers), or run against PostgreSQL');
    }
    let ir: SequenceIR;
    try {
      ir = sequenceIR(decl);
    } catch (e) {
      if (e instanceof RetortError) throw new RetortError('MODEL', `${file}: ${e.message}`, { hint: e.hint ?? `fix the declaration of sequence "${name}"` });
      throw e;
    }
    const prior = this.seen.get(name);
    if (prior && prior.decl !== decl && JSON.stringify(prior.ir) !== JSON.stringify(ir)) {
      throw modelError(`sequence "${name}" is declared twice with different options: in ${prior.file} and ${file}`, 'declare it once and import it where it is used');
    }
    if (!prior) this.seen.set(name, { decl, file, ir });
  }

  /** The sequences, sorted by name. */
  list(): SequenceIR[] {
    return [...this.seen.values()].map((s) => s.ir).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  fileOf(name: string): string {
    return this.seen.get(name)?.file ?? '?';
  }
}

/** Refuses an identity column where the database has no sequences, before the table is resolved. */
export function checkIdentityAllowed(d: TableDecl, file: string, spelling: SqlSpelling): void {
  if (spelling.sequenceRef !== undefined) return;
  for (const name of Object.keys(d.columnSpecs)) {
    if (d.columnSpecs[name]!.identity) {
      throw modelError(`${file}: ${d.tableName}.${name} is an identity column (generated ... as identity), which this database does not have`, 'use serial() (INTEGER PRIMARY KEY on SQLite) for a column the database numbers');
    }
  }
}

/** Checks identity columns and sequences against the tables: integer identities, declared owners, no hidden serials, no name shared with a table. */
export function checkSequences(schema: SchemaIR, fileOf: (table: string) => string, sequenceFile: (name: string) => string): void {
  for (const t of schema.tables) {
    for (const c of t.columns) {
      if (c.identity === undefined) continue;
      const at = `${fileOf(t.name)}: ${t.name}.${c.name}`;
      if (!isIntegerType(c.type)) throw modelError(`${at} is an identity column of a type that is not an integer`, 'declare it smallint(), integer() or bigint()');
      if (c.autoIncrement) throw modelError(`${at} is both serial and an identity column`, 'keep one: integer().generatedByDefaultAsIdentity() or serial()');
      if (c.serverDefault !== null) throw modelError(`${at} is an identity column with a server default`, 'remove the default: the identity supplies the values');
    }
  }
  // Only sequences need the tables by name (most models declare none).
  const tables = schema.sequences !== undefined && schema.sequences.length > 0 ? new Map(schema.tables.map((t) => [t.name, t])) : new Map<string, SchemaIR['tables'][number]>();
  for (const s of schema.sequences ?? []) {
    const at = `${sequenceFile(s.name)}: sequence "${s.name}"`;
    if (tables.has(s.name)) throw modelError(`${at} has the name of a table (${fileOf(s.name)}); both are relations and need distinct names`, 'rename one of them');
    if (s.ownedBy === null) continue;
    const owner = tables.get(s.ownedBy.table);
    const col = owner?.columns.find((c) => c.name === s.ownedBy!.column);
    if (!owner || !col) throw modelError(`${at} is ownedBy ${s.ownedBy.table}.${s.ownedBy.column}, which no model file declares`, 'name a declared column, or remove ownedBy');
    // Owned by the column whose default it is: that is what serial() is, and the database reads it back as one.
    if (col.serverDefault !== null && /^nextval\(/i.test(col.serverDefault) && col.serverDefault.includes(s.name) && isIntegerType(col.type)) {
      throw modelError(`${at} is ownedBy ${owner.name}.${col.name} and is its default: that is a serial column, which the database reads back as one`, `declare ${col.name}: serial() (or bigserial()) instead, or remove ownedBy`);
    }
  }
}
