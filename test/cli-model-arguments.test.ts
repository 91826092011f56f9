/**
 * Builder arguments checked when models load (probe finding): TypeScript's types are stripped, so `varchar(n)` with
 * a string `n` wrote `varchar(x)` into a revision, and `varchar(-5)` ran on SQLite and failed on PostgreSQL; an empty
 * table name was declared. Each is a one-line model error naming the file, the line and the fix; nothing is written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { createProject, retortOk as ok, writeModels } from './helpers/project.js';

const CASES: [string, RegExp][] = [
  [`const n: number = 'x' as unknown as number;\nexport const t = table('t', { id: serial().primaryKey(), name: varchar(n) });`, /varchar\("x"\): the length must be a whole number from 1 to 10485760 \(line 3\)/],
  [`export const t = table('t', { id: serial().primaryKey(), name: varchar(-5) });`, /varchar\(-5\): the length must be a whole number/],
  [`export const t = table('t', { id: serial().primaryKey(), name: char(2.5) });`, /char\(2\.5\): the length must be a whole number/],
  [`export const t = table('t', { id: serial().primaryKey(), price: numeric(0, 2) });`, /numeric\(0\): the precision must be a whole number from 1 to 1000/],
  [`export const t = table('t', { id: serial().primaryKey(), price: numeric(10, 2000) });`, /numeric\(2000\): the scale must be a whole number from -1000 to 1000/],
  [`export const t = table('', { id: serial().primaryKey() });`, /table\(""\): a table needs a name/],
  [`export const t = table(' ', { id: serial().primaryKey() });`, /table\(" "\): a table needs a name/],
  [`export const t = table('t', { id: serial().primaryKey(), '': text() });`, /table "t": a column needs a name \(the key ""\)/],
];

test('bad builder arguments are model errors at load: file, line, fix; no revision written (sqlite)', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    for (const [body, message] of CASES) {
      writeModels(p, `import { char, numeric, serial, table, text, varchar } from 'retort-migrate';\n${body}\n`);
      const r = await p.retort('revision', '--autogenerate', '-m', 'x');
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, message);
      assert.match(r.stderr, /models\/app\.ts cannot be loaded/);
      assert.match(r.stderr, /\nhint: write e\.g\. /);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
      assert.deepEqual(readdirSync(path.join(p.dir, 'migrations')), []);
    }
    // What PostgreSQL 15 accepts stays accepted: a scale above the precision, or negative.
    writeModels(p, `import { numeric, serial, table, varchar } from 'retort-migrate';\nexport const t = table('t', { id: serial().primaryKey(), a: numeric(2, 5), b: numeric(5, -2), c: varchar(), d: numeric() });\n`);
    await ok(p, 'revision', '--autogenerate', '-m', 'fine', '--rev-id', 'ba0000000001');
  } finally {
    await p.cleanup();
  }
});

for (const dialect of ['sqlite', 'postgresql'] as const) {
  test(`models that drop a column but keep a check naming it are refused, naming both; nothing written (${dialect})`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      const models = (discount: boolean) => `import { check, integer, numeric, sql, table } from 'retort-migrate';
export const items = table('items', { id: integer().primaryKey(), price: numeric(10, 2)${discount ? ', discount: numeric(10, 2)' : ''} }, () => [check('ck_discount', sql\`discount >= 0\`), check('ck_price', sql\`price >= 0\`)]);
`;
      writeModels(p, models(true));
      await ok(p, 'revision', '--autogenerate', '-m', 'init', '--rev-id', 'bb0000000001');
      await ok(p, 'upgrade', 'head');
      writeModels(p, models(false));
      const r = await p.retort('revision', '--autogenerate', '-m', 'drop discount');
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, /table "items": check "ck_discount" names column "discount", which the models drop \(the database would drop the check with it\)\nhint: remove the check from the models, or keep the column "discount"/);
      assert.deepEqual(readdirSync(path.join(p.dir, 'migrations')).filter((f) => !f.startsWith('bb0000000001')), []);
      const checked = await p.retort('check');
      assert.equal(checked.code, 1);
      assert.match(checked.stderr, /check "ck_discount" names column "discount"/);
      // A function a check calls is not a column of that name: dropping a column `length` under `length(...)` is fine.
      const named = (withLength: boolean) => `import { check, integer, sql, table, text } from 'retort-migrate';
export const words = table('words', { id: integer().primaryKey(), w: text()${withLength ? ', length: integer()' : ''} }, () => [check('ck_w', sql\`length(w) > 0\`)]);
`;
      writeModels(p, named(true));
      await ok(p, 'revision', '--autogenerate', '-m', 'words', '--rev-id', 'bb0000000002');
      await ok(p, 'upgrade', 'head');
      writeModels(p, named(false));
      await ok(p, 'revision', '--autogenerate', '-m', 'drop length', '--rev-id', 'bb0000000003');
      await ok(p, 'upgrade', 'head');
    } finally {
      await p.cleanup();
    }
  });
}
