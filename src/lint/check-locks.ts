/**
 * The lock rules about how indexes and constraints are added on an existing table, and about the session around
 * a revision: each check reads one parsed statement (see lint-rules.ts for what each rule is for).
 */
import type { Hit, StatementCheck } from './check-types.js';
import { alterCommands, dropNames, settingIsNonZero, strongLockTarget, tableLockStatement } from './revision-walk.js';
import { fieldsOf, flag, listOf, names, rangeVarName, relationName, str } from './pg-ast.js';

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
    hits.push({ rule: 'require-concurrent-index', message: `CREATE ${flag(index, 'unique') ? 'UNIQUE ' : ''}INDEX ${str(index, 'idxname') ? q(str(index, 'idxname')) : '(unnamed)'} on existing table ${q(relationName(index))} without CONCURRENTLY blocks writes to it while the index builds` });
  }
  if (drop && str(drop, 'removeType') === 'OBJECT_INDEX' && !flag(drop, 'concurrent')) {
    const old = dropNames(drop).filter((i) => !walk.newIndexes.has(i));
    if (old.length > 0) hits.push({ rule: 'require-concurrent-index-drop', message: `DROP INDEX ${old.map(q).join(', ')} without CONCURRENTLY takes an exclusive lock on its table` });
  }
  return hits;
};

const PRIMARY_KEY_FIX = 'CREATE UNIQUE INDEX CONCURRENTLY first (in op.autocommitBlock), then ADD CONSTRAINT ... PRIMARY KEY USING INDEX; its columns must already be NOT NULL (see set-not-null-needs-check), or that step scans the table';
const EXCLUSION_FIX = 'an exclusion constraint has no USING INDEX form, so PostgreSQL always builds its index under this lock: add it while the table is small or quiet and accept the finding with a reason';

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
      if ((type === 'CONSTR_UNIQUE' || type === 'CONSTR_PRIMARY') && !str(c, 'indexname')) {
        const primary = type === 'CONSTR_PRIMARY';
        hits.push({ rule: 'unique-via-index', message: `${primary ? 'primary key' : 'unique constraint'} ${q(name)} on existing table ${q(table)} builds its index while writes wait`, ...(primary ? { fix: PRIMARY_KEY_FIX } : {}) });
      }
      // EXCLUDE has no USING INDEX form: its index is always built under the ALTER TABLE's lock.
      if (type === 'CONSTR_EXCLUSION') {
        hits.push({ rule: 'unique-via-index', message: `exclusion constraint ${q(name)} on existing table ${q(table)} builds its index under ACCESS EXCLUSIVE: reads and writes wait`, fix: EXCLUSION_FIX });
      }
    }
    // Constraints written on a column the command adds: the table's rows are checked (or indexed) the same way,
    // under the ADD COLUMN's ACCESS EXCLUSIVE lock.
    if (sub === 'AT_AddColumn') {
      const column = fieldsOf(cmd['def'], 'ColumnDef');
      const colname = str(column, 'colname');
      for (const item of listOf(column, 'constraints')) {
        const c = fieldsOf(item, 'Constraint');
        const type = str(c, 'contype');
        if (type === 'CONSTR_FOREIGN' || type === 'CONSTR_CHECK') {
          const what = type === 'CONSTR_FOREIGN' ? `foreign key on new column ${q(colname)} (to ${q(relationName(c, 'pktable'))})` : `check on new column ${q(colname)}`;
          hits.push({ rule: 'constraint-not-valid', message: `${what} of existing table ${q(table)} is added with the column, which cannot be NOT VALID: every row is checked while writes wait (add the column, then the constraint NOT VALID and validate it)` });
        }
        if (type === 'CONSTR_UNIQUE' || type === 'CONSTR_PRIMARY') {
          const primary = type === 'CONSTR_PRIMARY';
          hits.push({ rule: 'unique-via-index', message: `${primary ? 'primary key' : 'unique constraint'} on new column ${q(colname)} of existing table ${q(table)} builds its index while writes wait (add the column, build a unique index CONCURRENTLY, then ADD CONSTRAINT ... ${primary ? 'PRIMARY KEY' : 'UNIQUE'} USING INDEX)`, ...(primary ? { fix: PRIMARY_KEY_FIX } : {}) });
        }
      }
    }
    if (sub === 'AT_SetNotNull' && !walk.memory.validatedNotNull.has(`${table}.${str(cmd, 'name')}`)) {
      hits.push({ rule: 'set-not-null-needs-check', message: `SET NOT NULL on ${q(table)}.${q(str(cmd, 'name'))} scans the table under an exclusive lock: no validated CHECK (${str(cmd, 'name')} IS NOT NULL) precedes it` });
    }
  }
  return hits;
};

