// The model-file renderer behind `retort pull`, without a database: variable names (camelCase, reserved words,
// the DSL's own names, collisions), references inside and outside cycles, and the file layout of each split.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { camelCase, fileStem, NameAllocator } from '../src/render/models/model-names.js';
import { renderModels } from '../src/render/models/render-models.js';
import { column, tableIR, type SchemaIR } from '../src/ir/ir.js';
import { defaultNaming } from '../src/models/naming.js';

describe('variable names from database names', () => {
  for (const [name, expected] of [
    ['users', 'users'],
    ['order_items', 'orderItems'],
    ['Order Items', 'orderItems'],
    ['HTTPLog', 'httpLog'],
    ['USERS', 'users'],
    ['userID', 'userID'],
    ['2fa_codes', '_2faCodes'],
    ['ünïcode_tàble', 'ünïcodeTàble'],
    ['Ω', 'ω'],
    ['x²', 'x'],
    ['', '_'],
  ] as const) {
    test(`${JSON.stringify(name)} -> ${expected}`, () => assert.equal(camelCase(name), expected));
  }

  test('reserved words, the DSL\'s names and names already taken get a suffix', () => {
    const names = new NameAllocator(['table', 'index']);
    assert.equal(names.take('class', 'Table'), 'classTable');
    assert.equal(names.take('index', 'Table'), 'indexTable');
    assert.equal(names.take('status', 'Table'), 'status');
    assert.equal(names.take('status', 'Enum'), 'statusEnum');
    assert.equal(names.take('Status', 'Table'), 'statusTable');
    assert.equal(names.take('STATUS', 'Table'), 'statusTable2');
  });

  test('file names', () => {
    assert.equal(fileStem('order_items'), 'order-items');
    assert.equal(fileStem('OrderItems'), 'order-items');
    assert.equal(fileStem('***'), 'table');
  });
});

const id = column('id', { kind: 'integer' }, { nullable: false });
const schema: SchemaIR = {
  enums: [{ name: 'status', values: ['on', 'off'] }],
  tables: [
    tableIR('employees', [id, column('boss_id', { kind: 'integer' })], {
      primaryKey: { name: 'employees_pkey', columns: ['id'] },
      foreignKeys: [{ name: 'employees_boss_id_fkey', columns: ['boss_id'], refTable: 'employees', refColumns: ['id'], onDelete: 'NO ACTION', onUpdate: 'NO ACTION' }],
    }),
    tableIR('status', [id, column('state', { kind: 'enum', name: 'status' }), column('employee_id', { kind: 'integer' })], {
      primaryKey: { name: 'status_pkey', columns: ['id'] },
      foreignKeys: [{ name: 'status_employee_id_fkey', columns: ['employee_id'], refTable: 'employees', refColumns: ['id'], onDelete: 'CASCADE', onUpdate: 'NO ACTION' }],
    }),
    tableIR('weird', [column('__proto__', { kind: 'integer' })]),
  ],
};

describe('renderModels', () => {
  test('one file: enums first, a referenced table before the tables that reference it, a self-reference typed', () => {
    const { files, undeclarable } = renderModels(schema, { naming: defaultNaming, split: 'single', notes: ['view: v'] });
    assert.deepEqual(undeclarable, ['weird']);
    assert.deepEqual(files.map((f) => f.path), ['schema.ts']);
    const text = files[0]!.content;
    assert.match(text, /^\/\/   view: v$/m);
    assert.match(text, /^\/\/   table the DSL cannot declare exactly \(left out: list it in the config's exclude\): weird$/m);
    assert.match(text, /^import \{ enumType, integer, table, type ColumnRef \} from 'retort-migrate';$/m);
    assert.match(text, /export const statusEnum = enumType\('status', \['on', 'off'\]\);/);
    assert.match(text, /boss_id: integer\(\)\.references\(\(\): ColumnRef => employees\.columns\.id\)/);
    assert.match(text, /state: statusEnum\(\),\n  employee_id: integer\(\)\.references\(\(\) => employees\.columns\.id, \{ onDelete: 'cascade' \}\)/);
    assert.ok(text.indexOf('export const employees') < text.indexOf('export const status ='));
  });

  test('one file per table: imports between the files, enums in enums.ts, index.ts re-exports them', () => {
    const { files } = renderModels(schema, { naming: defaultNaming, split: 'table' });
    assert.deepEqual(files.map((f) => f.path), ['employees.ts', 'enums.ts', 'status.ts', 'index.ts']);
    const status = files.find((f) => f.path === 'status.ts')!.content;
    assert.match(status, /^import \{ employees \} from '\.\/employees\.js';$/m);
    assert.match(status, /^import \{ statusEnum \} from '\.\/enums\.js';$/m);
    assert.doesNotMatch(status, /ColumnRef/);
    assert.match(files.find((f) => f.path === 'index.ts')!.content, /export \* from '\.\/status\.js';/);
  });

  test('views after the tables, a view before the views reading it; a materialized view with its indexes; views.ts when split', () => {
    const withViews: SchemaIR = {
      tables: [],
      enums: [],
      views: [
        { name: 'top_sales', definition: 'SELECT category FROM sales WHERE total > 10', materialized: false, dependsOn: ['sales'], checkOption: 'local' },
        {
          name: 'sales', definition: 'SELECT c.name AS category,\n    sum(p.amount) AS total\n   FROM payment p', materialized: true, withData: false, dependsOn: ['payment'],
          columns: [{ name: 'category', type: 'text' }, { name: 'total', type: 'numeric' }],
          // As the normaliser leaves them: every key of a view's index an expression.
          indexes: [
            { name: 'sales_category', columns: ['(category)'], unique: true, where: null },
            { name: 'sales_lower', columns: ['(lower(category))'], unique: false, where: '(total > 0)' },
          ],
        },
      ],
    };
    const { files } = renderModels(withViews, { naming: defaultNaming, split: 'single' });
    const text = files[0]!.content;
    assert.match(text, /^import \{ index, materializedView, sql, uniqueIndex, view \} from 'retort-migrate';$/m);
    assert.match(text, /export const sales = materializedView\('sales', sql`SELECT c\.name AS category,\n {4}sum\(p\.amount\) AS total\n {3}FROM payment p`, \{ withData: false \}, \(m\) => \[\n/);
    assert.match(text, /\n {2}uniqueIndex\('sales_category'\)\.on\(m\.category\),\n {2}index\('sales_lower'\)\.on\(sql`\(lower\(category\)\)`\)\.where\(sql`\(total > 0\)`\),\n\]\);/);
    assert.match(text, /export const topSales = view\('top_sales', sql`SELECT category FROM sales WHERE total > 10`, \{ checkOption: 'local' \}\);/);
    assert.ok(text.indexOf('export const sales') < text.indexOf('export const topSales'));
    const split = renderModels(withViews, { naming: defaultNaming, split: 'table' }).files;
    assert.deepEqual(split.map((f) => f.path), ['views.ts', 'index.ts']);
  });

  test('an empty schema is still a module', () => {
    const { files } = renderModels({ tables: [], enums: [] }, { naming: defaultNaming, split: 'schema', schema: 'Billing Data' });
    assert.deepEqual(files.map((f) => [f.path, /export \{\};/.test(f.content)]), [['billing-data.ts', true]]);
  });
});
