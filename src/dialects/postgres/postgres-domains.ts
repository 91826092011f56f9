/**
 * PostgreSQL statements for domains and extensions. A domain is altered in place (ALTER DOMAIN), never dropped and
 * created again, since the columns that use it would have to go first: SET/DROP DEFAULT, SET/DROP NOT NULL, checks
 * dropped and added by name (a check whose expression changed is dropped, then added again), COMMENT ON DOMAIN.
 * An extension is updated (ALTER EXTENSION UPDATE TO) or moved (SET SCHEMA) in place.
 */
import { RetortError } from '../../errors.js';
import type { DomainCheckIR, DomainIR } from '../../ir/ir.js';
import type { CommentTarget } from '../../ir/comments.js';
import type { OperationOf } from '../../operations/operations.js';
import { conditionSql, defaultSql, quoteIdentifier as q, quoteLiteral, quoteQualified as qn, typeSql } from './postgres-sql.js';
import { qualifiedName, schemaOf } from '../../ir/qualified.js';

const comment = (name: string, text: string | null) => `COMMENT ON DOMAIN ${qn(name)} IS ${text === null ? 'NULL' : quoteLiteral(text)}`;
const checkSql = (c: DomainCheckIR) => `CONSTRAINT ${q(c.name)} CHECK (${conditionSql(c.expression)})`;
const sameCheck = (a: DomainCheckIR, b: DomainCheckIR) => a.name === b.name && a.expression === b.expression;

/** CREATE DOMAIN with its default, NOT NULL and checks, and its comment. */
export function createDomainSql(d: DomainIR): string[] {
  const parts = [`CREATE DOMAIN ${qn(d.name)} AS ${typeSql(d.type)}${d.collation !== undefined ? ` COLLATE ${q(d.collation)}` : ''}`];
  if (d.default !== null) parts.push(`DEFAULT ${defaultSql(d.default)}`);
  if (d.notNull) parts.push('NOT NULL');
  for (const c of d.checks) parts.push(checkSql(c));
  return [parts.join(' '), ...(d.comment !== undefined ? [comment(d.name, d.comment)] : [])];
}

/** The statements of one domain operation. */
export function compileDomainOp(op: OperationOf<'createDomain' | 'alterDomain' | 'dropDomain' | 'validateDomainCheck'>): string[] {
  switch (op.kind) {
    case 'createDomain':
      return createDomainSql(op.domain);
    case 'dropDomain':
      return [`DROP DOMAIN ${qn(op.name)}`];
    case 'validateDomainCheck':
      return [`ALTER DOMAIN ${qn(op.domain)} VALIDATE CONSTRAINT ${q(op.name)}`];
    case 'alterDomain': {
      const alter = `ALTER DOMAIN ${qn(op.name)}`;
      const out: string[] = [];
      if (op.to.default !== undefined) out.push(op.to.default === null ? `${alter} DROP DEFAULT` : `${alter} SET DEFAULT ${defaultSql(op.to.default)}`);
      if (op.to.notNull !== undefined) out.push(`${alter} ${op.to.notNull ? 'SET' : 'DROP'} NOT NULL`);
      if (op.to.checks !== undefined) {
        const before = op.from?.checks;
        if (before === undefined) {
          throw new RetortError('UNSUPPORTED', `op.alterDomain('${op.name}'): the checks it has now are not given, so what to drop is not known`, { hint: 'add existing: { checks: { ... } } with the checks the domain has now' });
        }
        const after = op.to.checks;
        for (const c of before) if (!after.some((x) => sameCheck(x, c))) out.push(`${alter} DROP CONSTRAINT ${q(c.name)}`);
        for (const c of after) if (!before.some((x) => sameCheck(x, c))) out.push(`${alter} ADD ${checkSql(c)}${op.notValid ? ' NOT VALID' : ''}`);
      }
      if (op.to.comment !== undefined) out.push(comment(op.name, op.to.comment));
      return out;
    }
  }
}

/** The statements of one extension operation. */
export function compileExtensionOp(op: OperationOf<'createExtension' | 'alterExtension' | 'dropExtension'>): string[] {
  switch (op.kind) {
    case 'createExtension': {
      const e = op.extension;
      return [`CREATE EXTENSION ${q(e.name)}${e.schema !== undefined ? ` SCHEMA ${q(e.schema)}` : ''}${e.version !== undefined ? ` VERSION ${quoteLiteral(e.version)}` : ''}`];
    }
    case 'dropExtension':
      return [`DROP EXTENSION ${q(op.name)}`];
    case 'alterExtension':
      return [
        ...(op.to.version !== undefined ? [`ALTER EXTENSION ${q(op.name)} UPDATE TO ${quoteLiteral(op.to.version)}`] : []),
        ...(op.to.schema !== undefined ? [`ALTER EXTENSION ${q(op.name)} SET SCHEMA ${q(op.to.schema)}`] : []),
      ];
  }
}

const COMMENT_KIND: Record<CommentTarget['kind'], string> = { enum: 'TYPE', sequence: 'SEQUENCE', view: 'VIEW', materializedView: 'MATERIALIZED VIEW', index: 'INDEX', constraint: 'CONSTRAINT' };

/** COMMENT ON <object> IS '...' (or NULL): a constraint is named with its table. */
export function commentOnSql(t: CommentTarget, text: string | null): string {
  const on = t.kind === 'constraint' ? ` ON ${qn(t.table ?? '')}` : '';
  // An index is named alone, in its table's schema, as a constraint is (ON its table); anything else by its identity.
  const name = t.kind === 'index' ? qn(qualifiedName(schemaOf(t.table ?? ''), t.name)) : t.kind === 'constraint' ? q(t.name) : qn(t.name);
  return `COMMENT ON ${COMMENT_KIND[t.kind]} ${name}${on} IS ${text === null ? 'NULL' : quoteLiteral(text)}`;
}
