/**
 * renderOperations: the body of a revision's upgrade or downgrade, as
 * TypeScript calling the `op` API, one call per operation, consecutive calls
 * on one table grouped with a blank line between groups, and a
 * `// DESTRUCTIVE:` comment above each call that loses data. Running the code
 * through OperationRecorder with the same naming convention gives back the
 * same operations (less the `from` state the op API does not carry).
 * Whatever the API cannot express exactly is written as `op.run({...})`.
 */
import type { ColumnChanges, Operation } from '../operations/operations.js';
import { tableOf } from '../operations/operations.js';
import { applyNaming, defaultNaming, type NamingConvention } from '../models/naming.js';
import { destructiveNote } from '../operations/destructive.js';
import { objectLiteral, quoteString, sqlTemplate, stringArray } from './literal.js';
import { renderColumn, renderDefault, renderType, type Imports } from './render-column.js';
import { referenceOptions, renderCreateTable } from './render-table.js';

/** Options for renderOperations. */
export interface RenderOptions {
  /** The naming convention the revision will run with (the config's); decides when a name can be left out. */
  readonly naming?: NamingConvention;
  /** Prefix for every line (the writer's indentation inside `upgrade(op) {`). Default none. */
  readonly indent?: string;
  /** When `ops` are a part of a longer list (a step of a plan): the whole list and where `ops` start, read by the destructive notes. */
  readonly within?: { readonly all: readonly Operation[]; readonly start: number };
}

/** Rendered code and the names it uses from `retort-migrate`. */
export interface RenderedOperations {
  readonly code: string;
  readonly imports: Set<string>;
}

/** Renders operations as TypeScript calls on `op`. */
export function renderOperations(ops: readonly Operation[], options: RenderOptions = {}): RenderedOperations {
  const naming = options.naming ?? defaultNaming;
  const imports: Imports = new Set();
  const groups: string[][] = [];
  let lastKey: string | undefined;
  ops.forEach((o, i) => {
    const key = tableOf(o) ?? '';
    if (key !== lastKey || groups.length === 0) groups.push([]);
    lastKey = key;
    const group = groups[groups.length - 1]!;
    // The same ops render in upgrade() and, reversed, in downgrade(): the note must read right in both.
    const note = options.within ? destructiveNote(options.within.all, options.within.start + i, 'migration') : destructiveNote(ops, i, 'migration');
    if (note !== null) group.push(`// DESTRUCTIVE: ${note}`);
    group.push(renderOperation(o, naming, imports));
  });
  const indent = options.indent ?? '';
  const code = groups.map((g) => g.join('\n')).join('\n\n').split('\n').map((l) => (l === '' ? l : indent + l)).join('\n');
  return { code, imports };
}

/** The last resort: the operation as data, appended as it is. */
function runLiteral(o: Operation): string {
  return `op.run(${JSON.stringify(o, null, 2)});`;
}

function call(name: string, ...args: string[]): string {
  return `op.${name}(${args.join(', ')});`;
}

