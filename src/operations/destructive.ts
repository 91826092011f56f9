/**
 * Which operations lose data: dropping a table or column, narrowing a type,
 * removing a value from an enum. The CLI lists them after autogenerate and
 * the renderer marks them with a comment in the revision file.
 */
import { isGeneratedType, type ColumnType } from '../ir/ir.js';
import type { Operation, OperationOf } from './operations.js';
import { typeText } from '../ir/ir-util.js';

/** AllowedValues is a CHECK that allows a list of values in one column (how SQLite holds an enum). */
export interface AllowedValues {
  /** The column, unquoted. */
  readonly column: string;
  readonly values: readonly string[];
}

/**
 * DataLossReading is what one database tells the destructive-change rules about its own types and SQL
 * spelling (each dialect's SqlSpellingPart has these members); the rules here know neither.
 */
export interface DataLossReading {
  /** True when this database converts every value of `from` to `to` unchanged where the neutral rules cannot tell (PostgreSQL: plain JSON to its binary form). */
  keepsValues(from: ColumnType, to: ColumnType): boolean;
  /** The column and values of a CHECK of allowed values, as this database stores one; null for any other expression. */
  allowedValues(expression: string): AllowedValues | null;
}

/** NO_DATABASE is the reading without a database: no type change beyond the neutral rules keeps values, no CHECK is read. */
export const NO_DATABASE: DataLossReading = { keepsValues: () => false, allowedValues: () => null };

const INTEGER_RANK: Partial<Record<ColumnType['kind'], number>> = { smallint: 1, integer: 2, bigint: 3 };

/** True when every value of type `from` fits type `to` unchanged (in the database `db` reads for). */
export function isWidening(from: ColumnType, to: ColumnType, db: DataLossReading = NO_DATABASE): boolean {
  if (from.kind === to.kind) {
    switch (from.kind) {
      case 'varchar':
      case 'char': {
        const n = (to as typeof from).length;
        if (n === null || (from.length !== null && from.length <= n)) return true;
        break;
      }
      case 'numeric': {
        const t = to as typeof from;
        if (t.precision === null) return true;
        if (from.precision !== null && (t.scale ?? 0) >= (from.scale ?? 0) && t.precision - (t.scale ?? 0) >= from.precision - (from.scale ?? 0)) return true;
        break;
      }
      case 'array':
        return isWidening(from.element, (to as typeof from).element, db);
      case 'custom':
        if (customWidening(from.sql, (to as typeof from).sql)) return true;
        break;
      default:
        if (JSON.stringify(from) === JSON.stringify(to)) return true;
    }
    // A narrower length or precision loses values on a database that enforces it: marked even where the database
    // the revision is generated against keeps them (SQLite), since the same revision runs on PostgreSQL, and the
    // note says so (keptHere).
    if (from.kind === 'varchar' || from.kind === 'char' || from.kind === 'numeric') return false;
    return db.keepsValues(from, to);
  }
  const a = INTEGER_RANK[from.kind];
  const b = INTEGER_RANK[to.kind];
  if (a !== undefined && b !== undefined) return a <= b;
  if (a !== undefined && to.kind === 'numeric') return to.precision === null;
  if ((from.kind === 'varchar' || from.kind === 'char') && to.kind === 'text') return true;
  if (from.kind === 'char' && to.kind === 'varchar') return to.length === null || (from.length ?? 1) <= to.length;
  if (from.kind === 'real' && to.kind === 'double') return true;
  if (db.keepsValues(from, to)) return true;
  // Any value can be written as text; an enum keeps its labels.
  return to.kind === 'text';
}

/**
 * A type Retort has no builder for (`NVARCHAR(40)`, `DECIMAL(10,2)`) widens when only its parameters change and
 * none shrinks: one length grows, or a precision and scale keep as many digits on both sides of the point.
 */
function customWidening(from: string, to: string): boolean {
  if (from === to) return true;
  const read = (t: string) => {
    const m = /^\s*([A-Za-z_][\w ]*?)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)\s*$/.exec(t);
    return m ? { name: m[1]!.toUpperCase(), a: Number(m[2]), b: m[3] === undefined ? null : Number(m[3]) } : null;
  };
  const x = read(from);
  const y = read(to);
  if (x === null || y === null || x.name !== y.name || (x.b === null) !== (y.b === null)) return false;
  if (x.b === null) return y.a >= x.a;
  return y.b! >= x.b! && y.a - y.b! >= x.a - x.b!;
}

/**
 * One human line for operation `ops[i]` when it loses data, else null. `step` names what fails
 * when rows stand in the way: `upgrade` for autogenerate's summary, `migration` in a revision file,
 * where the same note is written above downgrade code too. `db` reads types and CHECKs for the database
 * the revision is generated against.
 */
