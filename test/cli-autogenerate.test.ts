/**
 * `revision --autogenerate` and `check` through the CLI on both dialects:
 * models in, a readable revision out, right the first time, and nothing
 * spurious afterwards.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createProject, DIALECTS, type TestProject } from './helpers/project.js';
import { repoRoot } from './helpers/cli.js';
import { createPgDatabase, pgQuery } from './helpers/db.js';
import Database from 'better-sqlite3';

const V1 = `import { enumType, integer, serial, sql, table, text, timestamp, varchar, index } from 'retort-migrate';
export const mood = enumType('mood', ['happy', 'sad']);
export const authors = table('authors', {
  id: serial().primaryKey(),
  name: varchar(100).notNull(),
  mood: mood().notNull().serverDefault('happy'),
  joined: timestamp({ withTimezone: true }).notNull().serverDefault(sql\`now()\`),
});
export const books = table('books', {
  id: serial().primaryKey(),
  author_id: integer().notNull().references(() => authors.columns.id, { onDelete: 'cascade' }),
  title: text().notNull(),
  reader_mood: mood(),
}, (t) => [index('ix_books_title').on(t.title)]);
`;

const V2 = V1.replace("name: varchar(100).notNull(),", "name: varchar(100).notNull(),\n  email: varchar(200).unique(),")
  .replace("title: text().notNull(),", "title: text().notNull(),\n  pages: integer().notNull().serverDefault(0),")
  .replace("['happy', 'sad']", "['happy', 'meh', 'sad']")
  // The new value used at once, as a default: PostgreSQL needs the value committed first.
  .replace("mood().notNull().serverDefault('happy')", "mood().notNull().serverDefault('meh')");

function migrationFiles(p: TestProject): string[] {
  return readdirSync(path.join(p.dir, 'migrations')).filter((f) => f.endsWith('.ts')).sort();
}

for (const dialect of DIALECTS) {
  describe(`autogenerate on ${dialect}`, () => {
    let p: TestProject;
    before(async () => {
      p = await createProject(dialect, { empty: true });
      mkdirSync(path.join(p.dir, 'models'));
      writeFileSync(path.join(p.dir, 'models', 'library.ts'), V1);
    });
    after(async () => {
      await p.cleanup();
    });

    test('check before anything exists lists the differences and exits 1', async () => {
      const r = await p.retort('check');
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /\+ table authors/);
      assert.match(r.stdout, /\+ table books/);
      const diff = await p.retort('check', '--diff');
      assert.equal(diff.code, 1);
      assert.match(diff.stdout, /^\+CREATE TABLE "authors"/m);
    });

    test('the first revision creates enum and tables; a second autogenerate finds nothing', async () => {
      const r = await p.retort('revision', '--autogenerate', '-m', 'create library', '--rev-id', '000000000001');
      assert.equal(r.code, 0, r.stderr);
      const text = readFileSync(path.join(p.dir, 'migrations', '000000000001_create_library.ts'), 'utf8');
      assert.match(text, /op\.createTable\('authors', \{/);
      assert.ok(text.indexOf("op.createTable('authors'") < text.indexOf("op.createTable('books'"), 'tables in foreign-key order');
      if (dialect === 'postgresql') {
        assert.equal(text.match(/op\.createEnum\('mood'/g)?.length, 1, 'an enum two tables use is created once');
        assert.match(text.slice(text.indexOf('export function downgrade')), /op\.dropTable\('authors'\);[\s\S]*op\.dropEnum\('mood'\)/);
      }
      const up = await p.retort('upgrade', 'head');
      assert.equal(up.code, 0, up.stderr);
      const again = await p.retort('revision', '--autogenerate', '-m', 'nothing');
      assert.equal(again.code, 0, again.stderr);
      assert.match(again.stdout, /No changes detected/);
      assert.deepEqual(migrationFiles(p), ['000000000001_create_library.ts']);
      assert.equal((await p.retort('check')).code, 0);
    });

    test('--allow-empty writes a file anyway; an out-of-date database is refused', async () => {
      const r = await p.retort('revision', '--autogenerate', '-m', 'empty on purpose', '--allow-empty', '--rev-id', '000000000002');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(migrationFiles(p).length, 2);
      const stale = await p.retort('revision', '--autogenerate', '-m', 'stale');
      assert.equal(stale.code, 1);
      assert.match(stale.stderr, /not up to date/);
      assert.match(stale.stderr, /upgrade head/);
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
    });

    test('columns, a unique, a default and an enum value added; data survives the round trip', async () => {
      await p.query(`INSERT INTO authors (name) VALUES ('Ann')`);
      await p.query(`INSERT INTO books (author_id, title) VALUES (1, 'First')`);
      writeFileSync(path.join(p.dir, 'models', 'library.ts'), V2);
      const r = await p.retort('revision', '--autogenerate', '-m', 'more', '--rev-id', '000000000003');
      assert.equal(r.code, 0, r.stderr);
      const up = await p.retort('upgrade', 'head');
      assert.equal(up.code, 0, up.stderr);
      assert.equal((await p.retort('check')).code, 0, 'no spurious differences after the upgrade');
      const rows = await p.query<{ title: string; pages: number }>('SELECT title, pages FROM books');
      assert.deepEqual(rows.map((x) => [x.title, Number(x.pages)]), [['First', 0]]);
      const down = await p.retort('downgrade', '-1');
      assert.equal(down.code, 0, down.stderr);
      writeFileSync(path.join(p.dir, 'models', 'library.ts'), V1);
      const back = await p.retort('check');
      assert.match(back.stdout, /^The schema matches the models, but see above\.$/m, 'the downgrade restored the first schema exactly');
      assert.match(back.stdout, /^not up to date: /m, 'and the database is one revision behind its head');
      assert.deepEqual((await p.query<{ title: string }>('SELECT title FROM books')).map((x) => x.title), ['First']);
    });

    test('dropping a table is listed as destructive and marked in the file', async () => {
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      writeFileSync(path.join(p.dir, 'models', 'library.ts'), V1.replace(/export const books[\s\S]*$/, ''));
      const r = await p.retort('revision', '--autogenerate', '-m', 'drop books', '--rev-id', '000000000004');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /destructive: drops table books/);
      const text = readFileSync(path.join(p.dir, 'migrations', '000000000004_drop_books.ts'), 'utf8');
      assert.match(text, /\/\/ DESTRUCTIVE: drops table books/);
    });

    test('downgrade base removes the enum types, and upgrade head works again', async () => {
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      const down = await p.retort('downgrade', 'base');
      assert.equal(down.code, 0, down.stderr);
      assert.deepEqual(await p.tables(), []);
      if (dialect === 'postgresql') assert.deepEqual(await p.query(`SELECT typname FROM pg_type WHERE typname = 'mood'`), []);
      const up = await p.retort('upgrade', 'head');
      assert.equal(up.code, 0, up.stderr);
    });

    test('generated files compile under tsc --strict --noUnusedLocals --noUnusedParameters, without @types/node', () => {
      const files = migrationFiles(p).filter((f) => f !== '000000000002_empty_on_purpose.ts').map((f) => path.join(p.dir, 'migrations', f));
      const tsc = path.join(repoRoot, 'node_modules', '.bin', 'tsc');
      const r = spawnSync(tsc, ['--noEmit', '--strict', '--noUnusedLocals', '--noUnusedParameters', '--target', 'es2022', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--types', '', ...files], { cwd: p.dir, encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
    });

    test('a model error is one line naming file, table and column', async () => {
      writeFileSync(path.join(p.dir, 'models', 'broken.ts'), `import { integer, serial, table } from 'retort-migrate';\nexport const reviews = table('reviews', { id: serial().primaryKey(), book_id: integer().references('novels.id') });\n`);
      const r = await p.retort('check');
      assert.equal(r.code, 1);
      assert.match(r.stderr, /reviews\.book_id references novels\.id, but no table "novels" is declared/);
      assert.match(r.stderr, /broken\.ts/);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    });
  });
}

// A later revision that uses an enum created by an earlier one: on SQLite its values live only in the
// CHECKs of the tables that use it, and `mood_extra`'s CHECK names also contain "_enum_mood".
const ENUMS_V1 = `import { enumType, serial, table } from 'retort-migrate';
export const mood = enumType('mood', ['happy', 'sad']);
export const moodExtra = enumType('mood_extra', ['x', 'y']);
export const aa = table('aa', { id: serial().primaryKey(), m: moodExtra() });
export const people = table('people', { id: serial().primaryKey(), mood: mood().notNull() });
`;
const ENUMS_V2 = `${ENUMS_V1}export const pets = table('pets', { id: serial().primaryKey(), mood: mood() });\n`;
const ENUMS_V3 = ENUMS_V2.replace("['happy', 'sad']", "['happy', 'sad', 'calm']");

for (const dialect of DIALECTS) {
  test(`a table added in a later revision uses an enum of an earlier one, then the enum gains a value (${dialect})`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      mkdirSync(path.join(p.dir, 'models'));
      const step = async (models: string, id: string) => {
        writeFileSync(path.join(p.dir, 'models', 'm.ts'), models);
        const gen = await p.retort('revision', '--autogenerate', '-m', `step ${id}`, '--rev-id', id);
        assert.equal(gen.code, 0, gen.stderr);
        const up = await p.retort('upgrade', 'head');
        assert.equal(up.code, 0, up.stderr);
        const check = await p.retort('check');
        assert.equal(check.code, 0, check.stdout + check.stderr);
      };
      await step(ENUMS_V1, 'e00000000001');
      await step(ENUMS_V2, 'e00000000002');
      await p.query(`INSERT INTO pets (mood) VALUES ('sad')`);
      await assert.rejects(p.query(`INSERT INTO pets (mood) VALUES ('x')`), 'pets.mood takes the values of mood, not mood_extra');
      await step(ENUMS_V3, 'e00000000003');
      await p.query(`INSERT INTO pets (mood) VALUES ('calm')`);
      await p.query(`INSERT INTO people (mood) VALUES ('calm')`);
      // Removing the value again refuses rows that hold it; without them the downgrade goes through.
      await p.query(`DELETE FROM pets`);
      await p.query(`DELETE FROM people`);
      const down = await p.retort('downgrade', 'base');
      assert.equal(down.code, 0, down.stderr);
      assert.deepEqual(await p.tables(), []);
    } finally {
      await p.cleanup();
    }
  });
}

for (const dialect of DIALECTS) {
  test(`a table made by hand with $$ in its names matches its model: default constraint names keep them (${dialect})`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      mkdirSync(path.join(p.dir, 'models'));
      writeFileSync(path.join(p.dir, 'models', 'm.ts'), `import { integer, table } from 'retort-migrate';
export const prices = table('price$$list', { id: integer().primaryKey(), 'code$&': integer().notNull().unique() });
`);
      await p.query(`CREATE TABLE "price$$list" (id integer PRIMARY KEY, "code$&" integer NOT NULL UNIQUE)`);
      const check = await p.retort('check');
      assert.equal(check.code, 0, check.stdout + check.stderr);
      assert.match(check.stdout, /No changes detected/);
    } finally {
      await p.cleanup();
    }
  });
}

for (const dialect of DIALECTS) {
  test(`number defaults spelled differently by hand (0.0, 10.00, '0', +1, 1e3, 25E-3) match the model's numbers (${dialect})`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      mkdirSync(path.join(p.dir, 'models'));
      writeFileSync(path.join(p.dir, 'models', 'm.ts'), `import { integer, numeric, real, table } from 'retort-migrate';
export const items = table('items', {
  id: integer().primaryKey(),
  amount: numeric(12, 2).notNull().serverDefault(0),
  price: numeric(8, 2).serverDefault(10),
  rate: numeric(8, 2).serverDefault(1.5),
  qty: integer().serverDefault(0),
  step: integer().serverDefault(1),
  ratio: real().serverDefault(1000),
  tiny: numeric(8, 4).serverDefault(0.025),
});
`);
      await p.query(`CREATE TABLE items (id integer PRIMARY KEY, amount numeric(12, 2) NOT NULL DEFAULT 0.0, price numeric(8, 2) DEFAULT 10.00, rate numeric(8, 2) DEFAULT 1.50, qty integer DEFAULT '0', step integer DEFAULT +1, ratio real DEFAULT 1e3, tiny numeric(8, 4) DEFAULT 25E-3)`);
      const check = await p.retort('check');
      assert.equal(check.code, 0, check.stdout + check.stderr);
      assert.match(check.stdout, /No changes detected/);
      writeFileSync(path.join(p.dir, 'models', 'm.ts'), readFileSync(path.join(p.dir, 'models', 'm.ts'), 'utf8').replace('serverDefault(10)', 'serverDefault(10.5)'));
      const changed = await p.retort('check');
      assert.equal(changed.code, 1, 'a real change is still found');
      assert.match(changed.stdout, /items\.price: default 10 -> default 10\.5/);
    } finally {
      await p.cleanup();
    }
  });
}

for (const dialect of DIALECTS) {
  test(`FLOAT columns made by hand (SQLAlchemy's Float) match doublePrecision() and customType('float'); float(10) matches real() (${dialect})`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      mkdirSync(path.join(p.dir, 'models'));
      writeFileSync(path.join(p.dir, 'models', 'm.ts'), `import { customType, doublePrecision, integer, real, table } from 'retort-migrate';
export const points = table('points', { id: integer().primaryKey(), x: doublePrecision(), y: customType('float'), z: real(), w: customType('FLOAT(53)') });
`);
      await p.query(`CREATE TABLE points (id integer PRIMARY KEY, x FLOAT, y FLOAT, z FLOAT(10), w float8)`);
      const check = await p.retort('check');
      assert.equal(check.code, 0, check.stdout + check.stderr);
      assert.match(check.stdout, /No changes detected/);
      writeFileSync(path.join(p.dir, 'models', 'm.ts'), readFileSync(path.join(p.dir, 'models', 'm.ts'), 'utf8').replace('z: real()', 'z: doublePrecision()'));
      const changed = await p.retort('check');
      assert.equal(changed.code, 1, 'real -> double is still a change');
      assert.match(changed.stdout, /points\.z/);
      assert.doesNotMatch(changed.stdout, /points\.[xyw]/);
    } finally {
      await p.cleanup();
    }
  });
}

test('a revision generated against SQLite writes boolean defaults as true/false and runs on PostgreSQL too', async () => {
  const p = await createProject('sqlite', { empty: true });
  const pgDb = await createPgDatabase();
  try {
    await p.query(`CREATE TABLE flags (id integer PRIMARY KEY, on_by_default boolean NOT NULL DEFAULT 1, legacy bool DEFAULT 'f')`);
    mkdirSync(path.join(p.dir, 'models'));
    writeFileSync(path.join(p.dir, 'models', 'm.ts'), `import { boolean, integer, table } from 'retort-migrate';
export const flags = table('flags', { id: integer().primaryKey(), on_by_default: boolean().notNull().serverDefault(true), legacy: boolean().serverDefault(false) });
export const users = table('users', { id: integer().primaryKey(), is_active: boolean().notNull().serverDefault(true), is_admin: boolean().notNull().serverDefault(false) });
`);
    const clean = await p.retort('check');
    assert.match(clean.stdout, /^\s+\+ table users$/m, 'the hand-written 1 and \'f\' defaults match true and false');
    assert.doesNotMatch(clean.stdout, /flags/);
    const r = await p.retort('revision', '--autogenerate', '-m', 'users', '--rev-id', 'b00000000001');
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(path.join(p.dir, 'migrations', readdirSync(path.join(p.dir, 'migrations'))[0]!), 'utf8');
    assert.match(text, /is_active: boolean\(\)\.notNull\(\)\.serverDefault\(true\)/);
    assert.match(text, /is_admin: boolean\(\)\.notNull\(\)\.serverDefault\(false\)/);
    assert.equal((await p.retort('upgrade', 'head')).code, 0);
    const [row] = await p.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 'users'`);
    assert.match(row!.sql, /"is_active" BOOLEAN NOT NULL DEFAULT 1/);
    assert.equal((await p.retort('check')).code, 0);
    const onPg = await p.retort('upgrade', 'head', '--url', pgDb.url);
    assert.equal(onPg.code, 0, onPg.stderr);
    assert.deepEqual(await pgQuery(pgDb.url, `SELECT column_default FROM information_schema.columns WHERE table_name = 'users' AND column_name = 'is_active'`), [{ column_default: 'true' }]);
  } finally {
    await p.cleanup();
    await pgDb.drop();
  }
});

test('SQLite: an index declared with .using(), .include() or an operator class for PostgreSQL is a plain index over its keys and compares clean; the revision keeps them for PostgreSQL', async () => {
  const p = await createProject('sqlite', { empty: true });
  const pgDb = await createPgDatabase();
  try {
    mkdirSync(path.join(p.dir, 'models'));
    writeFileSync(path.join(p.dir, 'models', 'm.ts'), `import { index, integer, jsonb, sql, table, text } from 'retort-migrate';
export const docs = table('docs', { id: integer().primaryKey(), body: text(), tags: text(), meta: jsonb() }, (t) => [
  index('docs_tags').on(t.tags).using('hash'),
  index('docs_cover').on(t.id).include(t.body),
  index('docs_meta').on(sql\`meta jsonb_path_ops\`).using('gin'),
]);
`);
    const r = await p.retort('revision', '--autogenerate', '-m', 'docs', '--rev-id', 'd00000000001');
    assert.equal(r.code, 0, r.stderr);
    const text = readFileSync(path.join(p.dir, 'migrations', 'd00000000001_docs.ts'), 'utf8');
    assert.match(text, /index\('docs_tags'\)\.on\(t\.tags\)\.using\('hash'\)/);
    assert.match(text, /index\('docs_cover'\)\.on\(t\.id\)\.include\(t\.body\)/);
    assert.match(text, /index\('docs_meta'\)\.on\(sql`meta jsonb_path_ops`\)\.using\('gin'\)/);
    const up = await p.retort('upgrade', 'head');
    assert.equal(up.code, 0, up.stderr);
    const sqls = (await p.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name LIKE 'docs_%' ORDER BY name`)).map((x) => x.sql);
    assert.deepEqual(sqls, ['CREATE INDEX "docs_cover" ON "docs" ("id")', 'CREATE INDEX "docs_meta" ON "docs" ("meta")', 'CREATE INDEX "docs_tags" ON "docs" ("tags")']);
    const check = await p.retort('check');
    assert.equal(check.code, 0, check.stdout + check.stderr);
    // The same revision on PostgreSQL builds the indexes the models declare.
    const onPg = await p.retort('upgrade', 'head', '--url', pgDb.url);
    assert.equal(onPg.code, 0, onPg.stderr);
    const pgDefs = (await pgQuery<{ indexdef: string }>(pgDb.url, `SELECT indexdef FROM pg_indexes WHERE tablename = 'docs' AND indexname <> 'docs_pkey' ORDER BY indexname`)).map((x) => x.indexdef);
    assert.deepEqual(pgDefs, [
      'CREATE INDEX docs_cover ON public.docs USING btree (id) INCLUDE (body)',
      'CREATE INDEX docs_meta ON public.docs USING gin (meta jsonb_path_ops)',
      'CREATE INDEX docs_tags ON public.docs USING hash (tags)',
    ]);
    assert.equal((await p.retort('check', '--url', pgDb.url)).code, 0);
  } finally {
    await p.cleanup();
    await pgDb.drop();
  }
});

test('SQLite: a double-quoted string default (DEFAULT "draft") is the string it is, and a changed model default rebuilds and reverses', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    await p.query(`CREATE TABLE prices (id integer PRIMARY KEY AUTOINCREMENT, status text DEFAULT 'draft', n integer)`);
    const db = new Database(path.join(p.dir, 'test.db'));
    db.unsafeMode(true);
    db.pragma('writable_schema = ON');
    db.prepare(`UPDATE sqlite_master SET sql = replace(sql, 'DEFAULT ''draft''', 'DEFAULT "draft"') WHERE name = 'prices'`).run();
    db.close();
    mkdirSync(path.join(p.dir, 'models'));
    const model = (d: string) => `import { integer, serial, table, text } from 'retort-migrate';
export const prices = table('prices', { id: serial().primaryKey(), status: text().serverDefault('${d}'), n: integer() });
`;
    writeFileSync(path.join(p.dir, 'models', 'm.ts'), model('draft'));
    const same = await p.retort('check');
    assert.equal(same.code, 0, same.stdout + same.stderr);
    writeFileSync(path.join(p.dir, 'models', 'm.ts'), model('new'));
    assert.equal((await p.retort('revision', '--autogenerate', '-m', 'new default')).code, 0);
    assert.equal((await p.retort('upgrade', 'head')).code, 0);
    const down = await p.retort('downgrade', '-1');
    assert.equal(down.code, 0, down.stderr);
    writeFileSync(path.join(p.dir, 'models', 'm.ts'), model('draft'));
    assert.match((await p.retort('check')).stdout, /The schema matches the models, but see above/);
  } finally {
    await p.cleanup();
  }
});

for (const dialect of DIALECTS) {
  test(`tables left alone (exclude, alembic_version) are left alone in the models too: declared, they are not created (${dialect})`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      writeFileSync(path.join(p.dir, 'retort.config.ts'), `export default { migrations: 'migrations', models: ['models/*.ts'], exclude: ['legacy_*'] };\n`);
      await p.query(`CREATE TABLE legacy_stuff (id integer PRIMARY KEY, x text)`);
      await p.query(`CREATE TABLE alembic_version (version_num varchar(32) NOT NULL PRIMARY KEY)`);
      mkdirSync(path.join(p.dir, 'models'));
      writeFileSync(path.join(p.dir, 'models', 'm.ts'), `import { integer, table, text, varchar } from 'retort-migrate';
export const legacy = table('legacy_stuff', { id: integer().primaryKey(), x: text(), y: text() });
export const alembicVersion = table('alembic_version', { version_num: varchar(32).primaryKey() });
export const kept = table('kept', { id: integer().primaryKey() });
`);
      const check = await p.retort('check');
      assert.equal(check.code, 1);
      assert.match(check.stdout, /\(1 difference\):\n\s+\+ table kept\n/);
      const r = await p.retort('revision', '--autogenerate', '-m', 'kept');
      assert.equal(r.code, 0, r.stderr);
      const up = await p.retort('upgrade', 'head');
      assert.equal(up.code, 0, up.stderr);
      assert.equal((await p.retort('check')).code, 0);
    } finally {
      await p.cleanup();
    }
  });
}

test('SQLite: a CHECK with double-quoted strings (read as strings by SQLite) survives a rebuild with its meaning', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    // Written as another tool (Python's sqlite3) writes it; Retort's driver refuses double-quoted strings in new DDL,
    // so the schema text is put in place directly.
    await p.query(`CREATE TABLE items (id integer PRIMARY KEY, status varchar(10) NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')), "group" varchar(20))`);
    const db = new Database(path.join(p.dir, 'test.db'));
    db.unsafeMode(true);
    db.pragma('writable_schema = ON');
    db.prepare(`UPDATE sqlite_master SET sql = replace(sql, '''draft'', ''published''', '"draft", "published"') WHERE name = 'items'`).run();
    db.close();
    await p.query(`INSERT INTO items (status, "group") VALUES ('published', 'g')`);
    assert.match((await p.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 'items'`))[0]!.sql, /IN \("draft", "published"\)/);
    mkdirSync(path.join(p.dir, 'models'));
    const model = (len: number) => `import { check, integer, sql, table, varchar } from 'retort-migrate';
export const items = table('items', { id: integer().primaryKey(), status: varchar(10).notNull().serverDefault('draft'), group: varchar(${len}) }, () => [
  check('items_status_check', sql\`status IN ("draft", "published")\`),
]);
`;
    writeFileSync(path.join(p.dir, 'models', 'm.ts'), model(20));
    const clean = await p.retort('check');
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    writeFileSync(path.join(p.dir, 'models', 'm.ts'), model(30));
    assert.equal((await p.retort('revision', '--autogenerate', '-m', 'wider group')).code, 0);
    const up = await p.retort('upgrade', 'head');
    assert.equal(up.code, 0, up.stderr);
    const [row] = await p.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 'items'`);
    assert.match(row!.sql, /CHECK \(status IN \('draft', 'published'\)\)/);
    assert.equal((await p.retort('check')).code, 0);
    await assert.rejects(p.query(`INSERT INTO items (status) VALUES ('other')`), /CHECK constraint failed/);
  } finally {
    await p.cleanup();
  }
});

test('SQLite: a foreign key declared deferrable is created DEFERRABLE INITIALLY DEFERRED and compares clean; Django\'s deferred keys are read as such', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    mkdirSync(path.join(p.dir, 'models'));
    writeFileSync(path.join(p.dir, 'models', 'm.ts'), `import { integer, table } from 'retort-migrate';
export const users = table('users', { id: integer().primaryKey() });
export const posts = table('posts', { id: integer().primaryKey(), user_id: integer().references('users.id', { deferrable: 'deferred' }) });
`);
    assert.equal((await p.retort('revision', '--autogenerate', '-m', 'posts')).code, 0);
    const up = await p.retort('upgrade', 'head');
    assert.equal(up.code, 0, up.stderr);
    const [row] = await p.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 'posts'`);
    assert.match(row!.sql, /REFERENCES "users" \("id"\) DEFERRABLE INITIALLY DEFERRED/);
    assert.equal((await p.retort('check')).code, 0);
    // A table written as Django writes it compares with its deferrable model, and differs from a plain one.
    await p.query(`CREATE TABLE "comments" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "post_id" bigint NOT NULL REFERENCES "posts" ("id") DEFERRABLE INITIALLY DEFERRED)`);
    const comments = (options: string) => `\nexport const comments = table('comments', { id: serial().primaryKey(), post_id: bigint().notNull().references('posts.id'${options}) });\n`;
    const base = readFileSync(path.join(p.dir, 'models', 'm.ts'), 'utf8').replace("import { integer, table }", "import { bigint, integer, serial, table }");
    writeFileSync(path.join(p.dir, 'models', 'm.ts'), base + comments(", { deferrable: 'deferred' }"));
    const same = await p.retort('check');
    assert.equal(same.code, 0, same.stdout + same.stderr);
    writeFileSync(path.join(p.dir, 'models', 'm.ts'), base + comments(''));
    assert.match((await p.retort('check')).stdout, /- foreign key comments_post_id_fkey on comments \(post_id\) -> posts \(id\) deferrable initially deferred/);
  } finally {
    await p.cleanup();
  }
});

test('SQLite: type names, keywords and function names compare without case and expressions without regard to spacing, as SQLite reads them (integer unsigned, JSON_VALID, stock*price)', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    await p.query(`CREATE TABLE "shop_product" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "stock" integer unsigned NOT NULL CHECK ("stock">=0), "weight" Decimal128, "attrs" text NULL CHECK ((JSON_VALID("attrs") OR "attrs" IS NULL)), "price" real, "total" real generated always as (stock*price) stored)`);
    mkdirSync(path.join(p.dir, 'models'));
    writeFileSync(path.join(p.dir, 'models', 'm.ts'), `import { check, customType, real, serial, sql, table, text } from 'retort-migrate';
export const product = table('shop_product', { id: serial().primaryKey(), stock: customType('INTEGER UNSIGNED').notNull(), weight: customType('decimal128'), attrs: text(), price: real(), total: customType('REAL GENERATED ALWAYS AS (stock * price) STORED') }, () => [
  check('shop_product_stock_check', sql\`stock >= 0\`),
  check('shop_product_attrs_check', sql\`json_valid(attrs) or attrs is null\`),
]);
`);
    const check = await p.retort('check');
    assert.equal(check.code, 0, check.stdout + check.stderr);
  } finally {
    await p.cleanup();
  }
});

for (const dialect of DIALECTS) {
  test(`removing an enum value is marked destructive, on SQLite (a narrower check) as on PostgreSQL (${dialect})`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      mkdirSync(path.join(p.dir, 'models'));
      const model = (values: string) => `import { enumType, integer, table } from 'retort-migrate';
export const st = enumType('st', [${values}]);
export const posts = table('posts', { id: integer().primaryKey(), s: st() });
`;
      writeFileSync(path.join(p.dir, 'models', 'm.ts'), model("'a', 'b', 'c'"));
      assert.equal((await p.retort('revision', '--autogenerate', '-m', 'posts')).code, 0);
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      writeFileSync(path.join(p.dir, 'models', 'm.ts'), model("'a', 'b'"));
      const r = await p.retort('revision', '--autogenerate', '-m', 'no c', '--rev-id', 'e00000000002');
      assert.equal(r.code, 0, r.stderr);
      const note = dialect === 'sqlite' ? /narrows check ck_posts_s_enum_st on posts: rows holding 'c' in s make the/ : /removes 'c' from enum st/;
      assert.match(r.stderr, new RegExp(`destructive: ${note.source}`));
      const text = readFileSync(path.join(p.dir, 'migrations', 'e00000000002_no_c.ts'), 'utf8');
      assert.match(text, new RegExp(`// DESTRUCTIVE: ${note.source}`));
      // A check of allowed values on PostgreSQL, stored as = ANY (ARRAY[...]), narrowed the same way.
      if (dialect === 'postgresql') {
        assert.equal((await p.retort('upgrade', 'head')).code, 0);
        await p.query(`CREATE TABLE tickets (id integer PRIMARY KEY, kind varchar(10) CONSTRAINT tickets_kind_check CHECK (kind IN ('bug', 'task', 'epic')))`);
        writeFileSync(path.join(p.dir, 'models', 'm.ts'), `${model("'a', 'b'").replace('import { enumType, integer, table }', 'import { check, enumType, integer, sql, table, varchar }')}export const tickets = table('tickets', { id: integer().primaryKey(), kind: varchar(10) }, () => [check('tickets_kind_check', sql\`kind IN ('bug', 'task')\`)]);\n`);
        const narrowed = await p.retort('revision', '--autogenerate', '-m', 'no epics');
        assert.equal(narrowed.code, 0, narrowed.stderr);
        assert.match(narrowed.stderr, /destructive: narrows check tickets_kind_check on tickets: rows holding 'epic' in kind make the upgrade fail/);
      }
    } finally {
      await p.cleanup();
    }
  });
}

for (const dialect of DIALECTS) {
  test(`foreignKey().on(...).references() takes one target without an array: an arrow, a string, a column (${dialect})`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      mkdirSync(path.join(p.dir, 'models'));
      writeFileSync(path.join(p.dir, 'models', 'm.ts'), `import { foreignKey, integer, table } from 'retort-migrate';
  export const users = table('users', { id: integer().primaryKey() });
  export const a = table('a', { id: integer().primaryKey(), user_id: integer() }, (t) => [foreignKey('fk_a').on(t.user_id).references(() => users.columns.id)]);
  export const b = table('b', { id: integer().primaryKey(), user_id: integer() }, (t) => [foreignKey('fk_b').on(t.user_id).references('users.id', { onDelete: 'cascade' })]);
  export const c = table('c', { id: integer().primaryKey(), user_id: integer() }, (t) => [foreignKey('fk_c').on(t.user_id).references(users.columns.id)]);
  `);
      const r = await p.retort('revision', '--autogenerate', '-m', 'fks');
      assert.equal(r.code, 0, r.stderr);
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      const fks = await p.query<{ t: string; parent: string }>(
        dialect === 'sqlite'
          ? `SELECT m.name AS t, f."table" AS parent FROM sqlite_master m, pragma_foreign_key_list(m.name) f WHERE m.type = 'table' ORDER BY 1`
          : `SELECT c.conrelid::regclass::text AS t, c.confrelid::regclass::text AS parent FROM pg_constraint c WHERE c.contype = 'f' ORDER BY 1`,
      );
      assert.deepEqual(fks, [{ t: 'a', parent: 'users' }, { t: 'b', parent: 'users' }, { t: 'c', parent: 'users' }]);
      assert.equal((await p.retort('check')).code, 0);
    } finally {
      await p.cleanup();
    }
  });
}

test('SQLite: a changed generated column is dropped and added again (the rebuild computes it), not marked destructive, and reverses', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    mkdirSync(path.join(p.dir, 'models'));
    const model = (expr: string) => `import { customType, integer, real, table } from 'retort-migrate';
export const lines = table('lines', { id: integer().primaryKey(), qty: integer(), price: real(), total: customType('REAL GENERATED ALWAYS AS (${expr}) STORED') });
`;
    writeFileSync(path.join(p.dir, 'models', 'm.ts'), model('qty * price'));
    assert.equal((await p.retort('revision', '--autogenerate', '-m', 'lines')).code, 0);
    assert.equal((await p.retort('upgrade', 'head')).code, 0);
    await p.query('INSERT INTO lines (qty, price) VALUES (2, 3)');
    writeFileSync(path.join(p.dir, 'models', 'm.ts'), model('qty * price * 2'));
    const r = await p.retort('revision', '--autogenerate', '-m', 'double', '--rev-id', 'a00000000002');
    assert.equal(r.code, 0, r.stderr);
    assert.doesNotMatch(r.stderr, /destructive/);
    assert.match(readFileSync(path.join(p.dir, 'migrations', 'a00000000002_double.ts'), 'utf8'), /op\.dropColumn\('lines', 'total'\);[\s\S]*op\.addColumn\('lines', 'total'/);
    const up = await p.retort('upgrade', 'head');
    assert.equal(up.code, 0, up.stderr);
    assert.deepEqual(await p.query('SELECT total FROM lines'), [{ total: 12 }]);
    assert.equal((await p.retort('check')).code, 0);
    assert.equal((await p.retort('downgrade', '-1')).code, 0);
    assert.deepEqual(await p.query('SELECT total FROM lines'), [{ total: 6 }]);
  } finally {
    await p.cleanup();
  }
});

test('SQLite virtual tables (FTS5, R*Tree) and their shadow tables are not part of the schema: check is clean, autogenerate writes nothing', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    mkdirSync(path.join(p.dir, 'models'));
    writeFileSync(path.join(p.dir, 'models', 'm.ts'), `import { integer, table, text } from 'retort-migrate';
export const docs = table('docs', { id: integer().primaryKey(), body: text() });
`);
    await p.query(`CREATE TABLE docs (id integer PRIMARY KEY, body text)`);
    await p.query(`CREATE VIRTUAL TABLE docs_fts USING fts5(body, content='docs', content_rowid='id')`);
    await p.query(`CREATE VIRTUAL TABLE places USING rtree(id, min_x, max_x)`);
    const check = await p.retort('check');
    assert.equal(check.code, 0, check.stdout + check.stderr);
    const auto = await p.retort('revision', '--autogenerate', '-m', 'nothing');
    assert.equal(auto.code, 0, auto.stderr);
    assert.match(auto.stdout, /No changes detected/);
    assert.ok((await p.tables()).includes('docs_fts_data'), 'the shadow tables are still there');
  } finally {
    await p.cleanup();
  }
});

for (const dialect of DIALECTS) {
  test(`check says when the database is behind head, and fails (${dialect})`, async () => {
    const p = await createProject(dialect);
    try {
      mkdirSync(path.join(p.dir, 'models'));
      writeFileSync(path.join(p.dir, 'models', 'm.ts'), `import { integer, table } from 'retort-migrate';\nexport const t = table('t', { id: integer().primaryKey() });\n`);
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      const heads = (await p.retort('heads')).stdout.trim().split(/\s/)[0]!;
      assert.equal((await p.retort('downgrade', '-1')).code, 0);
      const at = (await p.retort('current')).stdout.trim().split(/\s/)[0]!;
      const behind = await p.retort('check');
      assert.equal(behind.code, 1, behind.stdout + behind.stderr);
      assert.equal(behind.stderr, "", behind.stderr);
      assert.match(behind.stdout, new RegExp(`^not up to date: the database is at ${at}, head is ${heads} \\(run \`retort upgrade head\`\\)$`, 'm'));
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      const after = await p.retort('check');
      assert.doesNotMatch(after.stdout, /not up to date/);
    } finally {
      await p.cleanup();
    }
  });
}

test('SQLite: unnamed CHECKs are named as PostgreSQL names them (t_lo_check, t_lo_check1; t_a_check at table level; t_check over two columns), so dropping them and downgrading brings back all', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    mkdirSync(path.join(p.dir, 'models'));
    const model = (checks: string) => `import { check, integer, sql, table } from 'retort-migrate';
export const t = table('t', { id: integer().primaryKey(), lo: integer(), a: integer(), b: integer() }, () => [${checks}]);
`;
    const all = "check('t_lo_check', sql`lo > -100`), check('t_lo_check1', sql`lo < 100`), check('t_a_check', sql`a > 0`), check('t_b_check', sql`length('b') < b`), check('t_check', sql`a < b`), check('t_check1', sql`lo + a > 0`)";
    writeFileSync(path.join(p.dir, 'models', 'm.ts'), model(all));
    await p.query(`CREATE TABLE t (id integer PRIMARY KEY, lo integer CHECK (lo > -100) CHECK (lo < 100), a integer, b integer, CHECK (a > 0), CHECK (length('b') < "b"), CHECK (a < b), CHECK (lo + a > 0))`);
    const check = await p.retort('check');
    assert.equal(check.code, 0, check.stdout + check.stderr);
    writeFileSync(path.join(p.dir, 'models', 'm.ts'), model(''));
    const auto = await p.retort('revision', '--autogenerate', '-m', 'drop checks');
    assert.equal(auto.code, 0, auto.stderr);
    assert.equal((await p.retort('upgrade', 'head')).code, 0);
    const down = await p.retort('downgrade', 'base');
    assert.equal(down.code, 0, down.stderr);
    const [row] = await p.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 't'`);
    for (const e of ['lo > -100', 'lo < 100', 'a > 0', "length('b') < b", 'a < b', 'lo + a > 0']) assert.ok(row!.sql.includes(e), `${e} is back: ${row!.sql}`);
    writeFileSync(path.join(p.dir, 'models', 'm.ts'), model(all));
    assert.match((await p.retort('check')).stdout, /^The schema matches the models, but see above\.$/m, 'at base, behind head, with the four checks back');
  } finally {
    await p.cleanup();
  }
});

for (const dialect of DIALECTS) {
  test(`autogenerate warns when one revision creates more tables than PostgreSQL can lock in a transaction (${dialect})`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      mkdirSync(path.join(p.dir, 'models'));
      const tables = Array.from({ length: 801 }, (_, i) => `export const t${i} = table('t${i}', { id: integer().primaryKey() });`).join('\n');
      writeFileSync(path.join(p.dir, 'models', 'm.ts'), `import { integer, table } from 'retort-migrate';\n${tables}\n`);
      const r = await p.retort('revision', '--autogenerate', '-m', 'all');
      assert.equal(r.code, 0, r.stderr);
      if (dialect === 'postgresql') assert.match(r.stderr, /warning: the revision creates 801 tables in one transaction; PostgreSQL with default settings locks about 800: .*Split its upgrade/);
      else assert.doesNotMatch(r.stderr, /tables in one transaction/, 'SQLite has no such limit');
    } finally {
      await p.cleanup();
    }
  });
}
