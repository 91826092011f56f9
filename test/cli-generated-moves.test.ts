/**
 * A generated column moved out of the way (probe finding): PostgreSQL refuses to change the type of a column a
 * generated column reads ("cannot alter type of a column used by a generated column"), and autogenerate wrote a
 * plain alterColumn that failed every time. The generated column is dropped before the change and added again after
 * (its values are computed: nothing is lost), with its index and the check that reads it; the downgrade is the exact
 * inverse. A generated column whose own expression changes takes its index along the same way (on both dialects).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkClean, createProject, DIALECTS, retortOk as ok, writeModels, type TestProject } from './helpers/project.js';

const revisionText = (p: TestProject, rev: string) => readFileSync(path.join(p.dir, 'migrations', readdirSync(path.join(p.dir, 'migrations')).find((f) => f.startsWith(rev))!), 'utf8');
const upgradePart = (text: string) => text.split('export function downgrade')[0]!;

test('a column a generated column reads changes type: the generated column, its index and check go and come back (postgresql)', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    const models = (precision: number) => `import { check, customType, index, numeric, serial, sql, table, text } from 'retort-migrate';
export const lines = table('lines', {
  id: serial().primaryKey(),
  price: numeric(${precision}, 2).notNull(),
  note: text(),
  total: customType('numeric(12,2) GENERATED ALWAYS AS (price * 2) STORED'),
}, (t) => [index('lines_total_idx').on(t.total), check('lines_total_positive', sql\`total >= 0\`)]);
`;
    writeModels(p, models(10));
    await ok(p, 'revision', '--autogenerate', '-m', 'init', '--rev-id', '9e0000000001');
    await ok(p, 'upgrade', 'head');
    await p.query(`INSERT INTO lines (price, note) VALUES (1.50, 'a'), (20.25, 'b')`);
    writeModels(p, models(14));
    await ok(p, 'revision', '--autogenerate', '-m', 'widen price', '--rev-id', '9e0000000002');
    const up = upgradePart(revisionText(p, '9e0000000002'));
    const at = (s: string) => up.indexOf(s);
    const steps = ["dropIndex('lines_total_idx'", "dropConstraint('lines_total_positive'", "dropColumn('lines', 'total')", "alterColumn('lines', 'price'", "addColumn('lines', 'total'", "createIndex('lines_total_idx'", "createCheckConstraint('lines_total_positive'"];
    assert.ok(steps.every((s) => at(s) >= 0), up);
    const [dropIndex, dropCheck, dropColumn, alter, add, createIndex, addCheck] = steps.map(at) as [number, number, number, number, number, number, number];
    assert.ok(dropIndex < dropColumn && dropCheck < dropColumn && dropColumn < alter && alter < add && add < createIndex && add < addCheck, `in this order:\n${up}`);
    assert.doesNotMatch(up, /alterColumn\('lines', 'note'/);
    await ok(p, 'upgrade', 'head');
    await checkClean(p);
    const rows = async () => (await p.query<{ price: string; total: string; note: string }>('SELECT price::text AS price, total::text AS total, note FROM lines ORDER BY id')).map((r) => `${r.price} ${r.total} ${r.note}`);
    assert.deepEqual(await rows(), ['1.50 3.00 a', '20.25 40.50 b']);
    assert.equal((await p.query(`SELECT 1 FROM pg_indexes WHERE indexname = 'lines_total_idx'`)).length, 1);
    assert.equal((await p.query<{ t: string }>(`SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'lines'::regclass AND attname = 'price'`))[0]!.t, 'numeric(14,2)');
    await ok(p, 'downgrade', '-1');
    assert.deepEqual(await rows(), ['1.50 3.00 a', '20.25 40.50 b']);
    assert.equal((await p.query(`SELECT 1 FROM pg_constraint WHERE conname = 'lines_total_positive'`)).length, 1);
    await ok(p, 'upgrade', 'head');
    await checkClean(p);
  } finally {
    await p.cleanup();
  }
});

for (const dialect of DIALECTS) {
  test(`a generated column whose expression changes is dropped and added again with its index (${dialect})`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      const models = (expr: string) => `import { customType, index, integer, real, table } from 'retort-migrate';
export const lines = table('lines', { id: integer().primaryKey(), qty: integer(), price: real(), total: customType('REAL GENERATED ALWAYS AS (${expr}) STORED') }, (t) => [index('lines_total_idx').on(t.total)]);
`;
      writeModels(p, models('qty * price'));
      await ok(p, 'revision', '--autogenerate', '-m', 'init', '--rev-id', '9e0000000011');
      await ok(p, 'upgrade', 'head');
      await p.query(`INSERT INTO lines (id, qty, price) VALUES (1, 2, 1.5)`);
      writeModels(p, models('qty * price * 2'));
      await ok(p, 'revision', '--autogenerate', '-m', 'double', '--rev-id', '9e0000000012');
      const up = upgradePart(revisionText(p, '9e0000000012'));
      assert.ok(up.indexOf('dropIndex') >= 0 && up.indexOf('dropIndex') < up.indexOf('dropColumn') && up.indexOf('addColumn') < up.indexOf('createIndex'), up);
      await ok(p, 'upgrade', 'head');
      await checkClean(p);
      assert.equal(Number((await p.query<{ total: number }>('SELECT total FROM lines'))[0]!.total), 6);
      await ok(p, 'downgrade', '-1');
      await checkClean(p).catch(() => undefined);
      assert.equal(Number((await p.query<{ total: number }>('SELECT total FROM lines'))[0]!.total), 3);
      await ok(p, 'upgrade', 'head');
      await checkClean(p);
    } finally {
      await p.cleanup();
    }
  });
}

test('a moved generated column with a unique key another table references, and two moved columns keeping their order (postgresql)', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    const models = (kind: string) => `import { customType, foreignKey, integer, ${kind}, serial, table, text, unique } from 'retort-migrate';
export const orders = table('orders', {
  id: serial().primaryKey(),
  code: ${kind}(),
  label: customType("text GENERATED ALWAYS AS ('L-' || code::text) STORED"),
  total: customType('bigint GENERATED ALWAYS AS (code * 2) STORED'),
  note: text(),
}, (t) => [unique('o_lab').on(t.label)]);
export const refs = table('refs', { id: serial().primaryKey(), lab: text() }, (t) => [foreignKey('refs_lab_fkey').on(t.lab).references(() => orders.columns.label)]);
`;
    writeModels(p, models('integer'));
    await ok(p, 'revision', '--autogenerate', '-m', 'init', '--rev-id', '9e0000000021');
    await ok(p, 'upgrade', 'head');
    await p.query(`INSERT INTO orders (code, note) VALUES (7, 'x'); INSERT INTO refs (lab) VALUES ('L-7')`);
    const columns = async () => (await p.query<{ n: string }>(`SELECT attname AS n FROM pg_attribute WHERE attrelid = 'orders'::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`)).map((r) => r.n);
    const before = await columns();
    writeModels(p, models('bigint'));
    await ok(p, 'revision', '--autogenerate', '-m', 'widen code', '--rev-id', '9e0000000022');
    const up = upgradePart(revisionText(p, '9e0000000022'));
    assert.ok(up.indexOf("dropConstraint('refs_lab_fkey'") >= 0 && up.indexOf("dropConstraint('refs_lab_fkey'") < up.indexOf("dropConstraint('o_lab'"), up);
    await ok(p, 'upgrade', 'head');
    await checkClean(p);
    assert.deepEqual(await p.query(`SELECT label, total::int AS total FROM orders`), [{ label: 'L-7', total: 14 }]);
    assert.equal((await p.query(`SELECT 1 FROM pg_constraint WHERE conname = 'refs_lab_fkey'`)).length, 1);
    await ok(p, 'downgrade', '-1');
    // Added back last (PostgreSQL cannot place a column), the moved columns keep their order among themselves.
    const moved = (names: string[]) => names.filter((n) => n === 'label' || n === 'total');
    assert.deepEqual(moved(await columns()), moved(before), 'the downgrade puts the generated columns back in their order');
    await checkClean(p).catch(() => undefined);
    await ok(p, 'upgrade', 'head');
    await checkClean(p);
  } finally {
    await p.cleanup();
  }
});