export function destructiveNote(ops: readonly Operation[], i: number, step: 'upgrade' | 'migration' = 'upgrade', db: DataLossReading = NO_DATABASE): string | null {
  const o = ops[i]!;
  switch (o.kind) {
    case 'dropTable':
      return `drops table ${o.name} and all its rows`;
    case 'dropSequence':
      return `drops sequence ${o.name} and the position it had reached`;
    // An extension may hold data of its own (tables it installed); a domain holds none (no column may use it then).
    case 'dropExtension':
      return `drops extension ${o.name} and everything it installed`;
    case 'dropColumn':
      // A generated column holds nothing of its own: its values come from the other columns.
      if (o.column !== null && isGeneratedType(o.column.type)) return null;
      return `drops column ${o.table}.${o.name} and its data`;
    case 'alterColumn': {
      const { type: to } = o.to;
      const from = o.from?.type;
      if (!to) return null;
      // The enum rebuild moves columns between two versions of one type: reported once, on the enum.
      if (o.to.using !== undefined && from?.kind === 'enum') return null;
      if (from === undefined) return `changes the type of ${o.table}.${o.column} to ${typeText(to)} (previous type unknown)`;
      if (isWidening(from, to, db)) return null;
      if (from.kind === 'timestamp' && to.kind === 'timestamp') {
        // Nothing is cut: each value is converted in the session's time zone, which decides the instant it names.
        return `reinterprets ${o.table}.${o.column} from ${typeText(from)} to ${typeText(to)}: each stored value is converted in the session's time zone (TimeZone), so set it to the zone the values were written in`;
      }
      const lost = enumValuesLost(ops, from, to);
      if (lost !== null && lost.length === 0) return null;
      if (lost !== null) return `narrows ${o.table}.${o.column} from ${typeText(from)} to ${typeText(to)}: rows holding ${lost.map((v) => `'${v}'`).join(', ')} make this migration fail`;
      const keptHere = db.keepsValues(from, to) ? ' where lengths and precision are enforced (PostgreSQL); the database it was generated against keeps them as they are' : '';
      return `narrows ${o.table}.${o.column} from ${typeText(from)} to ${typeText(to)}: values that do not fit fail or are cut${keptHere}`;
    }
    case 'createEnum': {
      // An enum rebuild: createEnum <tmp>, ..., dropEnum <name> (old values), renameEnum <tmp> -> <name>.
      const rename = ops.slice(i + 1).find((x) => x.kind === 'renameEnum' && x.from === o.enum.name);
      if (!rename || rename.kind !== 'renameEnum') return null;
      const old = ops.slice(i + 1).find((x) => x.kind === 'dropEnum' && x.name === rename.to);
      if (!old || old.kind !== 'dropEnum' || !old.enum) return null;
      const lost = old.enum.values.filter((v) => !o.enum.values.includes(v));
      return lost.length === 0 ? null : `removes ${lost.map((v) => `'${v}'`).join(', ')} from enum ${rename.to}: rows holding ${lost.length === 1 ? 'it' : 'them'} make the ${step} fail`;
    }
    case 'addConstraint': {
      // A check of allowed values (`status IN ('a', 'b')`, how SQLite holds an enum) replaced by one that allows fewer.
      if (o.constraint.kind !== 'check') return null;
      const name = o.constraint.def.name;
      const dropped = ops.slice(0, i).find((x) => x.kind === 'dropConstraint' && x.table === o.table && x.name === name);
      if (!dropped || dropped.kind !== 'dropConstraint' || dropped.constraint?.kind !== 'check') return null;
      const before = db.allowedValues(dropped.constraint.def.expression);
      const after = db.allowedValues(o.constraint.def.expression);
      if (before === null || after === null || before.column !== after.column) return null;
      const lost = before.values.filter((v) => !after.values.includes(v));
      if (lost.length === 0) return null;
      return `narrows check ${name} on ${o.table}: rows holding ${lost.map((v) => `'${v}'`).join(', ')} in ${before.column} make the ${step} fail`;
    }
    default:
      return null;
  }
}

/**
 * The values of enum `from` missing from enum `to` (arrays of enums alike) when `ops` create or drop
 * both with their values; null when the types are not two enums or their values are not known.
 */
function enumValuesLost(ops: readonly Operation[], from: ColumnType, to: ColumnType): string[] | null {
  const el = (t: ColumnType): ColumnType => (t.kind === 'array' ? el(t.element) : t);
  const a = el(from);
  const b = el(to);
  if (a.kind !== 'enum' || b.kind !== 'enum' || (from.kind === 'array') !== (to.kind === 'array')) return null;
  const values = (name: string): readonly string[] | null => {
    for (const o of ops) {
      if (o.kind === 'createEnum' && o.enum.name === name) return o.enum.values;
      if (o.kind === 'dropEnum' && o.name === name && o.enum) return o.enum.values;
    }
    return null;
  };
  const old = values(a.name);
  const next = values(b.name);
  if (old === null || next === null) return null;
  return old.filter((v) => !next.includes(v));
}

/** Human lines for every operation in `ops` that loses data, in order (`db`: as destructiveNote). */
export function destructiveChanges(ops: readonly Operation[], db: DataLossReading = NO_DATABASE): string[] {
  return ops.map((_, i) => destructiveNote(ops, i, 'upgrade', db)).filter((x): x is string => x !== null);
}

/**
 * Whether `o` adds a NOT NULL column that nothing fills (no default, not auto-incremented, identity or generated):
 * the database refuses it as soon as the table has a row. Lint's `adding-required-column`; the generated downgrade of
 * a dropped NOT NULL column is one, which autogenerate says, in the revision and as a warning.
 */
export function addsRequiredColumn(o: Operation): o is OperationOf<'addColumn'> {
  if (o.kind !== 'addColumn') return false;
  const c = o.column;
  return !c.nullable && c.serverDefault === null && c.autoIncrement !== true && c.identity === undefined && !isGeneratedType(c.type);
}
