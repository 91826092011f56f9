/**
 * A renamed table's derived names follow it (compare-renames.ts, derivedNamesFollow): the indexes and, on PostgreSQL,
 * the primary key and unique constraints that the naming convention named after the old table are renamed with it,
 * so that the old name is free again: a new table of the old name creates its own `users_pkey` and `ix_users_name`
 * (before, PostgreSQL refused: relation "users_pkey" already exists; SQLite: index ix_users_name already exists).
 * Names the user chose stay; the downgrade renames everything back.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkClean, createProject, DIALECTS, type TestProject } from './helpers/project.js';

const HEAD = `import { index, serial, table, text, varchar } from 'retort-migrate';\n`;
const people = (name: string, hint = '') => `export const ${name} = table('${name}', {
  id: serial().primaryKey(),
  email: varchar(200).unique(),
  name: text(),
  code: text(),
}, (t) => [index().on(t.name), index('my_code_index').on(t.code)])${hint};
`;

for (const dialect of DIALECTS) {
  describe(`a renamed table's derived names follow it on ${dialect}`, () => {
    let p: TestProject;
    const models = (text: string) => writeFileSync(path.join(p.dir, 'models', 'people.ts'), text);
    const revision = (rev: string) => readFileSync(path.join(p.dir, 'migrations', readdirSync(path.join(p.dir, 'migrations')).find((f) => f.startsWith(rev))!), 'utf8');
    const indexNames = async (table: string): Promise<string[]> => {
      const rows = dialect === 'postgresql'
        ? await p.query(`SELECT indexname AS name FROM pg_indexes WHERE tablename = '${table}' ORDER BY 1`)
        : await p.query(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = '${table}' AND name NOT LIKE 'sqlite_autoindex%' ORDER BY 1`);
      return rows.map((r) => String(r.name));
    };
    const generate = async (rev: string) => {
      const r = await p.retort('revision', '--autogenerate', '-m', `step ${rev}`, '--rev-id', rev);
      assert.equal(r.code, 0, r.stderr);
    };
    const upgrade = async () => {
      const r = await p.retort('upgrade', 'head');
      assert.equal(r.code, 0, r.stderr);
    };

    before(async () => {
      p = await createProject(dialect, { empty: true });
      mkdirSync(path.join(p.dir, 'models'));
      models(HEAD + people('users'));
      await generate('d00000000001');
      await upgrade();
      await p.query(`INSERT INTO users (email, name, code) VALUES ('ann@example.com', 'Ann', 'a'), ('bob@example.com', 'Bob', 'b')`);
    });
    after(async () => {
      await p?.cleanup();
    });

    test('renamed: its derived index and key names take the new table name, chosen names stay, rows kept', async () => {
      models(HEAD + people('customers', ".renamedFrom('users')"));
      await generate('d00000000002');
      const text = revision('d00000000002');
      const [up, down] = text.split('export function downgrade');
      assert.match(up!, /op\.renameTable\('users', 'customers'\)/);
      assert.match(up!, /op\.renameIndex\('customers', 'ix_users_name', 'ix_customers_name'\)/);
      assert.match(down!, /op\.renameIndex\('customers', 'ix_customers_name', 'ix_users_name'\)/);
      assert.doesNotMatch(text, /my_code_index', '|dropIndex|createIndex|dropTable|createTable/, 'a chosen name stays; nothing is dropped');
      if (dialect === 'postgresql') {
        assert.match(up!, /op\.renameConstraint\('customers', 'users_pkey', 'customers_pkey'\)/);
        assert.match(up!, /op\.renameConstraint\('customers', 'users_email_key', 'customers_email_key'\)/);
      } else {
        assert.doesNotMatch(up!, /renameConstraint/, 'a SQLite constraint name is its table\'s own: no rebuild for it');
      }
      await upgrade();
      await checkClean(p);
      const expected = dialect === 'postgresql' ? ['customers_email_key', 'customers_pkey', 'ix_customers_name', 'my_code_index'] : ['ix_customers_name', 'my_code_index'];
      assert.deepEqual(await indexNames('customers'), expected);
      assert.deepEqual((await p.query('SELECT email FROM customers ORDER BY id')).map((r) => r.email), ['ann@example.com', 'bob@example.com']);
    });

    test('a new table may then take the old name, with its own derived names', async () => {
      // `my_code_index` is a name the user chose: the new table names its own index otherwise.
      models(HEAD + people('customers') + people('users').replace("index('my_code_index')", "index('users_code_index')"));
      await generate('d00000000003');
      await upgrade();
      await checkClean(p);
      const expected = dialect === 'postgresql' ? ['ix_users_name', 'users_code_index', 'users_email_key', 'users_pkey'] : ['ix_users_name', 'users_code_index'];
      assert.deepEqual(await indexNames('users'), expected);
    });

    test('downgrading renames everything back', async () => {
      for (let i = 0; i < 2; i++) assert.equal((await p.retort('downgrade', '-1')).code, 0);
      const expected = dialect === 'postgresql' ? ['ix_users_name', 'my_code_index', 'users_email_key', 'users_pkey'] : ['ix_users_name', 'my_code_index'];
      assert.deepEqual(await indexNames('users'), expected);
      assert.deepEqual(await p.tables(), ['users']);
      models(HEAD + people('users'));
      const r = await p.retort('check');
      assert.match(r.stdout, /^The schema matches the models, but see above\.$/m, r.stdout + r.stderr);
    });
  });
}

/** Autogenerates revision `rev` (named after itself), upgrades, checks clean; gives the revision's upgrade text. */
async function step(p: TestProject, rev: string): Promise<string> {
  const gen = await p.retort('revision', '--autogenerate', '-m', rev, '--rev-id', rev);
  assert.equal(gen.code, 0, gen.stderr);
  const up = await p.retort('upgrade', 'head');
  assert.equal(up.code, 0, up.stderr);
  await checkClean(p);
  return readFileSync(path.join(p.dir, 'migrations', `${rev}_${rev}.ts`), 'utf8').split('export function downgrade')[0]!;
}

