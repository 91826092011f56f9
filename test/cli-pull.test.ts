// `retort pull` end to end through the CLI, on both dialects: the example schema (with references in cycles,
// deferrable keys, index methods, INCLUDE, partial and expression indexes, generated columns, a view, a
// materialized view with its index) pulled, checked clean, rebuilt from the models to the same dump, compiled
// under tsc --strict; objects the models cannot declare listed; --dry-run, --force, --json; a baseline on a
// database Alembic managed; the spellings Django, Rails, Prisma and SQLAlchemy write on SQLite; and a query count
// that does not grow with the tables.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { createProject, DIALECTS, type DialectName, type TestProject } from './helpers/project.js';
import { pgSchemaDump } from './helpers/pull-roundtrip.js';
import { tscStrict } from './helpers/tsc.js';
import { repoRoot, runCli } from './helpers/cli.js';
import { createPgDatabase, tempDir } from './helpers/db.js';

const projects: TestProject[] = [];
const cleanups: (() => void)[] = [];
after(async () => {
  for (const p of projects) await p.cleanup();
  for (const c of cleanups) c();
});

async function project(dialect: DialectName, empty = false): Promise<TestProject> {
  const p = await createProject(dialect, { empty });
  projects.push(p);
  return p;
}

const sqliteFile = (p: TestProject) => path.join(p.dir, 'test.db');
// PostgreSQL: pg_dump's text. SQLite keeps each CREATE as it was typed, and Retort types its own (quoted names, named
// constraints), so a schema written by hand compares by what SQLite reports of it (sqliteShape); the property test
// compares the CREATE texts of schemas Retort wrote.
const dump = (p: TestProject, without: readonly string[] = []) => (p.dialect === 'sqlite' ? JSON.stringify(sqliteShape(sqliteFile(p), without), null, 1) : pgSchemaDump(p.url, without));

async function exec(p: TestProject, statements: readonly string[]): Promise<void> {
  for (const s of statements) await p.query(s);
}

function ok(r: { code: number | null; stdout: string; stderr: string }, what: string): void {
  assert.equal(r.code, 0, `${what}: exit ${r.code}\n${r.stdout}\n${r.stderr}`);
}

/** Declarable objects beyond the example's, in each dialect's SQL. */
const EXTRAS: Record<DialectName, string[]> = {
  postgresql: [
    'CREATE TABLE employees (id serial PRIMARY KEY, boss_id integer REFERENCES employees (id) DEFERRABLE INITIALLY DEFERRED, name text NOT NULL, tags text[], search tsvector, salary numeric(12,2), bonus numeric GENERATED ALWAYS AS (salary * 0.1) STORED)',
    "COMMENT ON TABLE employees IS 'people'",
    "COMMENT ON COLUMN employees.name IS 'full name'",
    'CREATE INDEX employees_search ON employees USING gin (search)',
    'CREATE INDEX employees_name_incl ON employees (name) INCLUDE (salary)',
    'CREATE UNIQUE INDEX employees_lower_name ON employees (lower(name)) WHERE boss_id IS NOT NULL',
    'CREATE TABLE "Team Members" (a_id integer PRIMARY KEY, b_id integer, "select" text, CONSTRAINT positive CHECK (a_id > 0))',
    'CREATE TABLE teams (id integer PRIMARY KEY, lead_id integer REFERENCES "Team Members" (a_id) ON DELETE SET NULL ON UPDATE CASCADE)',
    'ALTER TABLE "Team Members" ADD CONSTRAINT team_fk FOREIGN KEY (b_id) REFERENCES teams (id)',
    'CREATE SEQUENCE invoice_numbers',
    'CREATE TABLE tickets (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY)',
    "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'",
    'CREATE TRIGGER employees_touch BEFORE UPDATE ON employees FOR EACH ROW EXECUTE FUNCTION touch()',
    // Domains are declared (domain()), with a column of one.
    'CREATE DOMAIN positive_int AS integer CHECK (VALUE > 0)',
    'ALTER TABLE tickets ADD COLUMN seats positive_int',
    'CREATE VIEW bosses AS SELECT * FROM employees WHERE boss_id IS NULL',
    'CREATE MATERIALIZED VIEW team_sizes AS SELECT lead_id, count(*) AS n FROM teams GROUP BY lead_id WITH NO DATA',
    'CREATE UNIQUE INDEX team_sizes_lead ON team_sizes (lead_id)',
  ],
  sqlite: [
    'CREATE TABLE employees (id INTEGER PRIMARY KEY AUTOINCREMENT, boss_id INTEGER REFERENCES employees (id) DEFERRABLE INITIALLY DEFERRED, name TEXT NOT NULL COLLATE NOCASE, salary NUMERIC(12,2), bonus NUMERIC GENERATED ALWAYS AS (salary * 0.1) STORED)',
    'CREATE UNIQUE INDEX employees_lower_name ON employees (lower(name)) WHERE boss_id IS NOT NULL',
    'CREATE TABLE "Team Members" (a_id INTEGER PRIMARY KEY, b_id INTEGER REFERENCES teams (id), "select" TEXT, CONSTRAINT positive CHECK (a_id > 0))',
    'CREATE TABLE teams (id INTEGER PRIMARY KEY, lead_id INTEGER REFERENCES "Team Members" (a_id) ON DELETE SET NULL ON UPDATE CASCADE)',
    'CREATE TRIGGER employees_touch AFTER UPDATE ON employees BEGIN SELECT 1; END',
    'CREATE VIEW bosses AS SELECT * FROM employees WHERE boss_id IS NULL',
  ],
};

