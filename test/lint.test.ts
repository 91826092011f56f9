/**
 * `retort lint` through the CLI: every rule has a revision that breaks it and one that keeps it (test/lint-cases.ts),
 * linted on PostgreSQL (all rules) and on SQLite (the rules about running code; the lock rules do not apply there).
 * Also: ignore comments, --json and --format sarif parsed, exit codes, bad input.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createProject, DIALECTS, type TestProject } from './helpers/project.js';

/** Turns off the lock_timeout Retort sets in each revision (config revisionLockTimeout), so require-lock-timeout has something to find. */
function withoutRunLockTimeout(p: TestProject): void {
  writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'], revisionLockTimeout: 0 });\n`);
}
import { CODE_CASES, LOCK_CASES, type RuleCase } from './lint-cases.js';
import { NATIVE_FROM_CHARS } from '../src/runtime/transform.js';

interface Finding {
  rule: string;
  severity: 'error' | 'warning';
  file: string;
  line: number | null;
  revision: string | null;
  message: string;
  fix: string;
  reason?: string;
}
interface Report {
  schemaVersion: number;
  command: string;
  database: string;
  selection: { kind: string; note: string | null };
  revisions: { revision: string | null; file: string }[];
  rules: string[];
  findings: Finding[];
  accepted: Finding[];
  summary: { errors: number; warnings: number; accepted: number };
}

/** A revision file in cases/ (outside the migrations folder: each is linted on its own). */
function caseSource(id: string, body: string): string {
  return `import type { Op, MigrationContext } from 'retort-migrate';
import { bigint, integer, sql, text, timestamp, uuid, varchar } from 'retort-migrate';
export const revision = '${id}';
export const downRevision = null;
export const message = '${id}';

export async function upgrade(op: Op, ctx: MigrationContext): Promise<void> {
${body}
}

export async function downgrade(op: Op): Promise<void> {}
`;
}

function writeCases(p: TestProject, cases: readonly RuleCase[]): string[] {
  mkdirSync(path.join(p.dir, 'cases'), { recursive: true });
  const files: string[] = [];
  for (const c of cases) {
    for (const kind of ['bad', 'good'] as const) {
      const file = path.join('cases', `${c.rule}_${kind}.ts`);
      writeFileSync(path.join(p.dir, file), caseSource(`${c.rule.replace(/-/g, '_')}_${kind}`, c[kind]));
      files.push(file);
    }
  }
  return files;
}

async function lintJson(p: TestProject, ...args: string[]): Promise<{ code: number | null; report: Report; stderr: string }> {
  const r = await p.retort('lint', '--json', ...args);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  return { code: r.code, report: JSON.parse(r.stdout) as Report, stderr: r.stderr };
}

const inFile = (report: Report, file: string) => report.findings.filter((f) => f.file === file);

