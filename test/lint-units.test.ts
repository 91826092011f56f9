/** Lint's pure parts, table-driven: ignore comments, binary-coercible type changes, and the parser's view of a statement. */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { acceptedBy, readIgnores } from '../src/lint/ignores.js';
import { binaryCoercible } from '../src/lint/check-rewrites.js';
import { pgBatchParser, pgParser, nodeType } from '../src/lint/pg-ast.js';
import { isDataChange, newProjectMemory, RevisionWalk, strongLockTarget } from '../src/lint/revision-walk.js';
import type { ColumnType } from '../src/ir/ir.js';

describe('ignore comments', () => {
  const cases: [string, { rules: string[]; reason: string; problem: RegExp | null }][] = [
    ['  // retort-lint-ignore dropping-table: unused since v2', { rules: ['dropping-table'], reason: 'unused since v2', problem: null }],
    ['op.dropTable("x"); //retort-lint-ignore dropping-table, dropping-column: ok', { rules: ['dropping-table', 'dropping-column'], reason: 'ok', problem: null }],
    ['  // retort-lint-ignore dropping-table', { rules: ['dropping-table'], reason: '', problem: /no reason/ }],
    ['  // retort-lint-ignore dropping-table:   ', { rules: ['dropping-table'], reason: '', problem: /no reason/ }],
    ['  // retort-lint-ignore no-such-rule: because', { rules: ['no-such-rule'], reason: 'because', problem: /no known rule: no-such-rule/ }],
    ['  // retort-lint-ignore : because', { rules: [], reason: 'because', problem: /names no rule/ }],
  ];
  for (const [line, want] of cases) {
    test(line.trim(), () => {
      const [c] = readIgnores(`first line\n${line}\n`);
      assert.equal(c?.line, 2);
      assert.deepEqual(c.rules, want.rules);
      assert.equal(c.reason, want.reason);
      if (want.problem) assert.match(c.problem ?? '', want.problem);
      else assert.equal(c.problem, null);
    });
  }

  test('an ignore accepts its own line and the next, only for its rules, and only when valid', () => {
    const ignores = readIgnores('a\n// retort-lint-ignore dropping-table: fine\nop.dropTable()\nop.dropTable()\n// retort-lint-ignore dropping-column\nop.dropColumn()\n');
    assert.equal(acceptedBy(ignores, 'dropping-table', 3)?.reason, 'fine');
    assert.equal(acceptedBy(ignores, 'dropping-table', 2)?.reason, 'fine');
    assert.equal(acceptedBy(ignores, 'dropping-table', 4), null);
    assert.equal(acceptedBy(ignores, 'renaming-table', 3), null);
    assert.equal(acceptedBy(ignores, 'dropping-column', 6), null, 'an ignore without a reason accepts nothing');
    assert.equal(acceptedBy(ignores, 'dropping-table', null), null);
  });
});

describe('binary-coercible type changes (no rewrite)', () => {
  const vc = (length: number | null): ColumnType => ({ kind: 'varchar', length });
  const num = (precision: number | null, scale: number | null): ColumnType => ({ kind: 'numeric', precision, scale });
  const cases: [string, ColumnType, ColumnType, boolean][] = [
    ['varchar(20) -> varchar(50)', vc(20), vc(50), true],
    ['varchar(50) -> varchar(20)', vc(50), vc(20), false],
    ['varchar(20) -> varchar', vc(20), vc(null), true],
    ['varchar -> varchar(20)', vc(null), vc(20), false],
    ['varchar(20) -> text', vc(20), { kind: 'text' }, true],
    ['text -> varchar', { kind: 'text' }, vc(null), true],
    ['text -> varchar(10)', { kind: 'text' }, vc(10), false],
    ['integer -> bigint', { kind: 'integer' }, { kind: 'bigint' }, false],
    ['numeric(10,2) -> numeric(12,2)', num(10, 2), num(12, 2), true],
    ['numeric(10,2) -> numeric(12,3)', num(10, 2), num(12, 3), false],
    ['numeric(10,2) -> numeric', num(10, 2), num(null, null), true],
    ['timestamp -> timestamptz', { kind: 'timestamp', withTimezone: false }, { kind: 'timestamp', withTimezone: true }, false],
  ];
  for (const [name, from, to, want] of cases) test(name, () => assert.equal(binaryCoercible(from, to), want));
});