/** ATTACH PARTITION of an existing table with no validated check to spare PostgreSQL the scan of its rows. */
export const checkAttach: StatementCheck = ({ node }, walk) => {
  const alter = fieldsOf(node, 'AlterTableStmt');
  if (!alter) return [];
  const hits: Hit[] = [];
  for (const cmd of alterCommands(alter)) {
    if (str(cmd, 'subtype') !== 'AT_AttachPartition') continue;
    const partition = relationName(fieldsOf(cmd['def'], 'PartitionCmd'), 'name');
    // A table this revision created is empty; one with a validated check may hold one that implies the bound.
    if (!walk.existing(partition) || walk.memory.checkedTables.has(partition)) continue;
    hits.push({ rule: 'attach-partition-needs-check', message: `ATTACH PARTITION ${q(partition)} to ${q(relationName(alter))}: no validated CHECK on ${q(partition)} precedes it, so every row is scanned under ACCESS EXCLUSIVE on ${q(partition)}` });
  }
  return hits;
};

/** ALTER DOMAIN ... ADD CONSTRAINT without NOT VALID on a domain this revision did not create. */
export const checkDomain: StatementCheck = ({ node }, walk) => {
  const alter = fieldsOf(node, 'AlterDomainStmt');
  // Subtype 'C' is ADD CONSTRAINT (PostgreSQL's AlterDomainStmt codes: T default, N/O not null, C add, X drop, V validate).
  if (!alter || str(alter, 'subtype') !== 'C') return [];
  const domain = names(listOf(alter, 'typeName')).at(-1) ?? '';
  const c = fieldsOf(alter['def'], 'Constraint');
  if (walk.newDomains.has(domain) || flag(c, 'skip_validation')) return [];
  return [{ rule: 'domain-check-not-valid', message: `check ${q(str(c, 'conname') || '(unnamed)')} is added to domain ${q(domain)} without NOT VALID: every column using the domain is checked while writes to its table wait` }];
};

/** A strong lock on an existing table with no lock_timeout in force (reported once per revision by the engine). */
export const checkLockTimeout: StatementCheck = ({ node, captured }, walk) => {
  const target = strongLockTarget(node, walk);
  if (target === null || walk.hasLockTimeout(captured.transaction)) return [];
  return [{ rule: 'require-lock-timeout', message: `this statement locks ${q(target)} with no lock_timeout set: it can wait behind a long transaction while every query on ${q(target)} waits behind it` }];
};

/**
 * VALIDATE CONSTRAINT in a transaction that already holds a lock blocking writes to an existing table: the lock is
 * held until the commit, so through the whole validation scan. The usual case is the ADD ... NOT VALID of the same
 * constraint earlier in the same transaction (ACCESS EXCLUSIVE for a check, SHARE ROW EXCLUSIVE for a foreign key):
 * NOT VALID then buys nothing. Outside a transaction (an autocommit block) each statement commits on its own.
 */
export const checkValidate: StatementCheck = ({ node, captured }, walk) => {
  const alter = fieldsOf(node, 'AlterTableStmt');
  const tx = captured.transaction;
  if (!alter || tx === null) return [];
  const table = relationName(alter);
  const held = [...(walk.lockedIn.get(tx) ?? [])];
  // Transaction 0 may continue the group transaction of the revisions before (see CarriedLocks).
  const carried = tx === 0 ? walk.carried : null;
  if (held.length === 0 && (carried?.locked.size ?? 0) === 0) return [];
  const hits: Hit[] = [];
  for (const cmd of alterCommands(alter)) {
    if (str(cmd, 'subtype') !== 'AT_ValidateConstraint') continue;
    const name = str(cmd, 'name');
    const what = `VALIDATE CONSTRAINT ${q(name)} on ${q(table)}`;
    const group = "upgrade sends consecutive revisions without an autocommit block in groups, each group one transaction";
    if (held.length === 0) {
      const addedBy = carried?.notValid.get(`${table}.${name}`);
      const [lockedTable, by] = [...carried!.locked][0]!;
      hits.push({ rule: 'validate-in-same-transaction', message: addedBy !== undefined
        ? `${what} may run in the transaction of revision ${addedBy}, which added it NOT VALID (${group}): the ADD's lock on ${q(table)} is then held through the validation scan`
        : `${what} may run in the transaction of revision ${by}, which locks ${q(lockedTable)} against writes (${group}): that lock is then held through the validation scan` });
    } else if (walk.notValidIn.get(tx)?.has(`${table}.${name}`)) {
      hits.push({ rule: 'validate-in-same-transaction', message: `${what} runs in the transaction that added it NOT VALID: the ADD's lock on ${q(table)} is held through the validation scan, so writes wait as if it were added without NOT VALID` });
    } else {
      hits.push({ rule: 'validate-in-same-transaction', message: `${what} runs in a transaction that already holds a lock blocking writes to ${held.map(q).join(', ')} (taken earlier in it): the lock is held through the validation scan` });
    }
  }
  return hits;
};

/**
 * Statements that lock whole existing tables without changing their definition: REINDEX without CONCURRENTLY,
 * VACUUM FULL, CLUSTER and ALTER TABLE SET LOGGED / UNLOGGED (which rewrite the table), LOCK TABLE in a mode that
 * blocks writes, TRUNCATE; and VACUUM inside the revision's transaction, where PostgreSQL refuses it.
 */
