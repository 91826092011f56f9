/**
 * Issue 17's comparison fidelity, through the CLI on both dialects: constraints and indexes declared without a
 * name match the database's of the same definition whatever it calls them (a declared name still compares), and
 * an expression index compares by the server's spelling and is compiled as an expression when it changes.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createProject, DIALECTS, revisionSource, type TestProject, writeModels } from './helpers/project.js';

function revisionFile(p: TestProject, id: string): string {
  const file = readdirSync(path.join(p.dir, 'migrations')).find((f) => f.startsWith(id));
  assert.ok(file, `revision ${id} was written`);
  return readFileSync(path.join(p.dir, 'migrations', file), 'utf8');
}

// The tables as another tool made them: every constraint and index named by its own convention.
const HAND_MADE = [
  'CREATE TABLE parent (id INTEGER NOT NULL, CONSTRAINT pk_parent_by_hand PRIMARY KEY (id))',
  `CREATE TABLE child (id INTEGER NOT NULL, email VARCHAR(80), code INTEGER, parent_id INTEGER, qty INTEGER,
    CONSTRAINT child_pk_by_hand PRIMARY KEY (id),
    CONSTRAINT db_generated_name UNIQUE (email),
    CONSTRAINT uq_by_hand UNIQUE (code, qty),
    CONSTRAINT fk_by_hand FOREIGN KEY (parent_id) REFERENCES parent (id),
    CONSTRAINT ck_by_hand CHECK (qty > 0))`,
  'CREATE INDEX ix_by_hand ON child (code)',
];

const MODELS = `import { check, foreignKey, index, integer, sql, table, unique, varchar } from 'retort-migrate';
export const parent = table('parent', { id: integer().primaryKey() });
export const child = table('child', {
  id: integer().primaryKey(),
  email: varchar(80).unique(),
  code: integer().index(),
  parent_id: integer(),
  qty: integer(),
}, (t) => [
  unique().on(t.code, t.qty),
  foreignKey().on(t.parent_id).references(() => parent.columns.id),
  check(sql\`\${t.qty} > 0\`),
]);
`;

for (const dialect of DIALECTS) {
  describe(`${dialect}: unnamed declarations match the database's names`, () => {
    let p: TestProject;
    before(async () => {
      p = await createProject(dialect, { empty: true });
      const up = HAND_MADE.map((s) => `  await op.execute(${JSON.stringify(s)});`).join('\n');
      p.writeRevision('000000000001_by_hand.ts', revisionSource('000000000001', null, 'by hand', up, "  await op.execute('DROP TABLE child');\n  await op.execute('DROP TABLE parent');"));
      const r = await p.retort('upgrade', 'head');
      assert.equal(r.code, 0, r.stdout + r.stderr);
    });
    after(async () => {
      await p.cleanup();
    });

    test('unnamed unique, index, foreign key, check and primary key: no difference', async () => {
      writeModels(p, MODELS);
      const check = await p.retort('check');
      assert.equal(check.code, 0, check.stdout + check.stderr);
      assert.match(check.stdout, /No changes detected/);
    });

    test('a name declared explicitly still compares', async () => {
      writeModels(p, MODELS.replace('email: varchar(80).unique()', "email: varchar(80).unique('uq_declared')"));
      const check = await p.retort('check');
      assert.equal(check.code, 1, check.stdout + check.stderr);
      assert.match(check.stdout, /uq_declared/);
      assert.match(check.stdout, /db_generated_name/);
    });

    test('an unnamed declaration whose definition differs is still a change', async () => {
      writeModels(p, MODELS.replace('unique().on(t.code, t.qty)', 'unique().on(t.code, t.parent_id)'));
      const check = await p.retort('check');
      assert.equal(check.code, 1, check.stdout + check.stderr);
      assert.match(check.stdout, /uq_by_hand/);
    });
  });

  describe(`${dialect}: expression indexes`, () => {
    let p: TestProject;
    const model = (expr: string) => `import { index, integer, sql, table } from 'retort-migrate';
export const expIndex = table('exp_index', { id: integer().primaryKey(), y: integer(), ff: integer() }, (t) => [
  index('idx').on(t.y, sql\`${expr}\`),
]);
`;
    before(async () => {
      p = await createProject(dialect, { empty: true });
      writeModels(p, model('ff + 1'));
      const r = await p.retort('revision', '--autogenerate', '-m', 'first', '--rev-id', '000000000001');
      assert.equal(r.code, 0, r.stdout + r.stderr);
      const up = await p.retort('upgrade', 'head');
      assert.equal(up.code, 0, up.stdout + up.stderr);
    });
    after(async () => {
      await p.cleanup();
    });

    test('`ff + 1` against the stored `(y, (ff + 1))`: no difference', async () => {
      const check = await p.retort('check');
      assert.equal(check.code, 0, check.stdout + check.stderr);
    });

    test('a changed expression is an expression in the revision, which applies and settles, and downgrades', async () => {
      writeModels(p, model('ff + 3'));
      const r = await p.retort('revision', '--autogenerate', '-m', 'second', '--rev-id', '000000000002');
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.match(revisionFile(p, '000000000002'), /ff \+ 3/);
      const up = await p.retort('upgrade', 'head');
      assert.equal(up.code, 0, up.stdout + up.stderr);
      const check = await p.retort('check');
      assert.equal(check.code, 0, check.stdout + check.stderr);
      const down = await p.retort('downgrade', '000000000001');
      assert.equal(down.code, 0, down.stdout + down.stderr);
      writeModels(p, model('ff + 1'));
      const back = await p.retort('check');
      assert.match(back.stdout, /^The schema matches the models, but see above\.$/m, back.stdout + back.stderr);
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
    });

    test('op.createIndex with sql`a + b` builds an expression index', async () => {
      p.writeRevision('000000000003_hand.ts', revisionSource('000000000003', '000000000002', 'hand', "  op.createIndex('ix_sum', 'exp_index', ['y', sql`ff + y`]);", "  op.dropIndex('ix_sum', 'exp_index');", "import { sql } from 'retort-migrate';"));
      const up = await p.retort('upgrade', 'head');
      assert.equal(up.code, 0, up.stdout + up.stderr);
      const rows = await p.query<{ n: number }>(dialect === 'sqlite' ? "SELECT count(*) AS n FROM sqlite_master WHERE name = 'ix_sum'" : "SELECT count(*)::int AS n FROM pg_indexes WHERE indexname = 'ix_sum'");
      assert.equal(rows[0]!.n, 1);
    });
  });
}