describe("PostgreSQL's parser, as lint reads it", () => {
  test('statements, strong locks on existing tables, data changes', async () => {
    const parse = await pgParser();
    const p = parse("CREATE TABLE fresh (id int); CREATE INDEX ix ON fresh (id); CREATE INDEX CONCURRENTLY ix2 ON old (id); ALTER TABLE old VALIDATE CONSTRAINT c; ALTER TABLE old ADD COLUMN x int; INSERT INTO old VALUES (1); INSERT INTO old SELECT * FROM fresh; UPDATE old SET x = 1");
    assert.ok(p.ok);
    const walk = new RevisionWalk(newProjectMemory(), []);
    const locks: (string | null)[] = [];
    for (const node of p.statements) {
      locks.push(strongLockTarget(node, walk));
      walk.record({ node, captured: { sql: '', op: null, call: 0, line: 1, transaction: 0 } });
    }
    assert.deepEqual(p.statements.map(nodeType), ['CreateStmt', 'IndexStmt', 'IndexStmt', 'AlterTableStmt', 'AlterTableStmt', 'InsertStmt', 'InsertStmt', 'UpdateStmt']);
    assert.deepEqual(locks, [null, null, null, null, 'old', null, null, null]);
    assert.deepEqual(p.statements.map(isDataChange), [false, false, false, false, false, false, true, true]);
    const bad = parse('ALTER TABL old ADD x int');
    assert.ok(!bad.ok && /syntax error/.test(bad.error));
  });

  test('row-level security: ENABLE, CREATE / ALTER / DROP POLICY lock an existing table, not a new one', async () => {
    const parse = await pgParser();
    const p = parse(`CREATE TABLE fresh (id int); CREATE POLICY p ON fresh USING (true); ALTER TABLE old ENABLE ROW LEVEL SECURITY;
      CREATE POLICY p ON old USING (true); ALTER POLICY p ON old TO PUBLIC; DROP POLICY p ON old; DROP POLICY p ON fresh`);
    assert.ok(p.ok);
    const walk = new RevisionWalk(newProjectMemory(), []);
    const locks: (string | null)[] = [];
    for (const node of p.statements) {
      locks.push(strongLockTarget(node, walk));
      walk.record({ node, captured: { sql: '', op: null, call: 0, line: 1, transaction: 0 } });
    }
    assert.deepEqual(locks, [null, null, 'old', 'old', 'old', 'old', null]);
  });

  test('a lock_timeout from the run, the session or the transaction counts; SET ... = 0 turns it off', async () => {
    const parse = await pgParser();
    const nodes = (sql: string) => {
      const p = parse(sql);
      assert.ok(p.ok);
      return p.statements;
    };
    assert.equal(new RevisionWalk(newProjectMemory(), nodes("SET lock_timeout = '4s'")).hasLockTimeout(null), true);
    // Retort opening each transaction with a SET LOCAL (its run preamble) covers every transaction, not the autocommit blocks.
    const opened = new RevisionWalk(newProjectMemory(), nodes("BEGIN; SET LOCAL lock_timeout = '4s'"));
    assert.deepEqual([opened.hasLockTimeout(0), opened.hasLockTimeout(3), opened.hasLockTimeout(null)], [true, true, false]);
    const walk = new RevisionWalk(newProjectMemory(), []);
    const record = (sql: string, transaction: number | null) => { for (const node of nodes(sql)) walk.record({ node, captured: { sql, op: null, call: 0, line: 1, transaction } }); };
    record("SET LOCAL lock_timeout = '2s'", 0);
    assert.deepEqual([walk.hasLockTimeout(0), walk.hasLockTimeout(1), walk.hasLockTimeout(null)], [true, false, false]);
    record('SET lock_timeout = 1000', null);
    assert.equal(walk.hasLockTimeout(1), true);
    record('SET lock_timeout = 0', null);
    assert.equal(walk.hasLockTimeout(1), false);
  });

  test('parsing pieces in one call gives each piece what parsing it alone gives, whatever the piece ends inside', async () => {
    const [one, many] = [await pgParser(), await pgBatchParser()];
    const pieces = [
      'CREATE TABLE a (id int)',
      "SELECT 'é'; SELECT 2 -- a comment with no newline",
      "SELECT 'unterminated", // a string that would run into the next piece
      "x'",
      'SELECT 1 /* a comment that opens here',
      'and closes here */',
      "CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1;", // the separator would end it
      'END',
      '   ',
      'ALTER TABL a ADD x int',
      'UPDATE a SET id = 2; DELETE FROM a',
      '$$',
      '$$',
    ];
    // Node locations count from the start of the text parsed (the joined one in a batch); lint reads none.
    const shape = (p: { ok: boolean; statements?: readonly unknown[]; error?: string }) =>
      JSON.stringify(p.ok ? { ok: true, statements: p.statements } : { ok: false, error: p.error }, (k, v: unknown) => (k === 'location' ? undefined : v));
    assert.deepEqual(many(pieces).map(shape), pieces.map((sql) => shape(one(sql))));
    // An empty piece is an error alone (the parser refuses empty text), and stays one in a batch.
    const withEmpty = ['SELECT 1', '', 'SELECT 2'];
    assert.deepEqual(many(withEmpty).map(shape), withEmpty.map((sql) => shape(one(sql))));
    // Pieces that are all good: still one statement list per piece, in order.
    const good = ['CREATE TABLE b (id int)', 'ALTER TABLE b ADD y int; ALTER TABLE b ADD z int', "SELECT 'x;y'"];
    assert.deepEqual(many(good).map((p) => (p.ok ? p.statements.map(nodeType) : p.error)), [['CreateStmt'], ['AlterTableStmt', 'AlterTableStmt'], ['SelectStmt']]);
  });
});