for (const dialect of DIALECTS) {
  describe(`lint rules on ${dialect}`, () => {
    let p: TestProject;
    let report: Report;
    let code: number | null;
    const cases = [...LOCK_CASES, ...CODE_CASES];
    before(async () => {
      p = await createProject(dialect, { empty: true });
      withoutRunLockTimeout(p);
      const files = writeCases(p, cases);
      ({ report, code } = await lintJson(p, ...files));
    });
    after(async () => {
      await p.cleanup();
    });

    test('the report is one JSON document naming the command, the database and every file', () => {
      assert.equal(report.schemaVersion, 1);
      assert.equal(report.command, 'lint');
      assert.equal(report.database, dialect === 'postgresql' ? 'PostgreSQL' : 'SQLite');
      assert.equal(report.selection.kind, 'files');
      assert.equal(report.revisions.length, cases.length * 2);
      assert.equal(code, 1, 'errors make lint exit 1');
      assert.equal(report.summary.errors, report.findings.filter((f) => f.severity === 'error').length);
    });

    for (const c of CODE_CASES) {
      test(`${c.rule}: the bad revision breaks it at the op call's line, the good one is clean`, () => {
        const bad = inFile(report, path.join('cases', `${c.rule}_bad.ts`));
        const hit = bad.find((f) => f.rule === c.rule);
        assert.ok(hit, `${c.rule} not found in ${JSON.stringify(bad)}`);
        assert.ok(hit.line !== null && hit.line >= 9, `line ${hit.line} is in upgrade()`);
        assert.ok(hit.fix.length > 0 && hit.message.length > 0);
        assert.deepEqual(inFile(report, path.join('cases', `${c.rule}_good.ts`)), []);
      });
    }

    if (dialect === 'postgresql') {
      for (const c of LOCK_CASES) {
        test(`${c.rule}: the bad revision breaks it, the good one is clean`, () => {
          const bad = inFile(report, path.join('cases', `${c.rule}_bad.ts`));
          assert.ok(bad.some((f) => f.rule === c.rule), `${c.rule} not found in ${JSON.stringify(bad)}`);
          assert.deepEqual(inFile(report, path.join('cases', `${c.rule}_good.ts`)), []);
        });
      }

      test('constraints written on an added column are found as the same constraints added alone; an unnamed index is named so', async () => {
        const file = path.join('cases', 'inline_column_constraints.ts');
        writeFileSync(path.join(p.dir, file), caseSource('inline_column_constraints', [
          `  op.execute("SET lock_timeout = '5s'");`,
          `  op.execute('ALTER TABLE orders ADD COLUMN c3 int CHECK (c3 > 0)');`,
          `  op.execute('ALTER TABLE orders ADD COLUMN c4 int UNIQUE');`,
          `  op.execute('ALTER TABLE orders ADD COLUMN c5 int REFERENCES customers (id)');`,
          `  op.execute('CREATE INDEX ON public.orders (note)');`,
          `  op.execute('ALTER TABLE orders ADD COLUMN c6 int NOT NULL DEFAULT 0');`,
          `  op.execute('ALTER TABLE orders ALTER COLUMN amount TYPE numeric(12, 4)');`,
        ].join('\n')));
        const { report: r } = await lintJson(p, file);
        const hits = r.findings.map((f) => `${f.line} ${f.rule}`);
        assert.deepEqual(hits, ['9 constraint-not-valid', '10 unique-via-index', '11 constraint-not-valid', '12 require-concurrent-index', '14 changing-column-type']);
        assert.match(r.findings[4]!.message, /"orders"\."amount" changes type to numeric\(12, 4\):/);
        assert.match(r.findings[0]!.message, /check on new column "c3" of existing table "orders" is added with the column/);
        assert.match(r.findings[2]!.message, /foreign key on new column "c5" \(to "customers"\)/);
        assert.match(r.findings[3]!.message, /CREATE INDEX \(unnamed\) on existing table "orders"/);
      });

      test('VALIDATE in the transaction of its ADD ... NOT VALID is found, from op calls and from raw SQL; after an autocommit block it is not', async () => {
        const file = path.join('cases', 'validate_same_tx.ts');
        writeFileSync(path.join(p.dir, file), caseSource('validate_same_tx', [
          `  op.execute("SET lock_timeout = '5s'");`,
          `  op.createCheckConstraint('c_slow', 'orders', sql\`note IS NOT NULL\`, { notValid: true });`,
          `  op.validateConstraint('c_slow', 'orders');`,
          `  op.execute('ALTER TABLE orders ADD CONSTRAINT c CHECK (note IS NOT NULL) NOT VALID; ALTER TABLE orders VALIDATE CONSTRAINT c;');`,
          `  op.addColumn('orders', 'memo', text());`,
          `  op.execute('ALTER TABLE orders VALIDATE CONSTRAINT fk_old');`,
          `  op.autocommitBlock((op) => op.validateConstraint('c_slow', 'orders'));`,
          `  op.validateConstraint('c', 'orders');`,
        ].join('\n')));
        const { report: r } = await lintJson(p, file);
        assert.deepEqual(r.findings.map((f) => `${f.line} ${f.rule}`), ['10 validate-in-same-transaction', '11 validate-in-same-transaction', '13 validate-in-same-transaction']);
        assert.match(r.findings[0]!.message, /^VALIDATE CONSTRAINT "c_slow" on "orders" runs in the transaction that added it NOT VALID: the ADD's lock/);
        assert.match(r.findings[2]!.message, /VALIDATE CONSTRAINT "fk_old" on "orders" runs in a transaction that already holds a lock blocking writes to "orders"/);
        assert.match(r.findings[0]!.fix, /op\.autocommitBlock\(\)/);
      });

      test('statements that lock a whole existing table are each found under their rule; VACUUM in the transaction is refused', async () => {
        const file = path.join('cases', 'table_locks.ts');
        writeFileSync(path.join(p.dir, file), caseSource('table_locks', [
          `  op.execute("SET lock_timeout = '5s'");`,
          `  op.execute('REINDEX TABLE orders');`,
          `  op.execute('VACUUM FULL orders');`,
          `  op.execute('CLUSTER orders USING ix_orders_code');`,
          `  op.execute('ALTER TABLE orders SET UNLOGGED');`,
          `  op.execute('ALTER TABLE orders SET LOGGED');`,
          `  op.execute('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');`,
          `  op.execute('LOCK TABLE orders IN SHARE MODE');`,
          `  op.execute('TRUNCATE orders');`,
          `  op.autocommitBlock((op) => op.execute('REINDEX (CONCURRENTLY) INDEX ix_orders_code'));`,
        ].join('\n')));
        const { report: r } = await lintJson(p, file);
        assert.deepEqual(r.findings.map((f) => `${f.line} ${f.severity} ${f.rule}`), [
          '9 error require-concurrent-reindex',
          '10 error concurrently-in-transaction',
          '10 error rewriting-table',
          '11 error rewriting-table',
          '12 error rewriting-table',
          '13 error rewriting-table',
          '14 warning explicit-table-lock',
          '15 warning explicit-table-lock',
          '16 warning truncating-table',
        ]);
        const message = (line: number, rule: string) => r.findings.find((f) => f.line === line && f.rule === rule)!.message;
        assert.match(message(9, 'require-concurrent-reindex'), /^REINDEX of "orders" without CONCURRENTLY blocks writes/);
        assert.match(message(10, 'concurrently-in-transaction'), /^VACUUM runs inside the revision's transaction/);
        assert.match(message(11, 'rewriting-table'), /^CLUSTER of "orders" rewrites it under ACCESS EXCLUSIVE/);
        assert.match(message(14, 'explicit-table-lock'), /^LOCK TABLE "orders" IN ACCESS EXCLUSIVE MODE blocks reads and writes until/);
        assert.match(message(15, 'explicit-table-lock'), /IN SHARE MODE blocks writes until/);
        assert.match(r.findings.find((f) => f.rule === 'rewriting-table')!.fix, /pg_repack/);
      });

      test('a type change is accepted only when binary-coercible: the old type from existing, else from an earlier revision of the run, else reported as unknown', async () => {
        const made = path.join('cases', 'types_made.ts');
        const changed = path.join('cases', 'types_changed.ts');
        const unknown = path.join('cases', 'types_unknown.ts');
        writeFileSync(path.join(p.dir, made), caseSource('types_made', `  op.createTable('ledger', { id: integer().primaryKey(), amount: integer(), memo: varchar(20) });\n  op.execute('ALTER TABLE ledger ADD COLUMN total numeric(10, 2)');`));
        writeFileSync(path.join(p.dir, changed), caseSource('types_changed', [
          `  op.execute("SET lock_timeout = '5s'");`,
          `  op.execute('ALTER TABLE ledger ALTER COLUMN amount TYPE text');`,
          `  op.execute('ALTER TABLE ledger ALTER COLUMN memo TYPE varchar(40)');`,
          `  op.execute('ALTER TABLE ledger ALTER COLUMN memo TYPE text');`,
          `  op.execute('ALTER TABLE ledger ALTER COLUMN memo TYPE varchar(10)');`,
          `  op.execute('ALTER TABLE ledger ALTER COLUMN total TYPE numeric(12, 2)');`,
          `  op.execute('ALTER TABLE ledger ALTER COLUMN total TYPE numeric(12, 4)');`,
          `  op.alterColumn('ledger', 'id', { type: text(), existing: { type: integer() } });`,
        ].join('\n')));
        writeFileSync(path.join(p.dir, unknown), caseSource('types_unknown', [
          `  op.execute("SET lock_timeout = '5s'");`,
          `  op.execute('ALTER TABLE orders ALTER COLUMN amount TYPE text');`,
          `  op.alterColumn('orders', 'note', { type: text(), existing: { type: varchar(200) } });`,
        ].join('\n')));
        const { report: r } = await lintJson(p, made, changed, unknown);
        assert.deepEqual(r.findings.map((f) => `${path.basename(f.file)}:${f.line} ${f.rule}`), [
          'types_changed.ts:9 changing-column-type',
          'types_changed.ts:12 changing-column-type',
          'types_changed.ts:14 changing-column-type',
          'types_changed.ts:15 changing-column-type',
          'types_unknown.ts:9 changing-column-type',
        ]);
        assert.match(r.findings[0]!.message, /^"ledger"\."amount" changes type from int4 to text: the table and its indexes are rewritten/);
        assert.match(r.findings[1]!.message, /changes type from text to varchar\(10\)/, 'memo was made text by the line before');
        assert.match(r.findings[2]!.message, /changes type from numeric\(12, 2\) to numeric\(12, 4\)/);
        assert.match(r.findings[3]!.message, /changes type from integer to text/);
        assert.match(r.findings[4]!.message, /^"orders"\."amount" changes type to text: the old type is not known from this revision/);
      });

      test('turning the lock or statement timeout off is found, and the locking DDL after it then lacks a lock_timeout', async () => {
        // Retort's own SET LOCAL lock_timeout (config revisionLockTimeout, '5s' by default) is in force here.
        writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'] });\n`);
        const bodies: Record<string, string> = {
          local_zero: `  op.execute('SET LOCAL lock_timeout = 0');\n  op.addColumn('orders', 'memo', text());`,
          session_zero: `  op.execute("SET lock_timeout = '0'");\n  op.addColumn('orders', 'memo', text());`,
          reset: `  op.execute('RESET lock_timeout');\n  op.addColumn('orders', 'memo', text());`,
          statement_zero: `  op.execute('SET LOCAL statement_timeout = 0');\n  op.addColumn('orders', 'memo', text());`,
          raised: `  op.execute("SET LOCAL lock_timeout = '30s'");\n  op.addColumn('orders', 'memo', text());`,
        };
        const files = Object.entries(bodies).map(([name, body]) => {
          const file = path.join('cases', `timeout_${name}.ts`);
          writeFileSync(path.join(p.dir, file), caseSource(`timeout_${name}`, body));
          return file;
        });
        try {
          const { report: r } = await lintJson(p, ...files);
          const found = (name: string) => r.findings.filter((f) => f.file === path.join('cases', `timeout_${name}.ts`)).map((f) => `${f.line} ${f.rule}`);
          assert.deepEqual(found('local_zero'), ['8 timeout-disabled', '9 require-lock-timeout']);
          assert.deepEqual(found('session_zero'), ['8 timeout-disabled', '9 require-lock-timeout']);
          assert.deepEqual(found('reset'), ['8 timeout-disabled', '9 require-lock-timeout']);
          assert.deepEqual(found('statement_zero'), ['8 timeout-disabled']);
          assert.deepEqual(found('raised'), []);
          assert.match(r.findings[0]!.message, /^SET LOCAL lock_timeout = 0 turns the lock timeout off \(0 means none\)/);
        } finally {
          withoutRunLockTimeout(p);
        }
      });

      test('a primary key is told to use PRIMARY KEY USING INDEX, an exclusion constraint that it has no USING INDEX form', async () => {
        const file = path.join('cases', 'key_fixes.ts');
        writeFileSync(path.join(p.dir, file), caseSource('key_fixes', [
          `  op.execute("SET lock_timeout = '5s'");`,
          `  op.createPrimaryKey('orders_pkey', 'orders', ['id']);`,
          `  op.createExclusionConstraint('orders_no_overlap', 'orders', { elements: [['room', '='], ['during', '&&']] });`,
          `  op.createUniqueConstraint('uq_orders_code', 'orders', ['code']);`,
          `  op.autocommitBlock((op) => op.createIndex('orders_id_key', 'orders', ['id'], { unique: true, concurrently: true }));`,
          `  op.execute('ALTER TABLE orders ADD CONSTRAINT orders_pkey PRIMARY KEY USING INDEX orders_id_key');`,
        ].join('\n')));
        const { report: r } = await lintJson(p, file);
        assert.deepEqual(r.findings.map((f) => `${f.line} ${f.rule}`), ['9 unique-via-index', '10 unique-via-index', '11 unique-via-index']);
        const [pk, ex, uq] = r.findings;
        assert.match(pk!.fix, /ADD CONSTRAINT \.\.\. PRIMARY KEY USING INDEX; its columns must already be NOT NULL/);
        assert.doesNotMatch(pk!.fix, /UNIQUE USING INDEX/);
        assert.match(ex!.message, /^exclusion constraint "orders_no_overlap" on existing table "orders" builds its index under ACCESS EXCLUSIVE/);
        assert.match(ex!.fix, /^an exclusion constraint has no USING INDEX form/);
        assert.match(uq!.fix, /UNIQUE USING INDEX/);
      });

      test("a view dropped and created again around a type change: Retort's note of its grants is no data change", async () => {
        const file = path.join('cases', 'view_moved.ts');
        writeFileSync(path.join(p.dir, file), caseSource('view_moved', [
          `  op.execute("SET lock_timeout = '5s'");`,
          `  op.dropView('order_notes');`,
          `  op.alterColumn('orders', 'note', { type: text(), existing: { type: varchar(200) } });`,
          `  op.createView('order_notes', sql\`SELECT id, note FROM orders\`);`,
        ].join('\n')));
        const { report: r } = await lintJson(p, file);
        assert.deepEqual(r.findings.map((f) => f.rule), []);
      });

      test('a finding points at the line of the op call that made the statement', () => {
        const [hit] = inFile(report, path.join('cases', 'ddl-with-data-change_bad.ts')).filter((f) => f.rule === 'ddl-with-data-change');
        // caseSource puts upgrade's body at line 8: the SET, the addColumn, then the UPDATE on line 10.
        assert.equal(hit?.line, 10);
      });
    } else {
      test('the lock rules do not apply on SQLite: their bad revisions lint clean', () => {
        assert.ok(!report.rules.includes('require-concurrent-index'));
        for (const c of LOCK_CASES) assert.deepEqual(inFile(report, path.join('cases', `${c.rule}_bad.ts`)).filter((f) => f.rule !== 'revision-not-linted'), [], c.rule);
      });
    }

    if (dialect === 'postgresql') {
      test('a DO block of the revision\'s own SQL is reported as unread (with its line), and accepted by an ignore; Retort\'s own DO blocks are not', () => {
        const [hit] = inFile(report, path.join('cases', 'unchecked-do-block_bad.ts'));
        assert.equal(hit?.line, 9);
        assert.match(hit.message, /^lint cannot see inside this DO block/);
        assert.deepEqual(report.accepted.filter((f) => f.file === path.join('cases', 'unchecked-do-block_good.ts')).map((f) => [f.rule, f.line]), [['unchecked-do-block', 10]]);
      });
    }

    test('an ignore with a reason accepts the finding and keeps the reason', () => {
      const accepted = report.accepted.filter((f) => f.file === path.join('cases', 'invalid-ignore_good.ts'));
      assert.equal(accepted.length, 1);
      assert.equal(accepted[0]!.rule, 'dropping-table');
      assert.equal(accepted[0]!.reason, 'legacy has not been read since v2');
      const sameLine = report.accepted.filter((f) => f.file === path.join('cases', 'unused-ignore_good.ts'));
      assert.deepEqual(sameLine.map((f) => f.rule), ['dropping-table']);
    });

    test('an ignore without a reason accepts nothing: the finding stays and the ignore is an error', () => {
      const bad = inFile(report, path.join('cases', 'invalid-ignore_bad.ts'));
      assert.deepEqual(bad.map((f) => [f.rule, f.severity]).sort(), [['dropping-table', 'warning'], ['invalid-ignore', 'error']]);
    });
  });
}

describe('lint through the CLI (PostgreSQL): selection, formats, exit codes', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('postgresql', { empty: true });
    withoutRunLockTimeout(p);
    const rev = (id: string, down: string | null, body: string) =>
      caseSource(id, body).replace(`export const downRevision = null;`, `export const downRevision = ${JSON.stringify(down)};`);
    p.writeRevision('a1_create.ts', rev('a1', null, `  op.createTable('orders', { id: integer().primaryKey(), customer_id: integer(), note: text() });\n  op.createIndex('ix_orders_note', 'orders', ['note']);`));
    p.writeRevision('a2_warn.ts', rev('a2', 'a1', `  op.execute("SET lock_timeout = '5s'");\n  op.dropColumn('orders', 'note');`));
    p.writeRevision('a3_index.ts', rev('a3', 'a2', `  op.createIndex('ix_orders_customer', 'orders', ['customer_id']); // retort-lint-ignore require-lock-timeout: orders is small`));
  });
  after(async () => {
    await p.cleanup();
  });

  test('with the database at base, every revision is linted; errors exit 1', async () => {
    const { code, report } = await lintJson(p);
    assert.equal(code, 1);
    assert.equal(report.selection.kind, 'unapplied');
    assert.deepEqual(report.revisions.map((r) => r.revision), ['a1', 'a2', 'a3']);
    assert.deepEqual(report.findings.map((f) => [f.revision, f.rule]), [['a2', 'dropping-column'], ['a3', 'require-concurrent-index']]);
    assert.deepEqual(report.accepted.map((f) => f.rule), ['require-lock-timeout']);
  });

  test('once upgraded to a2, only a3 is linted; --range picks a range instead', async () => {
    const up = await p.retort('upgrade', 'a2');
    assert.equal(up.code, 0, up.stderr);
    const { report } = await lintJson(p);
    assert.equal(report.selection.kind, 'unapplied');
    assert.deepEqual(report.revisions.map((r) => r.revision), ['a3']);
    const range = await lintJson(p, '--range', 'a1:a2');
    assert.equal(range.code, 0, 'warnings alone exit 0');
    assert.deepEqual(range.report.revisions.map((r) => r.revision), ['a2']);
    assert.deepEqual(range.report.findings.map((f) => f.rule), ['dropping-column']);
  });

  test('an unreachable database is no failure: every revision is linted, and the report says why', async () => {
    const r = await p.retort('--url', 'postgresql://postgres@127.0.0.1:5432/retort_no_such_database', 'lint', '--json');
    const report = JSON.parse(r.stdout) as Report;
    assert.equal(report.selection.kind, 'all');
    assert.match(report.selection.note ?? '', /could not be read/);
    assert.equal(report.revisions.length, 3);
  });

  test('text output: file:line, severity, rule, message and fix; a summary line', async () => {
    const r = await p.retort('lint', '--range', ':heads');
    assert.equal(r.code, 1);
    assert.match(r.stdout, /^migrations\/a3_index\.ts:8 {2}error {2}require-concurrent-index {2}CREATE INDEX "ix_orders_customer" on existing table "orders"/m);
    assert.match(r.stdout, /^ {2}fix: build it with CREATE INDEX CONCURRENTLY/m);
    assert.match(r.stdout, /1 error\(s\), 1 warning\(s\) in 3 revision\(s\); 1 accepted by retort-lint-ignore/);
  });

  test('--format sarif is SARIF 2.1.0 with a result per finding, accepted ones suppressed', async () => {
    const r = await p.retort('lint', '--range', ':heads', '--format', 'sarif');
    assert.equal(r.code, 1);
    const sarif = JSON.parse(r.stdout) as { version: string; runs: { tool: { driver: { name: string; rules: { id: string }[] } }; results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region?: { startLine: number } } }[]; suppressions?: { justification: string }[] }[] }[] };
    assert.equal(sarif.version, '2.1.0');
    const run = sarif.runs[0]!;
    assert.equal(run.tool.driver.name, 'retort');
    assert.ok(run.tool.driver.rules.some((x) => x.id === 'require-concurrent-index'));
    const index = run.results.find((x) => x.ruleId === 'require-concurrent-index')!;
    assert.equal(index.level, 'error');
    assert.deepEqual(index.locations[0]!.physicalLocation, { artifactLocation: { uri: 'migrations/a3_index.ts' }, region: { startLine: 8 } });
    const suppressed = run.results.filter((x) => x.suppressions);
    assert.deepEqual(suppressed.map((x) => [x.ruleId, x.suppressions![0]!.justification]), [['require-lock-timeout', 'orders is small']]);
  });

  test('bad input: one line naming the problem, a non-zero exit, no stack', async () => {
    for (const [args, exit, message] of [
      [['lint', '--format', 'xml'], 2, /--format xml is not a format lint writes/],
      [['lint', 'migrations/a1_create.ts', '--range', 'a1:a2'], 2, /give revision files or --range, not both/],
      [['lint', '--range', 'a1'], 2, /--range 'a1' is not a range/],
      [['lint', 'migrations/nope.ts'], 1, /no revision file .*nope\.ts/],
    ] as const) {
      const r = await p.retort(...args);
      assert.equal(r.code, exit, r.stderr);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
      assert.equal(r.stdout, '');
    }
  });
});

