/**
 * Model files a new user gets wrong (issue 23): a file under the models folder that no glob reads, and a table
 * declared without `export`, each get a warning instead of a silent "No changes detected"; -v on autogenerate
 * and check lists the model files read and what each holds. A clean project gets no warning, and nothing
 * changes the exit codes.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createProject, DIALECTS } from './helpers/project.js';
import { repoRoot } from './helpers/cli.js';
import { declareTable, recordDeclaredTables, table } from '../src/models/dsl.js';
import { serial } from '../src/models/builders.js';
import { OperationRecorder } from '../src/operations/op-api.js';

const UNEXPORTED = /^warning: table "audit" is declared in a model file but not exported, so autogenerate ignores it: export it \(export const audit = table\(\.\.\.\)\)$/m;
const UNMATCHED = /^warning: models\/tags\.mts is not read: no `models` glob matches it \(add e\.g\. 'models\/\*\*\/\*\.\{ts,mts\}' to models in retort\.config\.ts\)$/m;
const count = (text: string, re: RegExp) => text.split('\n').filter((l) => re.test(l)).length;

test('table() records names only while models are collected; op.createTable and declareTable record none', () => {
  table('before', { id: serial() });
  const stop = recordDeclaredTables();
  table('users', { id: serial() });
  declareTable('internal', { id: serial() });
  const recorder = new OperationRecorder({ quoteIdentifier: (n) => `"${n}"`, quoteLiteral: (v) => `'${v}'` });
  recorder.op.createTable('from_revision', { id: serial().primaryKey() });
  recorder.op.addColumn('from_revision', 'x', serial());
  assert.deepEqual(stop(), ['users']);
  table('after', { id: serial() });
  assert.deepEqual(stop(), ['users'], 'recording stopped');
});

for (const dialect of DIALECTS) {
  describe(`model files on ${dialect}`, () => {
    test('a project like migrations-example gets no warning; -v lists each model file with its tables and enums', async () => {
      const p = await createProject(dialect, { empty: true });
      try {
        for (const part of ['models', 'migrations']) cpSync(path.join(repoRoot, 'migrations-example', part), path.join(p.dir, part), { recursive: true });
        const up = await p.retort('upgrade', 'head');
        assert.equal(up.code, 0, up.stderr);
        const check = await p.retort('check', '-v');
        assert.equal(check.code, 0, check.stderr);
        assert.match(check.stdout, /No changes detected/);
        assert.match(check.stderr, /^models\/blog\.ts: users, profiles, posts.*, enum genderenum$/m);
        assert.match(check.stderr, /^models\/shop\.ts: products, orders/m);
        assert.doesNotMatch(check.stderr, /warning:/);
        const gen = await p.retort('revision', '--autogenerate', '-m', 'nothing', '--verbose');
        assert.equal(gen.code, 0, gen.stderr);
        assert.match(gen.stdout, /^No changes detected$/m);
        assert.match(gen.stderr, /^models\/blog\.ts: /m);
        assert.doesNotMatch(gen.stderr, /warning:/);
        // Without -v, nothing is listed.
        const quiet = await p.retort('check');
        assert.equal(quiet.code, 0, quiet.stderr);
        assert.equal(quiet.stderr, '');
      } finally {
        await p.cleanup();
      }
    });

    test('an unexported table and a .mts file the glob misses are each warned about once; exporting and widening the glob clears both', async () => {
      const p = await createProject(dialect, { empty: true });
      try {
        const models = path.join(p.dir, 'models');
        mkdirSync(models);
        // users.ts is imported by posts.ts, so it loads first, inside posts.ts's load: its table counts all the same.
        // A helper beside the models that a model imports is read (as its import): no warning, though no glob matches it.
        writeFileSync(path.join(models, 'posts.ts'), `import { integer, serial, table } from 'retort-migrate';\nimport { users } from './users';\nimport { key } from './columns.mjs';\nexport const posts = table('posts', { id: key(), user_id: integer().references(() => users.columns.id) });\n`);
        writeFileSync(path.join(models, 'columns.mts'), `import { serial } from 'retort-migrate';\nexport const key = () => serial().primaryKey();\n`);
        writeFileSync(path.join(models, 'users.ts'), `import { serial, table, text } from 'retort-migrate';\nexport const users = table('users', { id: serial().primaryKey() });\nconst audit = table('audit', { id: serial().primaryKey(), what: text() });\n`);
        writeFileSync(path.join(models, 'tags.mts'), `import { serial, table } from 'retort-migrate';\nexport const tags = table('tags', { id: serial().primaryKey() });\n`);
        // Neither a declaration file nor a file that is not source is a model file.
        writeFileSync(path.join(models, 'types.d.ts'), `export type Id = number;\n`);
        writeFileSync(path.join(models, 'README.md'), `# models\n`);

        const gen = await p.retort('revision', '--autogenerate', '-m', 'first', '-v');
        assert.equal(gen.code, 0, gen.stderr);
        assert.match(gen.stdout, /^Generating migrations\/\w+_first\.ts \.\.\. done$/m);
        assert.equal(count(gen.stderr, UNEXPORTED), 1, gen.stderr);
        assert.equal(count(gen.stderr, UNMATCHED), 1, gen.stderr);
        assert.equal(count(gen.stderr, /^warning:/), 2, gen.stderr);
        assert.match(gen.stderr, /^models\/posts\.ts: posts$/m);
        assert.match(gen.stderr, /^models\/users\.ts: users$/m);
        assert.doesNotMatch(gen.stderr, /^models\/tags\.mts:/m);
        assert.match(gen.stderr, /^  \+ table users$/m);
        assert.doesNotMatch(gen.stderr, /\+ table (audit|tags)/);

        // upgrade reads no models and says nothing about them; the revision it runs uses op.createTable.
        const up = await p.retort('upgrade', 'head');
        assert.equal(up.code, 0, up.stderr);
        assert.doesNotMatch(up.stderr, /warning:/);
        assert.deepEqual(await p.tables(), ['posts', 'users']);

        // check: the database matches what is read, so exit 0, with the warnings all the same.
        const check = await p.retort('check');
        assert.equal(check.code, 0, check.stderr);
        assert.match(check.stdout, /No changes detected/);
        assert.equal(count(check.stderr, UNEXPORTED), 1, check.stderr);
        assert.equal(count(check.stderr, UNMATCHED), 1, check.stderr);
        assert.doesNotMatch(check.stderr, /^models\/users\.ts:/m, 'no listing without -v');
        const nothing = await p.retort('revision', '--autogenerate', '-m', 'again');
        assert.equal(nothing.code, 0, nothing.stderr);
        assert.match(nothing.stdout, /^No changes detected$/m);
        assert.equal(count(nothing.stderr, /^warning:/), 2, nothing.stderr);

        // Done as the warnings say: both tables are read, the warnings are gone, and check reports the difference.
        writeFileSync(path.join(models, 'users.ts'), `import { serial, table, text } from 'retort-migrate';\nexport const users = table('users', { id: serial().primaryKey() });\nexport const audit = table('audit', { id: serial().primaryKey(), what: text() });\n`);
        writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/**/*.{ts,mts}'] });\n`);
        const fixed = await p.retort('check', '-v');
        assert.equal(fixed.code, 1, fixed.stderr);
        assert.match(fixed.stdout, /^  \+ table audit$/m);
        assert.match(fixed.stdout, /^  \+ table tags$/m);
        assert.match(fixed.stderr, /^models\/tags\.mts: tags$/m);
        assert.match(fixed.stderr, /^models\/users\.ts: users, audit$/m);
        assert.doesNotMatch(fixed.stderr, /warning:/);
      } finally {
        await p.cleanup();
      }
    });
  });
}