export const checkTableLocks: StatementCheck = ({ node, captured }, walk) => {
  const hits: Hit[] = [];
  const vacuum = fieldsOf(node, 'VacuumStmt');
  if (vacuum && flag(vacuum, 'is_vacuumcmd') && captured.transaction !== null) {
    hits.push({ rule: 'concurrently-in-transaction', message: "VACUUM runs inside the revision's transaction, where PostgreSQL refuses it" });
  }
  const locked = tableLockStatement(node, walk);
  const names = locked?.tables.map((t) => (t.startsWith('(') || t.startsWith('schema ') ? t : q(t))).join(', ') ?? '';
  switch (locked?.kind) {
    case 'reindex':
      hits.push({ rule: 'require-concurrent-reindex', message: `REINDEX of ${names} without CONCURRENTLY blocks writes to the table, and reads that use an index under ACCESS EXCLUSIVE while it is rebuilt, for as long as the rebuild takes` });
      break;
    case 'vacuum-full':
    case 'cluster':
      hits.push({ rule: 'rewriting-table', message: `${locked.kind === 'cluster' ? 'CLUSTER' : 'VACUUM FULL'} of ${names} rewrites it under ACCESS EXCLUSIVE: reads and writes wait until the table and its indexes are copied` });
      break;
    case 'lock':
      hits.push({ rule: 'explicit-table-lock', message: `LOCK TABLE ${names} IN ${locked.mode} MODE blocks ${locked.mode === 'ACCESS EXCLUSIVE' ? 'reads and writes' : 'writes'} until the revision's transaction commits` });
      break;
    default:
      break;
  }
  const alter = fieldsOf(node, 'AlterTableStmt');
  const table = relationName(alter);
  if (alter && walk.existing(table)) {
    for (const cmd of alterCommands(alter)) {
      const sub = str(cmd, 'subtype');
      if (sub === 'AT_SetLogged' || sub === 'AT_SetUnLogged') {
        hits.push({ rule: 'rewriting-table', message: `SET ${sub === 'AT_SetLogged' ? 'LOGGED' : 'UNLOGGED'} rewrites ${q(table)} under ACCESS EXCLUSIVE: reads and writes wait until the table and its indexes are copied` });
      }
    }
  }
  const truncate = fieldsOf(node, 'TruncateStmt');
  const emptied = listOf(truncate, 'relations').map((r) => rangeVarName(r)).filter((t) => walk.existing(t));
  if (emptied.length > 0) {
    hits.push({ rule: 'truncating-table', message: `TRUNCATE ${emptied.map(q).join(', ')} deletes every row of an existing table, under ACCESS EXCLUSIVE (every query on it waits)` });
  }
  return hits;
};

/** SET [LOCAL] lock_timeout or statement_timeout to 0 (or RESET, TO DEFAULT: the server's 0): the timeout is turned off. */
export const checkTimeoutOff: StatementCheck = ({ node }) => {
  const set = fieldsOf(node, 'VariableSetStmt');
  const name = str(set, 'name');
  if (!set || (name !== 'lock_timeout' && name !== 'statement_timeout')) return [];
  const kind = str(set, 'kind');
  if (kind === 'VAR_SET_VALUE' ? settingIsNonZero(listOf(set, 'args')[0]) : kind !== 'VAR_SET_DEFAULT' && kind !== 'VAR_RESET') return [];
  const how = kind === 'VAR_SET_VALUE' ? `SET${flag(set, 'is_local') ? ' LOCAL' : ''} ${name} = 0` : kind === 'VAR_RESET' ? `RESET ${name}` : `SET ${name} TO DEFAULT`;
  const what = name === 'lock_timeout'
    ? 'a statement that needs a lock then waits behind any long transaction while every query on its table queues behind it'
    : 'a statement that scans or rewrites a large table runs as long as it takes, holding its locks';
  return [{ rule: 'timeout-disabled', message: `${how} turns the ${name === 'lock_timeout' ? 'lock' : 'statement'} timeout off (${kind === 'VAR_SET_VALUE' ? '0 means none' : "the server's default is none"}): ${what}` }];
};

/**
 * A DO block in the revision's own SQL (op.execute, ctx.query): its PL/pgSQL, often statements built as strings for
 * EXECUTE, is not SQL the parser reads, so no rule saw what it runs. Retort's own DO blocks (compiled from op calls) are
 * not reported.
 */
export const checkDoBlock: StatementCheck = ({ node, captured }) => {
  if (!fieldsOf(node, 'DoStmt') || (captured.op !== null && captured.op.kind !== 'execute')) return [];
  return [{ rule: 'unchecked-do-block', message: 'lint cannot see inside this DO block: the statements it runs (EXECUTE of a string, PL/pgSQL) are not checked by any rule' }];
};
