/**
 * Renames through the CLI on both dialects, with rows in every table: `.renamedFrom()` on a column and on a table
 * makes autogenerate write a rename (never a drop and an add), the upgrade keeps every row and value, the downgrade
 * renames back with the rows, `check` is clean after both, and the hint is inert once applied. A hint that collides
 * is one MODEL line; a drop and an add that look like a rename are suggested, an unrelated pair is not.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkClean, createProject, DIALECTS, type TestProject } from './helpers/project.js';

const HEAD = `import { integer, serial, table, text, varchar, index } from 'retort-migrate';\n`;
const clients = (name: string, email: string, hints = '') => `export const clients = table('${name}', {
  id: serial().primaryKey(),
  name: text().notNull(),
  ${email}: varchar(200)${email === 'email' ? '' : ".renamedFrom('email')"},
}, (t) => [index('ix_contact').on(t.${email})])${hints};
`;
const orders = (name: string, amount: string, clientTable: string, hints = '') => `export const orders = table('${name}', {
  id: serial().primaryKey(),
  client_id: integer().notNull().references('${clientTable}.id'),
  ${amount}: integer().notNull().serverDefault(0)${amount === 'amount' ? '' : ".renamedFrom('amount')"},
})${hints};
`;

// Each version of the models: the revision before it is the one that holds the old names.
const V1 = HEAD + clients('clients', 'email') + orders('orders', 'amount', 'clients');
const V2 = HEAD + clients('clients', 'email') + orders('orders', 'total', 'clients');
const V3 = HEAD + clients('clients', 'email') + orders('purchases', 'total', 'clients', ".renamedFrom('orders')");
const V4 = HEAD + clients('customers', 'contact_email', ".renamedFrom('clients')") + orders('purchases', 'total', 'customers', ".renamedFrom('orders')");

const byId = (rows: Record<string, unknown>[]) => rows.map((r) => Object.values(r).map(String).join('|'));

for (const dialect of DIALECTS) {
  describe(`renames on ${dialect}`, () => {
    let p: TestProject;
    const models = (text: string) => writeFileSync(path.join(p.dir, 'models', 'shop.ts'), text);
    const revisionText = (file: string) => readFileSync(path.join(p.dir, 'migrations', file), 'utf8');
    const upgradeText = (file: string) => revisionText(file).split('export function downgrade')[0]!;
    const downgradeText = (file: string) => revisionText(file).split('export function downgrade')[1]!;
    const clean = () => checkClean(p);
    // After a downgrade the database is behind head, which check reports (exit 1): the schema itself must match.
    const matches = async () => {
      const r = await p.retort('check');
      assert.match(r.stdout, /^The schema matches the models, but see above\.$/m, r.stdout + r.stderr);
      assert.match(r.stdout, /not up to date/);
    };
    const ordersRows = async (t: string, amount: string) => byId(await p.query(`SELECT id, client_id, ${amount} FROM ${t} ORDER BY id`));
    const clientRows = async (t: string, email: string) => byId(await p.query(`SELECT id, name, ${email} FROM ${t} ORDER BY id`));
    const CLIENTS = ['1|Ann|ann@example.com', '2|Bob|null'];
    const ORDERS = ['1|1|30', '2|2|45', '3|1|0'];

    /** Generates the revision for `text`, runs it and its downgrade and upgrade again; returns the file name. */
    async function renameRevision(rev: string, text: string): Promise<string> {
      models(text);
      const r = await p.retort('revision', '--autogenerate', '-m', `rename ${rev}`, '--rev-id', rev);
      assert.equal(r.code, 0, r.stderr);
      assert.doesNotMatch(r.stderr, /destructive|hint:/, 'a declared rename is neither destructive nor a suggestion');
      const file = `${rev}_rename_${rev}.ts`;
      assert.doesNotMatch(revisionText(file), /dropColumn|dropTable|addColumn|createTable/, 'a rename, never a drop and an add');
      return file;
    }

    before(async () => {
      p = await createProject(dialect, { empty: true });
      // big_orders (below) is made by hand, not declared: excluded, so autogenerate leaves it alone.
      writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'], exclude: ['big_orders'] });\n`);
      mkdirSync(path.join(p.dir, 'models'));
      models(V1);
      assert.equal((await p.retort('revision', '--autogenerate', '-m', 'shop', '--rev-id', '000000000001')).code, 0);
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      await p.query(`INSERT INTO clients (name, email) VALUES ('Ann', 'ann@example.com'), ('Bob', NULL)`);
      await p.query(`INSERT INTO orders (client_id, amount) VALUES (1, 30), (2, 45), (1, 0)`);
      // A view naming the columns and tables to be renamed: both databases must keep it working (its own column names stay).
      await p.query(`CREATE VIEW big_orders AS SELECT o.id AS id, o.amount AS amount, c.email AS email FROM orders o JOIN clients c ON c.id = o.client_id WHERE o.amount > 40`);
    });
    after(async () => {
      await p?.cleanup();
    });

    test('column rename: op.alterColumn newName both ways, rows kept, check clean after upgrade and downgrade', async () => {
      const file = await renameRevision('000000000002', V2);
      assert.match(upgradeText(file), /op\.alterColumn\('orders', 'amount', \{ newName: 'total' \}\)/);
      assert.match(downgradeText(file), /op\.alterColumn\('orders', 'total', \{ newName: 'amount' \}\)/);
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      assert.deepEqual(await ordersRows('orders', 'total'), ORDERS);
      await clean();
      assert.deepEqual(byId(await p.query('SELECT id, amount FROM big_orders')), ['2|45'], 'the view follows the renamed column');

      const down = await p.retort('downgrade', '-1');
      assert.equal(down.code, 0, down.stderr);
      assert.deepEqual(await ordersRows('orders', 'amount'), ORDERS);
      // The models still say total: check reports the pending rename as a rename.
      const pending = await p.retort('check');
      assert.equal(pending.code, 1);
      assert.match(pending.stdout, /~ column orders\.amount: renamed to total/);
      assert.doesNotMatch(pending.stdout, /- column|\+ column/);
      models(V1);
      await matches();
      models(V2);
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      await clean();
    });

    test('the hint is inert once applied: autogenerate finds nothing and the hint may stay', async () => {
      const again = await p.retort('revision', '--autogenerate', '-m', 'nothing');
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /No changes detected/);
    });

    test('table rename: op.renameTable both ways, rows and foreign keys kept', async () => {
      const file = await renameRevision('000000000003', V3);
      assert.match(upgradeText(file), /op\.renameTable\('orders', 'purchases'\)/);
      assert.match(downgradeText(file), /op\.renameTable\('purchases', 'orders'\)/);
      const up = await p.retort('upgrade', 'head');
      assert.equal(up.code, 0, up.stderr);
      assert.deepEqual(await ordersRows('purchases', 'total'), ORDERS);
      assert.deepEqual(await p.tables(), ['clients', 'purchases']);
      await clean();
      await assert.rejects(p.query(`INSERT INTO purchases (client_id, total) VALUES (99, 1)`), 'the foreign key still holds');
      assert.deepEqual(byId(await p.query('SELECT id, amount FROM big_orders')), ['2|45']);

      assert.equal((await p.retort('downgrade', '-1')).code, 0);
      assert.deepEqual(await p.tables(), ['clients', 'orders']);
      assert.deepEqual(await ordersRows('orders', 'total'), ORDERS);
      models(V2);
      await matches();
      models(V3);
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      await clean();
    });

    test('a table and one of its columns renamed in one revision: table first, then the column; back in reverse', async () => {
      const file = await renameRevision('000000000004', V4);
      const up = upgradeText(file);
      assert.match(up, /op\.renameTable\('clients', 'customers'\);[\s\S]*op\.alterColumn\('customers', 'email', \{ newName: 'contact_email' \}\)/);
      assert.match(downgradeText(file), /op\.alterColumn\('customers', 'contact_email', \{ newName: 'email' \}\);[\s\S]*op\.renameTable\('customers', 'clients'\)/);
      // Renamed in place, never rebuilt: no rows are copied (SQLite 3.25+ has ALTER TABLE ... RENAME for both).
      const script = await p.retort('upgrade', '000000000003:000000000004', '--sql');
      assert.equal(script.code, 0, script.stderr);
      assert.match(script.stdout, /ALTER TABLE "clients" RENAME TO "customers"/);
      assert.match(script.stdout, /ALTER TABLE "customers" RENAME COLUMN "email" TO "contact_email"/);
      assert.doesNotMatch(script.stdout, /INSERT INTO "(?!retort_version|retort_history)/);
      const r = await p.retort('upgrade', 'head');
      assert.equal(r.code, 0, r.stderr);
      assert.deepEqual(await p.tables(), ['customers', 'purchases']);
      assert.deepEqual(await clientRows('customers', 'contact_email'), CLIENTS);
      assert.deepEqual(await ordersRows('purchases', 'total'), ORDERS);
      await clean();
      assert.deepEqual(byId(await p.query('SELECT id, amount, email FROM big_orders')), ['2|45|null'], 'the view keeps its own column names');
      // The index on the renamed column is still there and used by name.
      const ix = dialect === 'sqlite'
        ? await p.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 'ix_contact'`)
        : await p.query<{ sql: string }>(`SELECT indexdef AS sql FROM pg_indexes WHERE indexname = 'ix_contact'`);
      assert.match(ix[0]!.sql, /customers.*contact_email/);

      assert.equal((await p.retort('downgrade', '-1')).code, 0);
      assert.deepEqual(await p.tables(), ['clients', 'purchases']);
      assert.deepEqual(await clientRows('clients', 'email'), CLIENTS);
      models(V3);
      await matches();
      models(V4);
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      await clean();
    });

    test('a hint that collides is one MODEL line naming file, table and both names', async () => {
      models(V4.replace("name: text().notNull(),", "name: text().notNull().renamedFrom('contact_email'),"));
      const r = await p.retort('check');
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /shop\.ts: table "customers": column "name" is renamedFrom "contact_email", but column "contact_email" is declared too/);
      models(V4 + `export const buyers = table('buyers', { id: serial().primaryKey() }).renamedFrom('clients');\n`);
      const twice = await p.retort('check');
      assert.notEqual(twice.code, 0);
      assert.match(twice.stderr, /shop\.ts: tables "(buyers|customers)" and "(buyers|customers)" are both renamedFrom "clients"/);
      models(V4);
    });

    test('a drop and an add alike in everything are suggested as a rename, in check and autogenerate; nothing waits', async () => {
      const likely = V4.replace('name: text().notNull(),', 'full_name: text().notNull(),');
      models(likely);
      const c = await p.retort('check');
      assert.equal(c.code, 1);
      assert.match(c.stdout, /hint: customers\.name dropped and customers\.full_name added look like a rename: to keep the data, add \.renamedFrom\('name'\) to column full_name of table customers/);
      // The JSON report carries the same suggestion for a program or CI to read.
      const json = await p.retort('check', '--json');
      assert.equal(json.code, 1);
      const report = JSON.parse(json.stdout) as { suggestions: string[] };
      assert.equal(report.suggestions.length, 1);
      assert.match(report.suggestions[0]!, /^customers\.name dropped and customers\.full_name added look like a rename.*\.renamedFrom\('name'\)/);
      const g = await p.retort('revision', '--autogenerate', '-m', 'maybe', '--rev-id', '000000000005');
      assert.equal(g.code, 0, g.stderr);
      assert.match(g.stderr, /hint: customers\.name dropped and customers\.full_name added look like a rename.*\.renamedFrom\('name'\)/);
      rmSync(path.join(p.dir, 'migrations', '000000000005_maybe.ts'));
      // With the hint, the same change is a rename.
      models(likely.replace("full_name: text().notNull(),", "full_name: text().notNull().renamedFrom('name'),"));
      const hinted = await p.retort('check');
      assert.match(hinted.stdout, /~ column customers\.name: renamed to full_name/);
      assert.doesNotMatch(hinted.stdout, /hint:/);
    });

    test('an unrelated drop and add (another type) is not suggested', async () => {
      models(V4.replace('name: text().notNull(),', 'age: integer(),'));
      const c = await p.retort('check');
      assert.equal(c.code, 1);
      assert.match(c.stdout, /- column customers\.name/);
      assert.match(c.stdout, /\+ column customers\.age/);
      assert.doesNotMatch(c.stdout + c.stderr, /hint:|renamedFrom/);
      assert.deepEqual((JSON.parse((await p.retort('check', '--json')).stdout) as { suggestions: string[] }).suggestions, []);
      models(V4);
      await clean();
    });
  });
}

const MOODS_V1 = `import { enumType, serial, table } from 'retort-migrate';
export const mood = enumType('mood', ['happy', 'sad']);
export const pets = table('pets', { id: serial().primaryKey(), mood: mood().notNull().serverDefault('happy') });
`;
const MOODS_V2 = MOODS_V1.replace("enumType('mood', ['happy', 'sad'])", "enumType('mood', ['glad', 'sad'], { renamedFrom: { glad: 'happy' } })").replace("serverDefault('happy')", "serverDefault('glad')");

for (const dialect of DIALECTS) {
  describe(`enum value rename on ${dialect}`, () => {
    let p: TestProject;
    const models = (text: string) => writeFileSync(path.join(p.dir, 'models', 'pets.ts'), text);
    const moods = async () => (await p.query<{ mood: string }>('SELECT mood FROM pets ORDER BY id')).map((r) => r.mood);
    before(async () => {
      p = await createProject(dialect, { empty: true });
      mkdirSync(path.join(p.dir, 'models'));
      models(MOODS_V1);
      assert.equal((await p.retort('revision', '--autogenerate', '-m', 'pets', '--rev-id', '0000000000a1')).code, 0);
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      await p.query(`INSERT INTO pets (mood) VALUES ('happy'), ('sad'), ('happy')`);
    });
    after(async () => {
      await p?.cleanup();
    });

    test('renameEnumValue keeps every row under the new value and renames back on downgrade; check clean after both', async () => {
      models(MOODS_V2);
      // Autogenerate writes the rename from the hint, never a type rebuild, on both: SQLite's enums are CHECKs, read
      // as enum types for the hint. The server default follows the value on its own (no alterColumn).
      const g = await p.retort('revision', '--autogenerate', '-m', 'glad', '--rev-id', '0000000000a2');
      assert.equal(g.code, 0, g.stderr);
      const text = readFileSync(path.join(p.dir, 'migrations', '0000000000a2_glad.ts'), 'utf8');
      assert.match(text, /op\.renameEnumValue\('mood', 'happy', 'glad'\)/);
      assert.match(text, /op\.renameEnumValue\('mood', 'glad', 'happy'\)/);
      assert.doesNotMatch(text, /createEnum|dropEnum|alterColumn|Constraint/);
      const up = await p.retort('upgrade', 'head');
      assert.equal(up.code, 0, up.stderr);
      assert.deepEqual(await moods(), ['glad', 'sad', 'glad']);
      await assert.rejects(p.query(`INSERT INTO pets (mood) VALUES ('happy')`), 'the old value is gone');
      await p.query('INSERT INTO pets DEFAULT VALUES');
      assert.deepEqual((await moods()).at(-1), 'glad', 'the default names the new value');
      await p.query('DELETE FROM pets WHERE id = 4');
      const c = await p.retort('check');
      assert.equal(c.code, 0, c.stdout + c.stderr);

      assert.equal((await p.retort('downgrade', '-1')).code, 0);
      assert.deepEqual(await moods(), ['happy', 'sad', 'happy']);
      models(MOODS_V1);
      assert.match((await p.retort('check')).stdout, /^The schema matches the models, but see above\.$/m);
      models(MOODS_V2);
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      assert.deepEqual(await moods(), ['glad', 'sad', 'glad']);
    });
  });
}