test('a model under a subfolder of a glob fixed to src/db/ is named, with a glob that reads it; a glob fixed to no folder warns about nothing', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    const db = path.join(p.dir, 'src', 'db');
    mkdirSync(path.join(db, 'billing'), { recursive: true });
    writeFileSync(path.join(db, 'users.ts'), `import { serial, table } from 'retort-migrate';\nexport const users = table('users', { id: serial().primaryKey() });\n`);
    writeFileSync(path.join(db, 'billing', 'invoices.ts'), `import { serial, table } from 'retort-migrate';\nexport const invoices = table('invoices', { id: serial().primaryKey() });\n`);
    writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: 'src/db/*.ts' });\n`);
    const check = await p.retort('check', '-v');
    assert.equal(check.code, 1, check.stderr);
    assert.match(check.stderr, /^src\/db\/users\.ts: users$/m);
    assert.match(check.stderr, /^warning: src\/db\/billing\/invoices\.ts is not read: no `models` glob matches it \(add e\.g\. 'src\/db\/\*\*\/\*\.ts' to models in retort\.config\.ts\)$/m);
    assert.equal(count(check.stderr, /^warning:/), 1, check.stderr);

    // `*.model.ts` beside the config is fixed to the project folder itself: its other files (the config, revisions, src/) are no strays.
    writeFileSync(path.join(p.dir, 'users.model.ts'), `import { serial, table } from 'retort-migrate';\nexport const users = table('users', { id: serial().primaryKey() });\n`);
    writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: '*.model.ts' });\n`);
    const root = await p.retort('check', '-v');
    assert.equal(root.code, 1, root.stderr);
    assert.match(root.stderr, /^users\.model\.ts: users$/m);
    assert.doesNotMatch(root.stderr, /warning:/);
  } finally {
    await p.cleanup();
  }
});