describe('a VALIDATE in the revision after its ADD ... NOT VALID (PostgreSQL): one group transaction when upgrade runs both', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('postgresql', { empty: true });
    const rev = (id: string, down: string | null, body: string) =>
      caseSource(id, body).replace(`export const downRevision = null;`, `export const downRevision = ${JSON.stringify(down)};`);
    p.writeRevision('v1_create.ts', rev('v1', null, `  op.createTable('orders', { id: integer().primaryKey(), qty: integer() });`));
    p.writeRevision('v2_add.ts', rev('v2', 'v1', `  op.createCheckConstraint('orders_qty_positive', 'orders', sql\`qty > 0\`, { notValid: true });`));
    p.writeRevision('v3_note.ts', rev('v3', 'v2', `  op.setTableComment('orders', 'orders');`));
    p.writeRevision('v4_validate.ts', rev('v4', 'v3', `  op.validateConstraint('orders_qty_positive', 'orders');`));
  });
  after(async () => {
    await p.cleanup();
  });

  test('linted as one run (--range, or the unapplied revisions) it is found, naming the revision that added it; alone, or after an autocommit block, it is not', async () => {
    const range = await lintJson(p, '--range', ':heads');
    assert.deepEqual(range.report.findings.map((f) => `${f.revision} ${f.line} ${f.rule}`), ['v4 8 validate-in-same-transaction']);
    assert.match(range.report.findings[0]!.message, /^VALIDATE CONSTRAINT "orders_qty_positive" on "orders" may run in the transaction of revision v2, which added it NOT VALID \(upgrade sends consecutive revisions without an autocommit block in groups/);
    const unapplied = await lintJson(p);
    assert.deepEqual(unapplied.report.findings.map((f) => f.rule), ['validate-in-same-transaction']);
    const files = await lintJson(p, path.join('migrations', 'v4_validate.ts'));
    assert.deepEqual(files.report.findings, []);
    // An autocommit block in the revision between commits the group before it.
    p.writeRevision('v3_note.ts', caseSource('v3', `  op.autocommitBlock((op) => op.execute('COMMENT ON TABLE orders IS $$orders$$'));`).replace(`export const downRevision = null;`, `export const downRevision = 'v2';`));
    const split = await lintJson(p, '--range', ':heads');
    assert.deepEqual(split.report.findings, []);
    // So does SQL of the revision's own (op.execute), which the runner never puts in a group.
    p.writeRevision('v3_note.ts', caseSource('v3', `  op.execute('COMMENT ON TABLE orders IS $$orders$$');`).replace(`export const downRevision = null;`, `export const downRevision = 'v2';`));
    const alone = await lintJson(p, '--range', ':heads');
    assert.deepEqual(alone.report.findings, []);
  });
});

