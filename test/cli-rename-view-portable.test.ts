/**
 * A column renamed under a view, generated against SQLite and run on PostgreSQL (probe finding): SQLite's RENAME
 * COLUMN rewrites the view to name the new column (its column is then called by the new name) where PostgreSQL keeps
 * the old name as the view's column (`p.stock_code AS sku`); the revision generated against SQLite held the rename
 * alone and left PostgreSQL's view different from the models. The view is re-created after the rename on both.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkClean, createProject, DIALECTS, retortOk as ok, writeModels } from './helpers/project.js';

const models = (column: string, hint: string) => `import { serial, sql, table, varchar, view } from 'retort-migrate';
export const products = table('products', { id: serial().primaryKey(), ${column}: varchar(40)${hint} });
export const vProducts = view('v_products', sql\`SELECT p.id, p.${column} FROM products p\`);
`;

for (const dialect of DIALECTS) {
  test(`a column renamed under a view: the view is re-created after the rename, and the revision also runs on the other database (generated on ${dialect})`, async () => {
    const p = await createProject(dialect, { empty: true });
    const other = await createProject(dialect === 'sqlite' ? 'postgresql' : 'sqlite', { empty: true });
    try {
      writeModels(p, models('sku', ''));
      await ok(p, 'revision', '--autogenerate', '-m', 'init', '--rev-id', 'ae0000000001');
      await ok(p, 'upgrade', 'head');
      await p.query(`INSERT INTO products (sku) VALUES ('A-1')`);
      writeModels(p, models('stock_code', ".renamedFrom('sku')"));
      const summary = await ok(p, 'revision', '--autogenerate', '-m', 'rename', '--rev-id', 'ae0000000002');
      // One line for the view dropped and created again, saying why, not a drop and an add.
      assert.match(summary, /~ view v_products: (definition changed|moved out of the way of a change under it) \(dropped and created again\)/);
      assert.doesNotMatch(summary, /- view v_products/);
      const file = readdirSync(path.join(p.dir, 'migrations')).find((f) => f.startsWith('ae0000000002'))!;
      const up = readFileSync(path.join(p.dir, 'migrations', file), 'utf8').split('export function downgrade')[0]!;
      assert.match(up, /op\.alterColumn\('products', 'sku', \{ newName: 'stock_code' \}\)/);
      assert.match(up, /op\.createView\('v_products'/, up);
      await ok(p, 'upgrade', 'head');
      await checkClean(p);
      assert.deepEqual(Object.keys((await p.query<Record<string, unknown>>('SELECT * FROM v_products'))[0]!), ['id', 'stock_code']);
      await ok(p, 'downgrade', '-1');
      await ok(p, 'upgrade', 'head');
      await checkClean(p);
      // The same files, on the other database, with the same models.
      for (const f of readdirSync(path.join(p.dir, 'migrations'))) cpSync(path.join(p.dir, 'migrations', f), path.join(other.dir, 'migrations', f));
      writeModels(other, models('stock_code', ".renamedFrom('sku')"));
      await ok(other, 'upgrade', 'head');
      await checkClean(other);
      await other.query(`INSERT INTO products (stock_code) VALUES ('B-2')`);
      assert.deepEqual(Object.keys((await other.query<Record<string, unknown>>('SELECT * FROM v_products'))[0]!), ['id', 'stock_code']);
    } finally {
      await p.cleanup();
      await other.cleanup();
    }
  });
}
