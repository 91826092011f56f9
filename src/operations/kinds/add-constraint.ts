/** addConstraint: a primary key, unique, foreign key or check constraint on an existing table. */
import { opCall, quoteString as q, sqlTemplate, stringArray } from '../../render/literal.js';
import { referenceOptions } from '../../render/render-table.js';
import { deferralText, foreignKeyText, list } from '../describe-text.js';
import { exclusionText } from '../../ir/partition.js';
import type { ConstraintDef, OperationDef } from '../operation-def.js';
import { findConstraint } from '../table-ir.js';

/**
 * `notValid`: a foreign key or check added without checking the rows already there (PostgreSQL NOT VALID; new
 * rows are checked at once), to be validated later by validateConstraint. `usingIndex`: a unique constraint
 * taking over an existing unique index of that name (built concurrently before), instead of building its own.
 */
export interface AddConstraintOp { readonly kind: 'addConstraint'; readonly table: string; readonly constraint: ConstraintDef; readonly notValid?: boolean; readonly usingIndex?: string }

export const addConstraint: OperationDef<AddConstraintOp> = {
  inverse: (o) => ({ kind: 'dropConstraint', table: o.table, name: o.constraint.def.name ?? '', constraintKind: o.constraint.kind, constraint: o.constraint }),
  table: (o) => o.table,
  describe: (o) => {
    const c = o.constraint;
    switch (c.kind) {
      case 'primaryKey': return [`+ primary key ${c.def.name ?? ''} on ${o.table} (${list(c.def.columns)})${deferralText(c.def.deferrable)}`.replace('  ', ' ')];
      case 'unique': return [`+ unique ${c.def.name} on ${o.table} (${list(c.def.columns)})${c.def.nullsNotDistinct === true ? ' nulls not distinct' : ''}${deferralText(c.def.deferrable)}`];
      case 'foreignKey': return [`+ foreign key ${c.def.name} on ${o.table} ${foreignKeyText(c.def)}`];
      case 'check': return [`+ check ${c.def.name} on ${o.table}: ${c.def.expression}`];
      case 'exclude': return [`+ exclusion ${c.def.name} on ${o.table} ${exclusionText(c.def)}`];
    }
  },
  render: (o, { imports }) => {
    const c = o.constraint;
    switch (c.kind) {
      case 'primaryKey':
        // A null name is a key the database names itself (SQLite keeps none): the op API's conventional name is dropped the same way.
        return opCall('createPrimaryKey', c.def.name === null ? 'null' : q(c.def.name), q(o.table), stringArray(c.def.columns), ...(c.def.deferrable === undefined ? [] : [`{ deferrable: ${q(c.def.deferrable)} }`]));
      case 'unique': {
        const opts = [
          ...(c.def.nullsNotDistinct === true ? ['nullsNotDistinct: true'] : []),
          ...(c.def.deferrable === undefined ? [] : [`deferrable: ${q(c.def.deferrable)}`]),
          ...(o.usingIndex === undefined ? [] : [`usingIndex: ${q(o.usingIndex)}`]),
        ];
        return opCall('createUniqueConstraint', q(c.def.name), q(o.table), stringArray(c.def.columns), ...(opts.length > 0 ? [`{ ${opts.join(', ')} }`] : []));
      }
      case 'foreignKey': {
        const opts = referenceOptions(c.def, null);
        const withNotValid = !o.notValid ? opts : opts ? `${opts.slice(0, -2)}, notValid: true }` : '{ notValid: true }';
        return opCall('createForeignKey', q(c.def.name), q(o.table), q(c.def.refTable), stringArray(c.def.columns), stringArray(c.def.refColumns), ...(withNotValid ? [withNotValid] : []));
      }
      case 'check':
        imports.add('sql');
        return opCall('createCheckConstraint', q(c.def.name), q(o.table), sqlTemplate(c.def.expression), ...(o.notValid ? ['{ notValid: true }'] : []));
      case 'exclude': {
        const elements = c.def.elements.map((e) => `[${q(e.expression)}, ${q(e.operator)}]`).join(', ');
        if (c.def.where !== null) imports.add('sql');
        return opCall('createExclusionConstraint', q(c.def.name), q(o.table), `{ using: ${q(c.def.method)}, elements: [${elements}]${c.def.where === null ? '' : `, where: ${sqlTemplate(c.def.where)}`} }`);
      }
    }
  },
  applyTable: (table, o, p) => {
    const c = o.constraint;
    // A unique constraint USING INDEX takes the index over: it is the constraint's own index after.
    const t = o.usingIndex === undefined ? table : { ...table, indexes: table.indexes.filter((i) => i.name !== o.usingIndex) };
    const name = c.def.name ?? '';
    if (p.uniqueConstraintNames && findConstraint(t, name, c.kind, p)) throw p.refuse(o, { reason: 'exists', what: 'constraint', name, table: t.name });
    switch (c.kind) {
      case 'primaryKey': {
        if (t.primaryKey) throw p.refuse(o, { reason: 'primaryKeyExists', table: t.name });
        // A primary key makes its columns NOT NULL.
        const columns = t.columns.map((col) => (c.def.columns.includes(col.name) ? { ...col, nullable: false } : col));
        return { ...t, primaryKey: c.def, columns };
      }
      case 'unique': return { ...t, uniques: [...t.uniques, c.def] };
      case 'foreignKey': return { ...t, foreignKeys: [...t.foreignKeys, c.def] };
      case 'check': return { ...t, checks: [...t.checks, c.def] };
      case 'exclude': return { ...t, excludes: [...(t.excludes ?? []), c.def] };
    }
  },
  check: (s, o, t) => {
    if (o.constraint.kind === 'foreignKey') s.checkFk(o, t, o.constraint.def);
  },
};