/** One op call for one operation. */
export function renderOperation(o: Operation, naming: NamingConvention, imports: Imports): string {
  const q = quoteString;
  switch (o.kind) {
    case 'createTable':
      return renderCreateTable(o.table, naming, imports) ?? runLiteral(o);
    case 'dropTable':
      return call('dropTable', q(o.name));
    case 'renameTable':
      return call('renameTable', q(o.from), q(o.to));
    case 'setTableComment':
      return call('setTableComment', q(o.table), o.comment === null ? 'null' : q(o.comment));
    case 'addColumn': {
      const c = renderColumn(o.column, imports);
      return c === null ? runLiteral(o) : call('addColumn', q(o.table), q(o.column.name), c);
    }
    case 'dropColumn':
      return call('dropColumn', q(o.table), q(o.name));
    case 'alterColumn': {
      const to = changesEntries(o.to, imports, true);
      const from = o.from ? changesEntries(o.from, imports, false) : [];
      if (to === null || from === null) return runLiteral(o);
      const entries = from.length > 0 ? [...to, ['existing', objectLiteral(from)] as const] : to;
      return call('alterColumn', q(o.table), q(o.column), objectLiteral(entries));
    }
    case 'createIndex': {
      const opts: [string, string][] = [];
      if (o.index.unique) opts.push(['unique', 'true']);
      if (o.index.where !== null) opts.push(['where', q(o.index.where)]);
      if (o.index.method !== undefined) opts.push(['using', q(o.index.method)]);
      if (o.index.include !== undefined && o.index.include.length > 0) opts.push(['include', stringArray(o.index.include)]);
      if (o.concurrently) opts.push(['concurrently', 'true']);
      return call('createIndex', q(o.index.name), q(o.table), stringArray(o.index.columns), ...(opts.length > 0 ? [objectLiteral(opts)] : []));
    }
    case 'dropIndex':
      return call('dropIndex', q(o.name), q(o.table), ...(o.concurrently ? ['{ concurrently: true }'] : []));
    case 'addConstraint': {
      const c = o.constraint;
      switch (c.kind) {
        case 'primaryKey':
          // A null name is a key the database names itself (SQLite keeps none): the op API's conventional name is dropped the same way.
          return call('createPrimaryKey', c.def.name === null ? 'null' : q(c.def.name), q(o.table), stringArray(c.def.columns));
        case 'unique':
          return call('createUniqueConstraint', q(c.def.name), q(o.table), stringArray(c.def.columns), ...(o.usingIndex === undefined ? [] : [objectLiteral([['usingIndex', q(o.usingIndex)]])]));
        case 'foreignKey': {
          const opts = referenceOptions(c.def, null);
          const withNotValid = !o.notValid ? opts : opts ? opts.replace(/ }$/, ', notValid: true }') : '{ notValid: true }';
          return call('createForeignKey', q(c.def.name), q(o.table), q(c.def.refTable), stringArray(c.def.columns), stringArray(c.def.refColumns), ...(withNotValid ? [withNotValid] : []));
        }
        case 'check':
          imports.add('sql');
          return call('createCheckConstraint', q(c.def.name), q(o.table), sqlTemplate(c.def.expression), ...(o.notValid ? ['{ notValid: true }'] : []));
      }
      break;
    }
    case 'dropConstraint': {
      // A key the database keeps no name for (SQLite's primary key, found by kind) gets the conventional name, not ''.
      const pk = o.constraint?.kind === 'primaryKey' ? o.constraint.def.columns : [];
      const name = o.name === '' && o.constraintKind === 'primaryKey' ? applyNaming(naming.pk, { table: o.table, columns: pk }) : o.name;
      return call('dropConstraint', q(name), q(o.table), ...(o.constraintKind === null ? [] : [q(o.constraintKind)]));
    }
    case 'createEnum':
      return call('createEnum', q(o.enum.name), stringArray(o.enum.values));
    case 'dropEnum':
      return call('dropEnum', q(o.name));
    case 'renameEnum':
      return call('renameEnum', q(o.from), q(o.to));
    case 'renameEnumValue':
      return call('renameEnumValue', q(o.name), q(o.from), q(o.to));
    case 'addEnumValue': {
      const pos: [string, string][] = [];
      if (o.before !== undefined) pos.push(['before', q(o.before)]);
      if (o.after !== undefined) pos.push(['after', q(o.after)]);
      // Committed on its own: PostgreSQL refuses to use a new enum value (as a default, in a row) in the transaction that added it.
      const add = call('addEnumValue', q(o.name), q(o.value), ...(pos.length > 0 ? [objectLiteral(pos)] : [])).replace(/;$/, '');
      return `op.autocommitBlock((op) => ${add});`;
    }
    case 'validateConstraint':
      return call('validateConstraint', q(o.name), q(o.table));
    case 'execute':
      imports.add('sql');
      return call('execute', sqlTemplate(o.sql), ...(o.params ? [JSON.stringify(o.params)] : []));
  }
}

/** The entries of alterColumn's options (`to`) or of `existing` (`from`), or null when the op API cannot express them. */
function changesEntries(c: ColumnChanges, imports: Imports, isTarget: boolean): [string, string][] | null {
  const out: [string, string][] = [];
  if (c.type !== undefined) {
    const t = renderType(c.type, imports);
    if (t === null) return null;
    out.push(['type', t]);
  }
  if (c.nullable !== undefined) out.push(['nullable', String(c.nullable)]);
  if (c.serverDefault !== undefined) out.push(['serverDefault', renderDefault(c.serverDefault, imports)]);
  if (c.comment !== undefined) out.push(['comment', c.comment === null ? 'null' : quoteString(c.comment)]);
  if (isTarget && c.name !== undefined) out.push(['newName', quoteString(c.name)]);
  if (isTarget && c.using !== undefined) out.push(['using', quoteString(c.using)]);
  // The op API has no auto-increment option: the caller writes the whole operation with op.run().
  if (c.autoIncrement !== undefined) return null;
  return out;
}
