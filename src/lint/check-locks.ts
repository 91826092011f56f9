/**
 * The lock rules about how indexes and constraints are added on an existing table, and about the session around
 * a revision: each check reads one parsed statement (see lint-rules.ts for what each rule is for).
 */
import type { Hit, StatementCheck } from './check-types.js';
import { alterCommands, dropNames, strongLockTarget } from './revision-walk.js';
import { fieldsOf, flag, listOf, relationName, str } from './pg-ast.js';

const q = (name: string) => `"${name}"`;

/** CREATE INDEX without CONCURRENTLY on an existing table; CONCURRENTLY inside a transaction. */
export const checkIndex: StatementCheck = ({ node, captured }, walk) => {
  const hits: Hit[] = [];
  const index = fieldsOf(node, 'IndexStmt');
  const drop = fieldsOf(node, 'DropStmt');
  const reindex = fieldsOf(node, 'ReindexStmt');
  const concurrent = flag(index, 'concurrent') || flag(drop, 'concurrent') || listOf(reindex, 'params').some((p) => str(fieldsOf(p, 'DefElem'), 'defname') === 'concurrently');
  if (concurrent && captured.transaction !== null) {
    hits.push({ rule: 'concurrently-in-transaction', message: `${index ? 'CREATE INDEX' : drop ? 'DROP INDEX' : 'REINDEX'} CONCURRENTLY runs inside the revision's transaction, where PostgreSQL refuses it` });
  }
  if (index && !flag(index, 'concurrent') && walk.existing(relationName(index))) {
    hits.push({ rule: 'require-concurrent-index', message: `CREATE ${flag(index, 'unique') ? 'UNIQUE ' : ''}INDEX ${q(str(index, 'idxname'))} on existing table ${q(relationName(index))} without CONCURRENTLY blocks writes to it while the index builds` });
  }
  if (drop && str(drop, 'removeType') === 'OBJECT_INDEX' && !flag(drop, 'concurrent')) {
    const old = dropNames(drop).filter((i) => !walk.newIndexes.has(i));
    if (old.length > 0) hits.push({ rule: 'require-concurrent-index-drop', message: `DROP INDEX ${old.map(q).join(', ')} without CONCURRENTLY takes an exclusive lock on its table` });
  }
  return hits;
};

/** ADD CONSTRAINT on an existing table: FK/check without NOT VALID, UNIQUE/PRIMARY KEY not USING INDEX; SET NOT NULL. */
export const checkConstraints: StatementCheck = ({ node }, walk) => {
  const alter = fieldsOf(node, 'AlterTableStmt');
  const table = relationName(alter);
  if (!alter || !walk.existing(table)) return [];
  const hits: Hit[] = [];
  for (const cmd of alterCommands(alter)) {
    const sub = str(cmd, 'subtype');
    if (sub === 'AT_AddConstraint') {
      const c = fieldsOf(cmd['def'], 'Constraint');
      const type = str(c, 'contype');
      const name = str(c, 'conname') || '(unnamed)';
      if ((type === 'CONSTR_FOREIGN' || type === 'CONSTR_CHECK') && !flag(c, 'skip_validation')) {
        const what = type === 'CONSTR_FOREIGN' ? `foreign key ${q(name)} (to ${q(relationName(c, 'pktable'))})` : `check ${q(name)}`;
        hits.push({ rule: 'constraint-not-valid', message: `${what} is added to existing table ${q(table)} without NOT VALID: every row is checked while writes wait` });
      }
      if ((type === 'CONSTR_UNIQUE' || type === 'CONSTR_PRIMARY' || type === 'CONSTR_EXCLUSION') && !str(c, 'indexname')) {
        hits.push({ rule: 'unique-via-index', message: `${type === 'CONSTR_PRIMARY' ? 'primary key' : type === 'CONSTR_UNIQUE' ? 'unique constraint' : 'exclusion constraint'} ${q(name)} on existing table ${q(table)} builds its index while writes wait` });
      }
    }
    if (sub === 'AT_SetNotNull' && !walk.memory.validatedNotNull.has(`${table}.${str(cmd, 'name')}`)) {
      hits.push({ rule: 'set-not-null-needs-check', message: `SET NOT NULL on ${q(table)}.${q(str(cmd, 'name'))} scans the table under an exclusive lock: no validated CHECK (${str(cmd, 'name')} IS NOT NULL) precedes it` });
    }
  }
  return hits;
};

/** A strong lock on an existing table with no lock_timeout in force (reported once per revision by the engine). */
export const checkLockTimeout: StatementCheck = ({ node, captured }, walk) => {
  const target = strongLockTarget(node, walk);
  if (target === null || walk.hasLockTimeout(captured.transaction)) return [];
  return [{ rule: 'require-lock-timeout', message: `this statement locks ${q(target)} with no lock_timeout set: it can wait behind a long transaction while every query on ${q(target)} waits behind it` }];
};