test('when no model file matches, the error names the file the glob misses; -v without --autogenerate is a usage error', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    mkdirSync(path.join(p.dir, 'models'));
    writeFileSync(path.join(p.dir, 'models', 'tags.mts'), `import { serial, table } from 'retort-migrate';\nexport const tags = table('tags', { id: serial().primaryKey() });\n`);
    const gen = await p.retort('revision', '--autogenerate', '-m', 'x');
    assert.equal(gen.code, 1, gen.stderr);
    assert.match(gen.stderr, /^error: no model files match models\/\*\.ts/m);
    assert.match(gen.stderr, /models\/tags\.mts is not read: add e\.g\. 'models\/\*\*\/\*\.\{ts,mts\}' to models in retort\.config\.ts/);
    const plain = await p.retort('revision', '-m', 'x', '-v');
    assert.equal(plain.code, 2, plain.stderr);
    assert.match(plain.stderr, /-v\/--verbose goes with --autogenerate/);
  } finally {
    await p.cleanup();
  }
});

for (const dialect of DIALECTS) {
  test(`a text default its number or boolean column cannot hold is one MODEL error, and no revision is written (${dialect})`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      mkdirSync(path.join(p.dir, 'models'));
      writeFileSync(path.join(p.dir, 'models', 'people.ts'), `import { boolean, integer, serial, table } from 'retort-migrate';\nexport const people = table('people', { id: serial().primaryKey(), age: integer().notNull().serverDefault('abc'), ok: boolean().serverDefault('t') });\n`);
      for (const args of [['check'], ['revision', '--autogenerate', '-m', 'people']]) {
        const r = await p.retort(...args);
        assert.equal(r.code, 1, r.stdout + r.stderr);
        assert.match(r.stderr, /^error: \S*models\/people\.ts: people\.age has server default 'abc', which is not an integer$/m);
        assert.match(r.stderr, /^hint: give an integer \(serverDefault\(0\)\), or write the default as SQL: serverDefault\(sql`\.\.\.`\)$/m);
        assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
      }
      assert.deepEqual(readdirSync(path.join(p.dir, 'migrations')), [], 'no revision written');
      // Fixed as the hint says, the same model autogenerates and applies.
      writeFileSync(path.join(p.dir, 'models', 'people.ts'), `import { boolean, integer, serial, table } from 'retort-migrate';\nexport const people = table('people', { id: serial().primaryKey(), age: integer().notNull().serverDefault(0), ok: boolean().serverDefault('t') });\n`);
      assert.equal((await p.retort('revision', '--autogenerate', '-m', 'people')).code, 0);
      const up = await p.retort('upgrade', 'head');
      assert.equal(up.code, 0, up.stderr);
      assert.equal((await p.retort('check')).code, 0);
    } finally {
      await p.cleanup();
    }
  });
}
