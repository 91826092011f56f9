/**
 * describeDifferences: one readable line per change for `retort check` and the
 * autogenerate summary (`+ table posts`, `~ column users.email: varchar(80) -> varchar(255)`).
 * An enum rebuild, several operations, reads as one line.
 */
import type { ColumnChanges, Operation } from '../operations/operations.js';
import { typeText } from './ir-util.js';

const list = (xs: readonly string[]) => xs.join(', ');
const values = (xs: readonly string[]) => `(${xs.map((v) => `'${v}'`).join(', ')})`;
const dflt = (d: string | null | undefined) => (d === null || d === undefined ? 'no default' : `default ${d}`);

function changeLines(where: string, to: ColumnChanges, from: ColumnChanges | undefined): string[] {
  const out: string[] = [];
  if (to.type !== undefined) out.push(`~ column ${where}: ${from?.type ? typeText(from.type) : '?'} -> ${typeText(to.type)}`);
  if (to.nullable !== undefined) out.push(`~ column ${where}: ${to.nullable ? 'not null -> nullable' : 'nullable -> not null'}`);
  if (to.serverDefault !== undefined) out.push(`~ column ${where}: ${from && 'serverDefault' in from ? dflt(from.serverDefault) : '?'} -> ${dflt(to.serverDefault)}`);
  if (to.comment !== undefined) out.push(`~ column ${where}: comment ${JSON.stringify(to.comment)}`);
  if (to.name !== undefined) out.push(`~ column ${where}: renamed to ${to.name}`);
  return out;
}

/** Readable lines describing what `ops` change, in order. */
export function describeDifferences(ops: readonly Operation[]): string[] {
  const out: string[] = [];
  // Defaults a rebuild dropped and the comparator sets again unchanged are not differences.
  const parked = new Map<string, string | null | undefined>();
  for (let i = 0; i < ops.length; i++) {
    const o = ops[i]!;
    switch (o.kind) {
      case 'createTable': out.push(`+ table ${o.table.name}`); break;
      case 'dropTable': out.push(`- table ${o.name}`); break;
      case 'renameTable': out.push(`~ table ${o.from} renamed to ${o.to}`); break;
      case 'setTableComment': out.push(`~ table ${o.table}: comment ${JSON.stringify(o.comment)}`); break;
      case 'addColumn': out.push(`+ column ${o.table}.${o.column.name} ${typeText(o.column.type)}${o.column.nullable ? '' : ' not null'}`); break;
      case 'dropColumn': out.push(`- column ${o.table}.${o.name}`); break;
      case 'alterColumn': {
        const key = `${o.table}.${o.column}`;
        if (Object.keys(o.to).length === 1 && o.to.serverDefault !== undefined && parked.has(key) && parked.get(key) === o.to.serverDefault) { parked.delete(key); break; }
        out.push(...changeLines(key, o.to, o.from));
        break;
      }
      case 'createIndex': out.push(`+ ${o.index.unique ? 'unique index' : 'index'} ${o.index.name} on ${o.table} (${list(o.index.columns)})${o.index.where ? ` where ${o.index.where}` : ''}`); break;
      case 'dropIndex': out.push(`- index ${o.name} on ${o.table}`); break;
      case 'addConstraint': {
        const c = o.constraint;
        switch (c.kind) {
          case 'primaryKey': out.push(`+ primary key ${c.def.name ?? ''} on ${o.table} (${list(c.def.columns)})`.replace('  ', ' ')); break;
          case 'unique': out.push(`+ unique ${c.def.name} on ${o.table} (${list(c.def.columns)})`); break;
          case 'foreignKey': out.push(`+ foreign key ${c.def.name} on ${o.table} (${list(c.def.columns)}) -> ${c.def.refTable} (${list(c.def.refColumns)})`); break;
          case 'check': out.push(`+ check ${c.def.name} on ${o.table}: ${c.def.expression}`); break;
        }
        break;
      }
      case 'dropConstraint': out.push(`- ${o.constraintKind === 'foreignKey' ? 'foreign key' : o.constraintKind === 'primaryKey' ? 'primary key' : o.constraintKind ?? 'constraint'} ${o.name} on ${o.table}`); break;
      case 'createEnum': {
        const j = ops.findIndex((x, k) => k > i && x.kind === 'renameEnum' && x.from === o.enum.name);
        const rename = ops[j];
        if (rename?.kind === 'renameEnum') {
          const old = ops.slice(i, j).find((x) => x.kind === 'dropEnum' && x.name === rename.to);
          out.push(`~ enum ${rename.to}: ${old?.kind === 'dropEnum' && old.enum ? values(old.enum.values) : '?'} -> ${values(o.enum.values)}`);
          for (const x of ops.slice(i, j)) if (x.kind === 'alterColumn' && x.to.serverDefault === null && x.from?.serverDefault !== undefined) parked.set(`${x.table}.${x.column}`, x.from.serverDefault);
          i = j;
        } else out.push(`+ enum ${o.enum.name} ${values(o.enum.values)}`);
        break;
      }
      case 'dropEnum': out.push(`- enum ${o.name}`); break;
      case 'renameEnum': out.push(`~ enum ${o.from} renamed to ${o.to}`); break;
      case 'addEnumValue': out.push(`+ enum value ${o.name}.'${o.value}'${o.after !== undefined ? ` after '${o.after}'` : o.before !== undefined ? ` before '${o.before}'` : ''}`); break;
      case 'execute': out.push(`! sql ${o.sql}`); break;
    }
  }
  return out;
}