for (const dialect of DIALECTS) {
  describe(`revision --autogenerate lints the file it writes (${dialect})`, () => {
    let p: TestProject;
    const model = (extra: string) => `import { integer, table, text, index } from 'retort-migrate';
export const orders = table('orders', { id: integer().primaryKey(), note: text() }${extra});
`;
    before(async () => {
      p = await createProject(dialect, { empty: true });
      mkdirSync(path.join(p.dir, 'models'));
      writeFileSync(path.join(p.dir, 'models', 'orders.ts'), model(''));
    });
    after(async () => {
      await p.cleanup();
    });

    test('a new table lints clean; an index on the existing table is reported on stderr, and the command still succeeds', async () => {
      const first = await p.retort('revision', '--autogenerate', '-m', 'orders', '--rev-id', 'b1');
      assert.equal(first.code, 0, first.stderr);
      assert.doesNotMatch(first.stderr, /lint/);
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      writeFileSync(path.join(p.dir, 'models', 'orders.ts'), model(`, (t) => [index('ix_orders_note').on(t.note)]`));
      const second = await p.retort('revision', '--autogenerate', '-m', 'index', '--rev-id', 'b2');
      assert.equal(second.code, 0, second.stderr);
      assert.match(second.stdout, /Generating migrations\/b2_index\.ts/);
      // Safety 'online' (the default): the index is written CONCURRENTLY on PostgreSQL, which lints clean; SQLite has no lock levels.
      assert.doesNotMatch(second.stderr, /lint/);
      if (dialect !== 'postgresql') return;
      // The plain form (safety 'simple') is what lint reports.
      rmSync(path.join(p.dir, 'migrations', 'b2_index.ts'));
      writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'], safety: 'simple' });\n`);
      const plain = await p.retort('revision', '--autogenerate', '-m', 'index', '--rev-id', 'b2');
      assert.equal(plain.code, 0, plain.stderr);
      assert.match(plain.stderr, /warning: lint require-concurrent-index at migrations\/b2_index\.ts:\d+: CREATE INDEX "ix_orders_note" on existing table "orders"/);
    });
  });
}

describe('lint on a big revision (compiled by esbuild, whose lines differ from the file\'s)', () => {
  test('a finding names the line the user wrote, as in a small revision', async () => {
    const p = await createProject('sqlite', { empty: true });
    try {
      const c = CODE_CASES.find((x) => x.rule === 'renaming-column')!;
      mkdirSync(path.join(p.dir, 'cases'), { recursive: true });
      // Comment lines after the code make it big enough for esbuild (NATIVE_FROM_CHARS) without moving a line.
      const padding = '// padding\n'.repeat(Math.ceil(NATIVE_FROM_CHARS / 11));
      writeFileSync(path.join(p.dir, 'cases', 'small.ts'), caseSource('small', c.bad));
      writeFileSync(path.join(p.dir, 'cases', 'big.ts'), caseSource('big', c.bad) + padding);
      const { report } = await lintJson(p, path.join('cases', 'small.ts'), path.join('cases', 'big.ts'));
      const line = (file: string) => inFile(report, path.join('cases', file)).find((f) => f.rule === c.rule)?.line;
      assert.ok(typeof line('small.ts') === 'number', JSON.stringify(report.findings));
      assert.equal(line('big.ts'), line('small.ts'));
    } finally {
      await p.cleanup();
    }
  });
});