/** Objects the models cannot declare, and how the pull output names one of each. */
const UNDECLARABLE: Record<DialectName, { sql: string[]; listed: string[] }> = {
  postgresql: {
    sql: [
      'CREATE FUNCTION one() RETURNS integer LANGUAGE sql BEGIN ATOMIC SELECT 1; END',
      'CREATE TYPE floatrange AS RANGE (subtype = float8)',
    ],
    listed: ['function with a SQL-standard body: one()', 'range type: floatrange'],
  },
  sqlite: {
    sql: ['CREATE VIRTUAL TABLE places USING rtree(id, min_x, max_x)'],
    listed: ['virtual table: places'],
  },
};

for (const dialect of DIALECTS) {
  describe(`retort pull (${dialect})`, () => {
    test('the example schema and more: pull, check clean, rebuilt from the models to the same dump, compiles under tsc --strict', async () => {
      const p = await project(dialect);
      ok(await p.retort('upgrade', 'head'), 'upgrade');
      await exec(p, EXTRAS[dialect]);
      const before = dump(p);
      await exec(p, UNDECLARABLE[dialect].sql);

      const pulled = await p.retort('pull');
      ok(pulled, 'pull');
      const file = path.join(p.dir, 'models', 'schema.ts');
      const source = readFileSync(file, 'utf8');
      for (const listed of UNDECLARABLE[dialect].listed) {
        assert.ok(pulled.stdout.includes(`  ${listed}\n`), `pull lists ${listed}:\n${pulled.stdout}`);
        assert.ok(source.includes(`//   ${listed}\n`), `the model file names ${listed} in a comment`);
      }
      // Read as a person would have written it: variables from the names, arrow references, enums as enums.
      assert.match(source, /export const teamMembers = table\('Team Members', \{/);
      assert.match(source, /export const genderenum = enumType\('genderenum', \['MALE', 'FEMALE', 'UNDEFINED'\]\);/);
      assert.match(source, /user_id: integer\(\)\.notNull\(\)\.unique\(\)\.references\(\(\) => users\.columns\.id, \{ onDelete: 'cascade' \}\)/);
      // Triggers (and on PostgreSQL their functions) are declared.
      assert.match(source, /export const employeesEmployeesTouch = trigger\('employees_touch', \{ on: employees, timing: '(before|after)', events: \['update'\], forEachRow: true, /);
      if (dialect === 'postgresql') assert.match(source, /export const touch = fn\('touch', \{ returns: 'trigger', language: 'plpgsql' \}, sql`BEGIN RETURN NEW; END`\);[\s\S]*execute: touch \}/);
      assert.match(source, /boss_id: integer\(\)\.references\(\(\): ColumnRef => employees\.columns\.id, \{ deferrable: 'deferred' \}\)/);
      // Views are declared (with the text the database gives back), and a materialized view with its index.
      assert.match(source, /export const bosses = view\('bosses', sql`/);
      assert.doesNotMatch(pulled.stdout + source, /view: bosses/);
      if (dialect === 'postgresql') assert.match(source, /export const teamSizes = materializedView\('team_sizes', sql`[^`]*`, \{ withData: false \}, \(m\) => \[\n {2}uniqueIndex\('team_sizes_lead'\)\.on\(m\.lead_id\),\n\]\);/);
      const check = await p.retort('check');
      ok(check, 'check after pull');
      assert.match(check.stdout, /No changes detected/);

      // The same files split per table, compiled with the first ones under tsc --strict.
      ok(await p.retort('pull', '--split', 'table', '--out', 'split'), 'pull --split table');
      assert.ok(existsSync(path.join(p.dir, 'split', 'employees.ts')) && existsSync(path.join(p.dir, 'split', 'index.ts')));
      assert.match(readFileSync(path.join(p.dir, 'split', 'profiles.ts'), 'utf8'), /import \{ genderenum \} from '\.\/enums\.js';/);
      const compiled = tscStrict(p.dir, ['models/*.ts', 'split/*.ts']);
      assert.equal(compiled.status, 0, compiled.output);

      // An empty database built from the pulled models dumps as the original did.
      const q = await project(dialect, true);
      cpSync(path.join(p.dir, 'models'), path.join(q.dir, 'models'), { recursive: true });
      ok(await q.retort('revision', '--autogenerate', '-m', 'from pulled models'), 'autogenerate');
      ok(await q.retort('upgrade', 'head'), 'upgrade from pulled models');
      assert.equal(dump(q), before);
    });

    test('--baseline on a database Alembic managed: one revision, stamped, the next autogenerate empty, the baseline rebuilds the schema', async () => {
      const p = await project(dialect, true);
      await exec(p, EXTRAS[dialect]);
      await exec(p, ['CREATE TABLE alembic_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)', "INSERT INTO alembic_version VALUES ('1975ea83b712')"]);
      const before = dump(p, ['alembic_version']);
      const r = await p.retort('pull', '--baseline', '-m', 'baseline');
      ok(r, 'pull --baseline');
      assert.match(r.stderr, /alembic_version at 1975ea83b712/);
      assert.match(r.stdout, /Wrote baseline revision (\w+) .*the database is stamped at it/);
      const rev = /Wrote baseline revision (\w+)/.exec(r.stdout)![1]!;
      assert.deepEqual(await p.query('SELECT version_num FROM alembic_version'), [{ version_num: '1975ea83b712' }]);
      assert.doesNotMatch(readFileSync(path.join(p.dir, 'models', 'schema.ts'), 'utf8'), /alembic/);
      assert.match((await p.retort('current')).stdout, new RegExp(`${rev} \\(head\\)`));
      const next = await p.retort('revision', '--autogenerate', '-m', 'next');
      ok(next, 'autogenerate after baseline');
      assert.match(next.stdout, /No changes detected/);
      assert.equal(readdirSync(path.join(p.dir, 'migrations')).filter((f) => f.endsWith('.ts')).length, 1);

      const q = await project(dialect, true);
      cpSync(path.join(p.dir, 'migrations'), path.join(q.dir, 'migrations'), { recursive: true });
      ok(await q.retort('upgrade', 'head'), 'baseline upgrade on a fresh database');
      assert.equal(dump(q), before);
    });
  });
}

for (const dialect of DIALECTS) {
  describe(`retort init --from-db (${dialect})`, () => {
    test('a new project for the database: config with its URL, pulled models, a stamped baseline; check clean; the baseline rebuilds the schema', async () => {
      const p = await project(dialect, true);
      await exec(p, EXTRAS[dialect]);
      const before = dump(p);
      const { dir: work, cleanup } = tempDir();
      cleanups.push(cleanup);
      // A relative SQLite URL names the file from the working folder; the config (in app/) gets it relative to itself.
      const url = dialect === 'sqlite' ? `sqlite:///${path.relative(work, sqliteFile(p))}` : p.url;
      const r = await runCli(['init', 'app', '--from-db', url, '-m', 'adopt'], { cwd: work });
      ok(r, 'init --from-db');
      const app = path.join(work, 'app');
      assert.match(r.stdout, /created app\/retort\.config\.ts/);
      assert.match(r.stdout, /Wrote baseline revision (\w+) .*the database is stamped at it/);
      assert.ok(existsSync(path.join(app, 'models', 'schema.ts')) && !existsSync(path.join(app, 'models', 'index.ts')), 'the pulled models, not the example');
      const config = readFileSync(path.join(app, 'retort.config.ts'), 'utf8');
      assert.ok(config.includes(`url: '${dialect === 'sqlite' ? `sqlite:///${path.relative(app, sqliteFile(p))}` : p.url}',`), config);
      assert.equal(readdirSync(path.join(app, 'migrations')).filter((f) => f.endsWith('_adopt.ts')).length, 1);
      mkdirSync(path.join(app, 'node_modules'));
      symlinkSync(repoRoot, path.join(app, 'node_modules', 'retort-migrate'), 'dir');
      // The project's own config names the database from here on.
      const check = await runCli(['check'], { cwd: app });
      ok(check, 'check in the new project');
      assert.match(check.stdout, /No changes detected/);
      assert.match((await runCli(['current'], { cwd: app })).stdout, /\(head\)/);

      const q = await project(dialect, true);
      cpSync(path.join(app, 'migrations'), path.join(q.dir, 'migrations'), { recursive: true });
      ok(await q.retort('upgrade', 'head'), 'baseline upgrade on a fresh database');
      assert.equal(dump(q), before);
    });
  });
}

test('retort init --from-db: the URL single-quoted and escaped as the rest of the config; --exclude as pull; --exclude alone refused', async () => {
  const p = await project('sqlite', true);
  await exec(p, ['CREATE TABLE keep (id INTEGER PRIMARY KEY)', 'CREATE TABLE legacy_x (id INTEGER PRIMARY KEY)']);
  const { dir: work, cleanup } = tempDir();
  cleanups.push(cleanup);
  cpSync(sqliteFile(p), path.join(work, "it's.db"));
  ok(await runCli(['init', 'app', '--from-db', "sqlite:///it's.db", '--exclude', 'legacy_*'], { cwd: work }), 'init --from-db --exclude');
  const app = path.join(work, 'app');
  const config = readFileSync(path.join(app, 'retort.config.ts'), 'utf8');
  assert.ok(config.includes("url: 'sqlite:///../it\\'s.db',"), config);
  assert.doesNotMatch(config, /"/);
  assert.match(config, /exclude: \[[^\]]*'legacy_\*',/);
  const models = readFileSync(path.join(app, 'models', 'schema.ts'), 'utf8');
  assert.match(models, /table\('keep'/);
  assert.doesNotMatch(models, /legacy_x/);
  mkdirSync(path.join(app, 'node_modules'));
  symlinkSync(repoRoot, path.join(app, 'node_modules', 'retort-migrate'), 'dir');
  const check = await runCli(['check'], { cwd: app });
  ok(check, 'check in the new project (the escaped URL names the file)');
  assert.match(check.stdout, /No changes detected/);
  const alone = await runCli(['init', 'other', '--exclude', 'x'], { cwd: work });
  assert.notEqual(alone.code, 0);
  assert.match(alone.stderr, /^error: --exclude is an option of init --from-db/);
  assert.doesNotMatch(alone.stderr, /\n\s+at /);
  assert.equal(existsSync(path.join(work, 'other')), false);
});

test('retort init --from-db with a database it cannot read: one line, non-zero exit, and nothing left behind to block a second run', async () => {
  const { dir: work, cleanup } = tempDir();
  cleanups.push(cleanup);
  const r = await runCli(['init', 'app', '--from-db', 'postgresql://postgres@127.0.0.1:1/nope'], { cwd: work });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /^error: /);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  assert.equal(existsSync(path.join(work, 'app', 'retort.config.ts')), false);
  assert.equal(existsSync(path.join(work, 'app', 'migrations')), false);
});

test('retort init --from-db on a database another Retort history stamped: one line naming the revision, nothing written', async () => {
  const p = await project('sqlite', true);
  await exec(p, ['CREATE TABLE keep (id INTEGER PRIMARY KEY)', 'CREATE TABLE retort_version (version_num VARCHAR(32) NOT NULL PRIMARY KEY)', "INSERT INTO retort_version VALUES ('0123456789ab')"]);
  const { dir: work, cleanup } = tempDir();
  cleanups.push(cleanup);
  cpSync(sqliteFile(p), path.join(work, 'app.db'));
  const r = await runCli(['init', 'app', '--from-db', 'sqlite:///app.db'], { cwd: work });
  assert.notEqual(r.code, 0);
  assert.match(r.stderr, /^error: --baseline: the database is already at revision 0123456789ab of a Retort history/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
  for (const f of ['retort.config.ts', 'models', 'migrations']) assert.equal(existsSync(path.join(work, 'app', f)), false, f);
});

describe('retort pull: --dry-run, --force, --json, bad input', () => {
  test('--dry-run writes nothing; an existing file is refused without --force; --force overwrites; --json is one document', async () => {
    const p = await project('sqlite');
    ok(await p.retort('upgrade', 'head'), 'upgrade');
    const dry = await p.retort('pull', '--dry-run');
    ok(dry, 'dry run');
    assert.match(dry.stdout, /\/\/ ---- models\/schema\.ts\n/);
    assert.match(dry.stdout, /export const users = table\('users'/);
    assert.equal(existsSync(path.join(p.dir, 'models')), false);

    ok(await p.retort('pull'), 'pull');
    const file = path.join(p.dir, 'models', 'schema.ts');
    writeFileSync(file, '// mine\n');
    const refused = await p.retort('pull');
    assert.equal(refused.code, 1);
    assert.equal(refused.stderr.split('\n')[0], 'error: models/schema.ts already exists; not overwriting model files');
    assert.match(refused.stderr, /--force/);
    assert.doesNotMatch(refused.stderr, /\n\s+at /);
    assert.equal(readFileSync(file, 'utf8'), '// mine\n');

    const json = await p.retort('pull', '--force', '--json');
    ok(json, 'pull --force --json');
    const doc = JSON.parse(json.stdout) as { schemaVersion: number; command: string; files: { file: string; replaced: boolean }[]; tables: number };
    assert.equal(doc.schemaVersion, 1);
    assert.equal(doc.command, 'pull');
    assert.deepEqual(doc.files.map((f) => [path.basename(f.file), f.replaced]), [['schema.ts', true]]);
    assert.equal(doc.tables, 4);
    assert.match(readFileSync(file, 'utf8'), /export const users = table/);
    assert.equal(readdirSync(path.join(p.dir, 'models')).filter((f) => f.startsWith('.')).length, 0, 'no temporary file left');

    const bad = await p.retort('pull', '--split', 'tables');
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--split/);
    const noMessage = await p.retort('pull', '--baseline', '--force');
    assert.equal(noMessage.code, 2);
    assert.match(noMessage.stderr, /^error: --baseline needs a message/);
    const onRevisions = await p.retort('pull', '--baseline', '-m', 'b', '--force');
    assert.equal(onRevisions.code, 2);
    assert.match(onRevisions.stderr, /already has revisions/);
  });

  test('--schema reads another PostgreSQL schema; --split schema names the file after it; the project\'s prettier formats the files', async () => {
    const p = await project('postgresql', true);
    await exec(p, ['CREATE SCHEMA billing', 'CREATE TABLE billing.accounts (id serial PRIMARY KEY)', 'CREATE TABLE billing.invoices (id serial PRIMARY KEY, account_id integer NOT NULL REFERENCES billing.accounts)', 'CREATE TABLE public.elsewhere (id integer)']);
    // A stand-in for the project's prettier: resolved from the project's folder, it formats before anything is written.
    const prettier = path.join(p.dir, 'node_modules', 'prettier');
    mkdirSync(prettier);
    writeFileSync(path.join(prettier, 'package.json'), '{ "name": "prettier", "main": "index.js" }\n');
    writeFileSync(path.join(prettier, 'index.js'), "exports.format = async (s, o) => '// formatted as ' + o.parser + '\\n' + s;\nexports.resolveConfig = async () => ({});\n");
    const r = await p.retort('pull', '--schema', 'billing', '--split', 'schema');
    ok(r, 'pull --schema billing');
    assert.match(r.stderr, /set `schema: 'billing'` in the config/);
    assert.match(r.stdout, /formatted with prettier/);
    const source = readFileSync(path.join(p.dir, 'models', 'billing.ts'), 'utf8');
    assert.match(source, /^\/\/ formatted as typescript\n/);
    assert.match(source, /account_id: integer\(\)\.notNull\(\)\.references\(\(\) => accounts\.columns\.id\)/);
    assert.doesNotMatch(source, /elsewhere/);
    writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'], schema: 'billing' });\n`);
    const check = await p.retort('check');
    ok(check, 'check against schema billing');
    assert.match(check.stdout, /No changes detected/);
    const missing = await p.retort('pull', '--schema', 'nope', '--dry-run');
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /^error: cannot use schema "nope"/);
  });

  test('a table the DSL cannot declare is left out, named, and added to the config\'s exclude, so check stays clean', async () => {
    const p = await project('postgresql', true);
    await exec(p, ['CREATE TABLE odd ("__proto__" integer PRIMARY KEY)', 'CREATE TABLE fine (id integer PRIMARY KEY, odd_id integer REFERENCES odd)', 'CREATE TABLE plain (id integer PRIMARY KEY)']);
    const r = await p.retort('pull');
    ok(r, 'pull');
    assert.match(r.stderr, /not declared: fine, odd \(tables or views.*added to `exclude`/);
    assert.match(readFileSync(path.join(p.dir, 'retort.config.ts'), 'utf8'), /\/\/ Left out of the models by `retort pull`.*\n  exclude: \[\n    \/\/ a table the models cannot declare exactly\n    'fine',\n    'odd',\n  \],/);
    const source = readFileSync(path.join(p.dir, 'models', 'schema.ts'), 'utf8');
    assert.match(source, /export const plain = table/);
    assert.doesNotMatch(source, /table\('odd'/);
    ok(await p.retort('check'), 'check');
  });

  test('what a table says beyond what the models declare is listed as not declared (PostgreSQL)', async () => {
    const p = await project('postgresql', true);
    await exec(p, [
      'CREATE TABLE t (id integer PRIMARY KEY, code text, n integer) WITH (fillfactor = 70)',
      'ALTER TABLE t ADD CONSTRAINT t_n_positive CHECK (n > 0) NOT VALID',
      'ALTER TABLE t ALTER COLUMN code SET STORAGE EXTERNAL',
      'CREATE STATISTICS t_stats ON id, n FROM t',
      "COMMENT ON SCHEMA public IS 'the shop'",
      // Comments the models have no place for: on an exclusion constraint, a function, a trigger, a policy.
      'CREATE TABLE rooms (id integer PRIMARY KEY, r int4range, CONSTRAINT no_overlap EXCLUDE USING gist (r WITH &&))',
      "COMMENT ON CONSTRAINT no_overlap ON rooms IS 'no double booking'",
      "CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'",
      "CREATE FUNCTION one_more(n integer) RETURNS integer LANGUAGE sql AS 'SELECT n + 1'",
      "COMMENT ON FUNCTION one_more(integer) IS 'n + 1'",
      'CREATE TRIGGER rooms_touch BEFORE UPDATE ON rooms FOR EACH ROW EXECUTE FUNCTION touch()',
      "COMMENT ON TRIGGER rooms_touch ON rooms IS 'on every update'",
      'CREATE POLICY everyone ON rooms USING (true)',
      "COMMENT ON POLICY everyone ON rooms IS 'for now'",
      // Grants, which the models never declare: one summary line.
      'GRANT SELECT ON t, rooms TO PUBLIC',
      'REVOKE ALL ON FUNCTION one_more(integer) FROM PUBLIC',
      'GRANT USAGE ON SCHEMA public TO PUBLIC',
      'GRANT CREATE ON SCHEMA public TO PUBLIC',
    ]);
    const r = await p.retort('pull');
    ok(r, 'pull');
    for (const line of [
      /constraint NOT VALID \(declared as validated\): t\.t_n_positive/,
      /storage parameters fillfactor=70 \(declared without them\): t/,
      /column storage EXTERNAL \(declared as the type's\): t\.code/,
      /extended statistics: t_stats/,
      /schema comment: public/,
      /comment on exclusion constraint \(declared without it\): rooms\.no_overlap/,
      /comment on function \(declared without it\): one_more\(n integer\)/,
      /comment on trigger \(declared without it\): rooms\.rooms_touch/,
      /comment on policy \(declared without it\): rooms\.everyone/,
      /^ {2}grants \(the models declare none: keep them in a revision with op\.execute\): 2 tables, 1 function, 1 schema$/m,
    ]) assert.match(r.stdout + r.stderr, line);
  });

  test('a trigger calling a function of a schema the models do not hold: pull says so and how to include it', async () => {
    const p = await project('postgresql', true);
    await exec(p, [
      'CREATE SCHEMA audit',
      "CREATE FUNCTION audit.log_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$",
      'CREATE TABLE items (id integer PRIMARY KEY)',
      'CREATE TRIGGER items_audit AFTER INSERT ON items FOR EACH ROW EXECUTE FUNCTION audit.log_change()',
    ]);
    const r = await p.retort('pull');
    ok(r, 'pull');
    assert.match(r.stderr, /warning: trigger "items_audit" on "items" calls audit\.log_change, in schema "audit", which the models do not hold: a database built from them lacks it \(add 'audit' to `schemas` in the config and pull again\)/);
    await exec(p, ['DROP SCHEMA audit CASCADE']);
  });

  test('a table with a column of a composite type (which the models cannot create) is left out with the type, so the baseline builds a fresh database', async () => {
    const p = await project('postgresql', true);
    await exec(p, ['CREATE TYPE money_pair AS (amount numeric, currency text)', 'CREATE TABLE prices (id integer PRIMARY KEY, price money_pair, history money_pair[])', 'CREATE TABLE plain (id integer PRIMARY KEY)']);
    const r = await p.retort('pull', '--baseline', '-m', 'baseline');
    ok(r, 'pull');
    assert.match(r.stderr, /not declared: prices/);
    const source = readFileSync(path.join(p.dir, 'models', 'schema.ts'), 'utf8');
    assert.match(source, /composite type: money_pair/);
    assert.doesNotMatch(source, /customType\('money_pair|table\('prices'/);
    ok(await p.retort('check'), 'check');
    // The baseline, run on an empty database, builds what the models declare.
    const fresh = await createPgDatabase('retort_pull_fresh');
    try {
      ok(await p.retort('--url', fresh.url, 'upgrade', 'head'), 'upgrade on a fresh database');
    } finally {
      await fresh.drop();
    }
  });
});

/** SQLite's type affinity of a declared type (https://sqlite.org/datatype3.html, 3.1). */
function affinity(type: string): string {
  const t = type.toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (/CHAR|CLOB|TEXT/.test(t)) return 'TEXT';
  if (t.includes('BLOB') || t === '') return 'BLOB';
  if (/REAL|FLOA|DOUB/.test(t)) return 'REAL';
  return 'NUMERIC';
}

/** What SQLite itself reports of a database's tables: columns (affinity, NOT NULL, default, key), indexes and foreign keys. */
function sqliteShape(file: string, without: readonly string[] = []): unknown {
  const db = new Database(file, { readonly: true });
  try {
    // A view is its name and columns (SQLite keeps its text as typed, and Retort types its own).
    const views = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name`).all() as { name: string }[])
      .map((v) => [v.name, db.prepare('SELECT name, type FROM pragma_table_info(?)').all(v.name)]);
    const tables = (db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'retort_%' ORDER BY name`).all() as { name: string }[])
      .map((r) => r.name).filter((n) => !without.includes(n));
    const bool = (v: string | null) => (v === 'false' || v === 'FALSE' ? '0' : v === 'true' || v === 'TRUE' ? '1' : v);
    return [...views, ...tables.map((t) => {
      const columns = db.prepare('SELECT name, type, "notnull", dflt_value, pk, hidden FROM pragma_table_xinfo(?)').all(t) as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number; hidden: number }[];
      // A lone INTEGER PRIMARY KEY is the rowid, never NULL, with or without NOT NULL written (Retort writes it).
      const rowid = columns.filter((c) => c.pk > 0).length === 1 ? columns.find((c) => c.pk > 0 && c.type.toUpperCase() === 'INTEGER') : undefined;
      return {
      table: t,
      columns: columns.map((c) => [c.name, affinity(c.type), c === rowid ? 1 : c.notnull, bool(c.dflt_value), c.pk, c.hidden]),
      indexes: (db.prepare('SELECT name, "unique", origin, partial FROM pragma_index_list(?) ORDER BY name').all(t) as { name: string }[])
        .map((i) => [i, (db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').all(i.name) as { name: string }[]).map((x) => x.name)]),
      foreignKeys: db.prepare('SELECT "table", "from", "to", on_update, on_delete FROM pragma_foreign_key_list(?) ORDER BY id, seq').all(t),
      deferred: /DEFERRABLE\s+INITIALLY\s+DEFERRED/i.test((db.prepare('SELECT sql FROM sqlite_master WHERE name = ?').get(t) as { sql: string }).sql),
      };
    })];
  } finally {
    db.close();
  }
}

// The DDL each tool writes on SQLite, as they write it.
const ORM_SCHEMAS: Record<string, string[]> = {
  django: [
    'CREATE TABLE "polls_question" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "question_text" varchar(200) NOT NULL, "pub_date" datetime NOT NULL, "is_open" bool NOT NULL, "price" decimal NOT NULL)',
    'CREATE TABLE "polls_choice" ("id" integer NOT NULL PRIMARY KEY AUTOINCREMENT, "choice_text" varchar(200) NOT NULL, "votes" integer unsigned NOT NULL CHECK ("votes" >= 0), "question_id" bigint NOT NULL REFERENCES "polls_question" ("id") DEFERRABLE INITIALLY DEFERRED)',
    'CREATE INDEX "polls_choice_question_id_c5b4b260" ON "polls_choice" ("question_id")',
  ],
  rails: [
    'CREATE TABLE "users" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar, "email" varchar(255) DEFAULT \'\' NOT NULL, "admin" boolean DEFAULT 0, "balance" decimal(10,2), "created_at" datetime(6) NOT NULL, "updated_at" datetime(6) NOT NULL)',
    'CREATE UNIQUE INDEX "index_users_on_email" ON "users" ("email")',
    'CREATE TABLE "schema_migrations" ("version" varchar NOT NULL PRIMARY KEY)',
  ],
  prisma: [
    'CREATE TABLE "User" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "email" TEXT NOT NULL, "name" TEXT, "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP)',
    'CREATE TABLE "Post" ("id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT, "title" TEXT NOT NULL, "published" BOOLEAN NOT NULL DEFAULT false, "authorId" INTEGER NOT NULL, "score" REAL, "data" BLOB, "amount" DECIMAL, CONSTRAINT "Post_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User" ("id") ON DELETE RESTRICT ON UPDATE CASCADE)',
    'CREATE UNIQUE INDEX "User_email_key" ON "User"("email")',
  ],
  sqlalchemy: [
    "CREATE TABLE accounts (\n\tid INTEGER NOT NULL, \n\tname VARCHAR(40) NOT NULL, \n\tactive BOOLEAN, \n\tkind VARCHAR(7), \n\tjoined DATETIME, \n\tCONSTRAINT pk_accounts PRIMARY KEY (id), \n\tCONSTRAINT uq_accounts_name UNIQUE (name), \n\tCONSTRAINT kind_enum CHECK (kind IN ('admin', 'regular'))\n)",
    'CREATE TABLE entries (id INTEGER NOT NULL, account_id INTEGER, amount NUMERIC(10, 2), PRIMARY KEY (id), FOREIGN KEY(account_id) REFERENCES accounts (id) ON DELETE CASCADE)',
    'CREATE INDEX ix_entries_account_id ON entries (account_id)',
  ],
};

describe('retort init --from-db on a database whose tables live outside public (postgresql)', () => {
  test('refused before anything is written or stamped, naming the schema and --schemas; with --schemas the tables are adopted', async () => {
    const p = await project('postgresql', true);
    await exec(p, ['CREATE SCHEMA app', 'CREATE SCHEMA billing', 'CREATE TABLE app.users (id integer PRIMARY KEY)', 'CREATE TABLE billing.invoices (id integer PRIMARY KEY, user_id integer REFERENCES app.users)']);
    const { dir: work, cleanup } = tempDir();
    cleanups.push(cleanup);
    const refused = await runCli(['init', 'app', '--from-db', p.url], { cwd: work });
    assert.equal(refused.code, 2, refused.stdout + refused.stderr);
    assert.match(refused.stderr, /^error: nothing to adopt: the schemas the config manages \(public\) hold no table, and app, billing, which it does not manage, hold some; nothing was written or stamped$/m);
    assert.match(refused.stderr, /^hint: add 'app', 'billing' to `schemas` in the config \(init --from-db: --schemas app,billing\), then pull again$/m);
    assert.ok(!existsSync(path.join(work, 'app')), 'the folder init made is removed');
    assert.deepEqual(await p.query(`SELECT 1 FROM pg_tables WHERE tablename = 'retort_version'`), [], 'not stamped');

    const r = await runCli(['init', 'app', '--from-db', p.url, '--schemas', 'app,billing'], { cwd: work });
    ok(r, 'init --from-db --schemas');
    assert.match(readFileSync(path.join(work, 'app', 'retort.config.ts'), 'utf8'), /\n {2}schemas: \['app', 'billing'\],\n/);
    assert.match(r.stdout, /Declared 2 tables/);
    assert.doesNotMatch(r.stderr, /not in the models/);
  });

  test('pull warns of a schema holding tables the config does not manage', async () => {
    const p = await project('postgresql', true);
    await exec(p, ['CREATE SCHEMA audit', 'CREATE TABLE audit.log (id integer PRIMARY KEY)', 'CREATE TABLE items (id integer PRIMARY KEY)']);
    const r = await p.retort('pull');
    ok(r, 'pull');
    assert.match(r.stderr, /warning: tables in schema audit are not in the models: the config manages public only \(add 'audit' to `schemas` in the config/);
    assert.doesNotMatch(r.stdout, /audit/, 'nothing of a schema the config does not manage is listed as not declared');
  });
});

describe('retort pull on SQLite schemas other tools wrote', () => {
  for (const [tool, ddl] of Object.entries(ORM_SCHEMAS)) {
    test(`${tool}: pull, check clean, and a database built from the models has the same columns, keys and indexes`, async () => {
      const p = await project('sqlite', true);
      await exec(p, ddl);
      ok(await p.retort('pull'), 'pull');
      const check = await p.retort('check');
      ok(check, 'check');
      assert.match(check.stdout, /No changes detected/);
      const q = await project('sqlite', true);
      cpSync(path.join(p.dir, 'models'), path.join(q.dir, 'models'), { recursive: true });
      ok(await q.retort('revision', '--autogenerate', '-m', 'from pulled models'), 'autogenerate');
      ok(await q.retort('upgrade', 'head'), 'upgrade');
      assert.deepEqual(sqliteShape(sqliteFile(q)), sqliteShape(sqliteFile(p)));
    });
  }
});

// Issue 17's rule: a type name SQLite reads as one of Retort's types but spelled otherwise keeps its spelling. Pull
// writes it as customType (which compares as the type it means), so a database built from the pulled models declares
// `DATETIME` and `DECIMAL(10,2)` again, not `TIMESTAMP` and `NUMERIC(10, 2)`.
test('pull on SQLite lists WITHOUT ROWID and STRICT tables as declared without those options', async () => {
  const p = await project('sqlite', true);
  await exec(p, ['CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID', 'CREATE TABLE typed (id INTEGER PRIMARY KEY, n INTEGER) STRICT']);
  const r = await p.retort('pull');
  ok(r, 'pull');
  assert.match(r.stdout + r.stderr, /table option WITHOUT ROWID \(declared without it\): kv/);
  assert.match(r.stdout + r.stderr, /table option STRICT \(declared without it\): typed/);
  assert.match((await p.retort('check')).stdout, /No changes detected/);
});

test('pull on SQLite keeps datetime and decimal(10,2) as declared: customType, and the same declared types when built again', async () => {
  const p = await project('sqlite', true);
  await exec(p, ['CREATE TABLE bills (id INTEGER PRIMARY KEY, due datetime NOT NULL, amount decimal(10,2))']);
  ok(await p.retort('pull'), 'pull');
  const source = readFileSync(path.join(p.dir, 'models', 'schema.ts'), 'utf8');
  assert.match(source, /due: customType\('DATETIME'\)\.notNull\(\)/);
  assert.match(source, /amount: customType\('DECIMAL\(10,2\)'\)/);
  assert.match((await p.retort('check')).stdout, /No changes detected/);
  const q = await project('sqlite', true);
  cpSync(path.join(p.dir, 'models'), path.join(q.dir, 'models'), { recursive: true });
  ok(await q.retort('revision', '--autogenerate', '-m', 'from pulled models'), 'autogenerate');
  ok(await q.retort('upgrade', 'head'), 'upgrade');
  const db = new Database(sqliteFile(q), { readonly: true });
  try {
    assert.deepEqual(db.prepare(`SELECT name, type FROM pragma_table_info('bills') ORDER BY cid`).all(), [{ name: 'id', type: 'INTEGER' }, { name: 'due', type: 'DATETIME' }, { name: 'amount', type: 'DECIMAL(10,2)' }]);
  } finally {
    db.close();
  }
});

test('pull on PostgreSQL declares an INSTEAD OF trigger on a view, and check is clean', async () => {
  const p = await project('postgresql', true);
  await exec(p, [
    'CREATE TABLE items (id integer PRIMARY KEY, name text)',
    'CREATE VIEW item_names AS SELECT id, name FROM items',
    "CREATE FUNCTION item_names_ins() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN INSERT INTO items (id, name) VALUES (NEW.id, NEW.name); RETURN NEW; END $$",
    'CREATE TRIGGER item_names_ins INSTEAD OF INSERT ON item_names FOR EACH ROW EXECUTE FUNCTION item_names_ins()',
  ]);
  const pull = await p.retort('pull');
  ok(pull, 'pull');
  assert.doesNotMatch(pull.stderr, /left out/);
  assert.match(readFileSync(path.join(p.dir, 'models', 'schema.ts'), 'utf8'), /trigger\('item_names_ins', \{ on: 'item_names', timing: 'insteadOf'/);
  assert.match((await p.retort('check')).stdout, /No changes detected/);
});

test('pull on PostgreSQL: an enum array column with a default loads, check is clean, and a wrong element is a model error', async () => {
  const p = await project('postgresql', true);
  await exec(p, [
    "CREATE TYPE mood AS ENUM ('happy', 'sad', 'so so')",
    `CREATE TABLE t (id integer PRIMARY KEY, moods mood[] NOT NULL DEFAULT '{happy}', more mood[] DEFAULT '{"so so",NULL,sad}')`,
  ]);
  ok(await p.retort('pull'), 'pull');
  assert.match((await p.retort('check')).stdout, /No changes detected/);
  const file = path.join(p.dir, 'models', 'schema.ts');
  writeFileSync(file, readFileSync(file, 'utf8').replace("'{happy}'", "'{happy,angry}'"));
  const wrong = await p.retort('check');
  assert.equal(wrong.code, 1);
  assert.match(wrong.stderr, /t\.moods has server default '\{happy,angry\}', whose element "angry" is not a value of enum "mood" \(happy, sad, so so\)/);
});