for (const dialect of DIALECTS) {
  test(`a derived name follows a table and column renamed together, under a convention that puts the column first (${dialect})`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      // The column user_id starts with the table's name: only the convention tells which "user" is the table.
      writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'], namingConvention: { ix: '%(column_0_name)s_%(table_name)s_idx' } });\n`);
      mkdirSync(path.join(p.dir, 'models'));
      const models = (text: string) => writeFileSync(path.join(p.dir, 'models', 'm.ts'), `import { integer, serial, table, text } from 'retort-migrate';\n${text}`);
      const user = `table('user', { id: serial().primaryKey(), user_id: integer().index(), name: text().index().unique() })`;
      models(`export const user = ${user};\n`);
      await step(p, 'e00000000001');
      models(`export const account = table('account', { id: serial().primaryKey(), user_id: integer().index(), full_name: text().index().unique().renamedFrom('name') }).renamedFrom('user');\n`);
      const up = await step(p, 'e00000000002');
      assert.match(up, /op\.renameIndex\('account', 'user_id_user_idx', 'user_id_account_idx'\)/);
      assert.match(up, /op\.renameIndex\('account', 'name_user_idx', 'full_name_account_idx'\)/);
      if (dialect === 'postgresql') {
        assert.match(up, /op\.renameConstraint\('account', 'user_pkey', 'account_pkey'\)/);
        assert.match(up, /op\.renameConstraint\('account', 'user_name_key', 'account_full_name_key'\)/);
      }
      // The old names are free: a new table `user` creates its own.
      models(`export const account = table('account', { id: serial().primaryKey(), user_id: integer().index(), full_name: text().index().unique() });\nexport const user = ${user};\n`);
      await step(p, 'e00000000003');
    } finally {
      await p.cleanup();
    }
  });
}

test('a derived name is free or taken in its own schema: a table renamed in one schema renames its names though another schema has them (postgresql)', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'], schemas: ['public', 'billing'] });\n`);
    mkdirSync(path.join(p.dir, 'models'));
    const models = (text: string) => writeFileSync(path.join(p.dir, 'models', 'm.ts'), `import { integer, schema, serial, table } from 'retort-migrate';\nexport const billing = schema('billing');\nexport const bill = table('bill', { id: serial().primaryKey(), num: integer().index().unique() });\n${text}`);
    models(`export const invoice = billing.table('invoice', { id: serial().primaryKey(), num: integer().index().unique() });\n`);
    await step(p, 'f00000000001');
    models(`export const billed = billing.table('bill', { id: serial().primaryKey(), num: integer().index().unique() }).renamedFrom('billing.invoice');\n`);
    const up = await step(p, 'f00000000002');
    assert.match(up, /op\.renameConstraint\('billing\.bill', 'invoice_pkey', 'bill_pkey'\)/);
    assert.match(up, /op\.renameIndex\('billing\.bill', 'ix_invoice_num', 'ix_bill_num'\)/);
    models(`export const billed = billing.table('bill', { id: serial().primaryKey(), num: integer().index().unique() });\nexport const invoice = billing.table('invoice', { id: serial().primaryKey() });\n`);
    await step(p, 'f00000000003');
  } finally {
    await p.cleanup();
  }
});
