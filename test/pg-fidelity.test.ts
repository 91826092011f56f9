/**
 * PostgreSQL fidelity through the CLI: expressions PostgreSQL rewrites, auto-increment
 * changes, type changes onto enums with a default, and index details, each compared
 * right after `upgrade head` with nothing spurious left over.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { createProject, revisionSource, type TestProject, writeModels } from './helpers/project.js';

function revisionText(p: TestProject, id: string): string {
  const file = readdirSync(path.join(p.dir, 'migrations')).find((f) => f.startsWith(id));
  assert.ok(file, `revision ${id} was written`);
  return readFileSync(path.join(p.dir, 'migrations', file), 'utf8');
}

/** After a downgrade the database is behind head: check fails for that alone, and says the schema matches the models. */
async function assertSchemaMatchesBehindHead(p: TestProject): Promise<void> {
  const r = await p.retort('check');
  assert.match(r.stdout, /^not up to date: /m, r.stdout + r.stderr);
  assert.match(r.stdout, /^The schema matches the models, but see above\.$/m, r.stdout + r.stderr);
}

/** Autogenerates, upgrades, then expects check to pass and a second autogenerate to find nothing. */
async function autogenerateAndSettle(p: TestProject, id: string, message: string): Promise<string> {
  const r = await p.retort('revision', '--autogenerate', '-m', message, '--rev-id', id);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const up = await p.retort('upgrade', 'head');
  assert.equal(up.code, 0, up.stdout + up.stderr);
  const check = await p.retort('check');
  assert.equal(check.code, 0, `check after upgrade: ${check.stdout}${check.stderr}`);
  const again = await p.retort('revision', '--autogenerate', '-m', 'nothing');
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /No changes detected/);
  return r.stdout + r.stderr;
}

const EXPRESSIONS = `import { array, check, index, integer, jsonb, serial, sql, table, text, timestamp, varchar } from 'retort-migrate';
export const orders = table('orders', {
  id: serial().primaryKey(),
  status: varchar(20).notNull(),
  neg: integer().notNull(),
  due: timestamp({ withTimezone: true }).serverDefault(sql\`now() + interval '30 days'\`),
  tags: array(varchar(30)).serverDefault(sql\`ARRAY[]::varchar[]\`),
  label: text().serverDefault(sql\`lower('ABC')\`),
  doc: jsonb(),
}, (t) => [
  check('ck_status', sql\`status IN ('new','done')\`),
  check('ck_neg', sql\`neg < 100 AND neg > -100\`),
  index('ix_expr').on(sql\`(doc->>'a')\`, t.neg),
  index('ix_partial').on(t.status).where(sql\`status IN ('new') AND neg > -5\`),
]);
`;

describe('PostgreSQL canonicalises expressions it rewrites', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('postgresql', { empty: true });
    writeModels(p, EXPRESSIONS);
  });
  after(async () => {
    await p.cleanup();
  });

  test('checks, defaults, expression and partial indexes: no difference after upgrade head', async () => {
    await autogenerateAndSettle(p, '000000000001', 'orders');
  });

  test('a real change of one expression is still found, in the user spelling', async () => {
    writeModels(p, EXPRESSIONS.replace("('new','done')", "('new','done','void')"));
    const check = await p.retort('check');
    assert.equal(check.code, 1, check.stdout + check.stderr);
    assert.match(check.stdout, /\+ check ck_status on orders: status IN \('new','done','void'\)/);
    assert.doesNotMatch(check.stdout, /ck_neg|ix_expr|ix_partial|default/);
    await autogenerateAndSettle(p, '000000000002', 'void status');
  });
});

const PARENS = `import { boolean, index, integer, serial, sql, table, text, timestamp } from 'retort-migrate';
export const events = table('events', {
  id: serial().primaryKey(),
  at_utc: timestamp().serverDefault(sql\`(now() AT TIME ZONE 'utc')\`),
  flag: boolean().serverDefault(sql\`(1 IS NOT NULL AND 2 IN (1, 2))\`),
  word: text().serverDefault(sql\`('b' COLLATE "C")\`),
  due: timestamp({ withTimezone: true }).serverDefault(sql\`now() + interval '7 days'\`),
  n: integer(),
});
`;

describe('PostgreSQL server defaults that need their parentheses', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('postgresql', { empty: true });
    writeModels(p, PARENS);
  });
  after(async () => {
    await p.cleanup();
  });

  test('AT TIME ZONE, AND/IN and COLLATE defaults are created, applied and compare clean', async () => {
    await autogenerateAndSettle(p, '000000000001', 'events');
    await p.query('INSERT INTO events (n) VALUES (1)');
    const [row] = await p.query<{ flag: boolean; word: string }>('SELECT flag, word FROM events');
    assert.deepEqual(row, { flag: true, word: 'b' });
  });

  test('an index PostgreSQL refuses (not IMMUTABLE) does not turn the other expressions of its table into false differences', async () => {
    writeModels(p, PARENS.replace('  n: integer(),\n});', "  n: integer(),\n}, (t) => [index('ix_events_day').on(sql`(due::date)`)]);"));
    const check = await p.retort('check');
    assert.equal(check.code, 1, check.stdout + check.stderr);
    assert.match(check.stdout, /\+ index ix_events_day/);
    assert.doesNotMatch(check.stdout, /default/, 'the defaults still match');
  });
});

const ENUM_CHECKS = (values: string) => `import { check, enumType, index, serial, sql, table } from 'retort-migrate';
export const prio = enumType('prio', [${values}]);
export const items = table('items', {
  id: serial().primaryKey(),
  p: prio().notNull(),
}, (t) => [
  check('ck_items_p', sql\`p IN ('low', 'medium')\`),
  index('ix_items_open').on(t.p).where(sql\`p NOT IN ('low')\`),
]);
`;

describe('an enum rebuild keeps the checks and partial indexes that compare its column with literals', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('postgresql', { empty: true });
    writeModels(p, ENUM_CHECKS("'low', 'medium', 'high'"));
    await autogenerateAndSettle(p, '000000000001', 'items');
    await p.query(`INSERT INTO items (p) VALUES ('low'), ('medium')`);
  });
  after(async () => {
    await p.cleanup();
  });

  test('removing a value rebuilds the type; the check and the index come back as they were, and the revision reverses', async () => {
    writeModels(p, ENUM_CHECKS("'low', 'medium'"));
    await autogenerateAndSettle(p, '000000000002', 'drop high');
    const defs = await p.query<{ def: string }>(`SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = 'ck_items_p'`);
    assert.match(defs[0]!.def, /'low'::prio, 'medium'::prio/);
    const down = await p.retort('downgrade', '-1');
    assert.equal(down.code, 0, down.stdout + down.stderr);
    writeModels(p, ENUM_CHECKS("'low', 'medium', 'high'"));
    await assertSchemaMatchesBehindHead(p);
  });

  test('the downgrade of an added value (a rebuild) runs with the check in place', async () => {
    assert.equal((await p.retort('upgrade', 'head')).code, 0);
    writeModels(p, ENUM_CHECKS("'none', 'low', 'medium'"));
    await autogenerateAndSettle(p, '000000000003', 'add none');
    const down = await p.retort('downgrade', '-1');
    assert.equal(down.code, 0, down.stdout + down.stderr);
    assert.deepEqual((await p.query<{ v: string }>(`SELECT unnest(enum_range(NULL::prio))::text AS v`)).map((r) => r.v), ['low', 'medium']);
    assert.equal((await p.query<{ n: number }>('SELECT count(*)::int AS n FROM items'))[0]!.n, 2);
  });
});

const WIDEN = (key: string) => `import { ${key}, table, text } from 'retort-migrate';
export const events = table('events', { id: ${key}().primaryKey(), name: text() });
`;

describe('serial -> bigserial on PostgreSQL', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('postgresql', { empty: true });
    writeModels(p, WIDEN('serial'));
    await autogenerateAndSettle(p, '000000000001', 'events');
    // An adopted identity column widened the same way: PostgreSQL widens its sequence with it.
    await p.query('CREATE TABLE ident (id integer GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY)');
  });
  after(async () => {
    await p.cleanup();
  });

  test("the sequence is widened with the column, so ids go past 2^31 - 1, and the downgrade narrows it back", async () => {
    writeModels(p, WIDEN('bigserial'));
    await autogenerateAndSettle(p, '000000000002', 'widen');
    const seqType = async () => (await p.query<{ t: string }>(`SELECT data_type AS t FROM information_schema.sequences WHERE sequence_name = 'events_id_seq'`))[0]!.t;
    assert.equal(await seqType(), 'bigint');
    await p.query(`SELECT setval('events_id_seq', 2147483647)`);
    await p.query(`INSERT INTO events (name) VALUES ('past int')`);
    assert.deepEqual(await p.query(`SELECT id::text AS id FROM events WHERE name = 'past int'`), [{ id: '2147483648' }]);
    await p.query(`DELETE FROM events`);
    await p.query(`SELECT setval('events_id_seq', 5)`);
    const down = await p.retort('downgrade', '-1');
    assert.equal(down.code, 0, down.stdout + down.stderr);
    assert.equal(await seqType(), 'integer');
  });

  test('an identity column widened by hand-written alterColumn runs too (PostgreSQL widens its sequence itself)', async () => {
    const { compileOne } = await import('../src/dialects/postgres/postgres-compiler.js');
    for (const sql of compileOne({ kind: 'alterColumn', table: 'ident', column: 'id', to: { type: { kind: 'bigint' } }, from: { type: { kind: 'integer' } } })) await p.query(typeof sql === 'string' ? sql : sql.sql);
    // pg_sequence, not information_schema.sequences, which leaves identity sequences out (the table is an identity
    // again after the downgrade above: identity is no longer read as serial).
    assert.deepEqual(await p.query(`SELECT format_type(seqtypid, NULL) AS t FROM pg_sequence WHERE seqrelid = pg_get_serial_sequence('ident', 'id')::regclass`), [{ t: 'bigint' }]);
  });
});

const AUTO_A = `import { bigint, integer, serial, table, text } from 'retort-migrate';
export const plain = table('plain', { id: integer().primaryKey(), name: text() });
export const counted = table('counted', { id: serial().primaryKey(), name: text() });
export const ident = table('ident', { id: bigint().primaryKey(), name: text() });
`;
const AUTO_B = AUTO_A.replace("plain', { id: integer()", "plain', { id: serial()").replace("counted', { id: serial()", "counted', { id: integer()");

describe('auto-increment changes on PostgreSQL', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('postgresql', { empty: true });
    // An adopted identity column the model declares as a plain bigint key.
    await p.query('CREATE TABLE ident (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, name text)');
    writeModels(p, AUTO_A);
  });
  after(async () => {
    await p.cleanup();
  });

  test('an identity column declared as bigint().primaryKey() loses its identity', async () => {
    const check = await p.retort('check');
    // Identity is told apart from serial (issue 17): the change names it.
    assert.match(check.stdout, /~ column ident\.id: identity by default -> no identity/);
    await autogenerateAndSettle(p, '000000000001', 'tables');
    const rows = await p.query<{ is_identity: string }>(`SELECT is_identity FROM information_schema.columns WHERE table_name = 'ident' AND column_name = 'id'`);
    assert.deepEqual(rows.map((r) => r.is_identity), ['NO']);
  });

  test('integer -> serial and serial -> integer are found, applied and reversed', async () => {
    await p.query(`INSERT INTO plain (id, name) VALUES (1, 'a'), (5, 'b')`);
    await p.query(`INSERT INTO counted (name) VALUES ('x'), ('y')`);
    writeModels(p, AUTO_B);
    const check = await p.retort('check');
    assert.equal(check.code, 1);
    assert.match(check.stdout, /~ column plain\.id: values generated by the database \(auto-increment\)/);
    assert.match(check.stdout, /~ column counted\.id: no longer auto-increment/);
    await autogenerateAndSettle(p, '000000000002', 'flip');
    await p.query(`INSERT INTO plain (name) VALUES ('c')`);
    assert.deepEqual((await p.query<{ id: number }>(`SELECT id FROM plain WHERE name = 'c'`)).map((r) => r.id), [6], 'the new sequence starts after the existing values');
    assert.deepEqual(await p.query(`SELECT relname FROM pg_class WHERE relkind = 'S' AND relname = 'counted_id_seq'`), [], 'the old sequence is gone');
    const down = await p.retort('downgrade', '-1');
    assert.equal(down.code, 0, down.stdout + down.stderr);
    writeModels(p, AUTO_A);
    await assertSchemaMatchesBehindHead(p);
    await p.query(`INSERT INTO counted (name) VALUES ('z')`);
    assert.deepEqual((await p.query<{ id: number }>(`SELECT id FROM counted WHERE name = 'z'`)).map((r) => r.id), [3]);
  });
});

const ENUM_A = `import { char, enumType, serial, table } from 'retort-migrate';
export const role = enumType('Role', ['admin', 'member']);
export const memberships = table('memberships', {
  id: serial().primaryKey(),
  role: role().notNull().serverDefault('member'),
  currency: char(3).notNull().serverDefault('EUR'),
});
`;
const ENUM_B = `import { enumType, serial, table } from 'retort-migrate';
export const role = enumType('member_role', ['admin', 'member']);
export const currency = enumType('currency', ['EUR', 'USD']);
export const memberships = table('memberships', {
  id: serial().primaryKey(),
  role: role().notNull().serverDefault('member'),
  currency: currency().notNull().serverDefault('EUR'),
});
`;

describe('type changes onto an enum on a column with a default', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('postgresql', { empty: true });
    writeModels(p, ENUM_A);
  });
  after(async () => {
    await p.cleanup();
  });

  test('an enum renamed in the model and char(3) -> enum both run, and the rename is not narrowing', async () => {
    await autogenerateAndSettle(p, '000000000001', 'memberships');
    await p.query(`INSERT INTO memberships (role) VALUES ('admin')`);
    writeModels(p, ENUM_B);
    const out = await autogenerateAndSettle(p, '000000000002', 'enums');
    assert.doesNotMatch(out, /narrows memberships\.role/);
    assert.doesNotMatch(out, /default 'member' -> default 'member'/);
    await p.query(`INSERT INTO memberships DEFAULT VALUES`);
    const rows = await p.query<{ role: string; currency: string }>('SELECT role::text AS role, currency::text AS currency FROM memberships ORDER BY id');
    assert.deepEqual(rows.map((r) => [r.role, r.currency]), [['admin', 'EUR'], ['member', 'EUR']]);
    const down = await p.retort('downgrade', '-1');
    assert.equal(down.code, 0, down.stdout + down.stderr);
    writeModels(p, ENUM_A);
    await assertSchemaMatchesBehindHead(p);
  });
});

const INDEXES = `import { array, index, serial, sql, table, text, varchar } from 'retort-migrate';
export const posts = table('posts', {
  id: serial().primaryKey(),
  title: text(),
  tags: array(text()),
  name: varchar(50),
  email: text(),
}, (t) => [
  index('posts_title_desc').on(sql\`title DESC\`),
  index('posts_tags').on(t.tags),
  index('posts_name_pattern').on(sql\`name varchar_pattern_ops\`),
  index('posts_email_inc').on(t.email),
]);
`;

// A table made by hand with an index of each kind: DESC, GIN, an operator class, INCLUDE.
const POSTS_WITH_INDEXES = `CREATE TABLE posts (id serial PRIMARY KEY, title text, tags text[], name varchar(50), email text);
  CREATE INDEX posts_title_desc ON posts (title DESC);
  CREATE INDEX posts_tags ON posts USING gin (tags);
  CREATE INDEX posts_name_pattern ON posts (name varchar_pattern_ops);
  CREATE INDEX posts_email_inc ON posts (email) INCLUDE (name);`;

describe('index key options, methods and INCLUDE on PostgreSQL', () => {
  let p: TestProject;
  const indexdefs = async () =>
    (await p.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE tablename = 'posts' AND indexname <> 'posts_pkey' ORDER BY indexname`)).map((r) => r.indexdef.replace(/ ON public\.posts/, ''));
  before(async () => {
    p = await createProject('postgresql', { empty: true });
    await p.query(POSTS_WITH_INDEXES);
  });
  after(async () => {
    await p.cleanup();
  });

  test('plain declared indexes differ from DESC, opclass, gin and INCLUDE ones', async () => {
    writeModels(p, INDEXES.replace("sql`title DESC`", 't.title').replace('sql`name varchar_pattern_ops`', 't.name'));
    const check = await p.retort('check');
    assert.equal(check.code, 1);
    for (const name of ['posts_title_desc', 'posts_tags', 'posts_name_pattern', 'posts_email_inc']) assert.match(check.stdout, new RegExp(`- index ${name} on posts`));
  });

  test('DESC and an operator class can be declared; method and INCLUDE are re-created as declared and restored by the downgrade', async () => {
    writeModels(p, INDEXES);
    const check = await p.retort('check');
    assert.equal(check.code, 1);
    assert.doesNotMatch(check.stdout, /posts_title_desc|posts_name_pattern/);
    assert.match(check.stdout, /- index posts_tags on posts/);
    assert.match(check.stdout, /- index posts_email_inc on posts/);
    await autogenerateAndSettle(p, '000000000001', 'plain indexes');
    assert.deepEqual(await indexdefs(), [
      'CREATE INDEX posts_email_inc USING btree (email)',
      'CREATE INDEX posts_name_pattern USING btree (name varchar_pattern_ops)',
      'CREATE INDEX posts_tags USING btree (tags)',
      'CREATE INDEX posts_title_desc USING btree (title DESC)',
    ]);
    const down = await p.retort('downgrade', 'base');
    assert.equal(down.code, 0, down.stdout + down.stderr);
    assert.deepEqual(await indexdefs(), [
      'CREATE INDEX posts_email_inc USING btree (email) INCLUDE (name)',
      'CREATE INDEX posts_name_pattern USING btree (name varchar_pattern_ops)',
      'CREATE INDEX posts_tags USING gin (tags)',
      'CREATE INDEX posts_title_desc USING btree (title DESC)',
    ]);
  });
});

describe('PostgreSQL errors carry their DETAIL line', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('postgresql', { empty: true });
  });
  after(async () => {
    await p.cleanup();
  });

  test('a foreign key between incompatible types says which types', async () => {
    writeModels(p, `import { table, text, uuid } from 'retort-migrate';
export const users = table('users', { id: uuid().primaryKey() });
export const posts = table('posts', { id: uuid().primaryKey(), author_id: text().references('users.id') });
`);
    assert.equal((await p.retort('revision', '--autogenerate', '-m', 'posts')).code, 0);
    const up = await p.retort('upgrade', 'head');
    assert.equal(up.code, 1);
    assert.match(up.stderr, /database: foreign key constraint "posts_author_id_fkey" cannot be implemented \(Key columns "author_id" and "id" are of incompatible types: text and uuid\.\)/);
  });
});

describe('PostgreSQL times each revision on the server', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('postgresql', { empty: true });
  });
  after(async () => {
    await p.cleanup();
  });

  test('a printed script records in the history table when it runs and how long each revision took, by the server clock', async () => {
    p.writeRevision('c10c00000001_quick.ts', revisionSource('c10c00000001', null, 'quick', `  op.createTable('clocked', { id: integer().primaryKey() });`, `  op.dropTable('clocked');`));
    p.writeRevision('c10c00000002_slow.ts', revisionSource('c10c00000002', 'c10c00000001', 'slow', `  op.execute('SELECT pg_sleep(0.3)');\n  op.addColumn('clocked', 'n', integer());`, `  op.dropColumn('clocked', 'n');`));
    const sql = await p.retort('upgrade', 'base:head', '--sql');
    assert.equal(sql.code, 0, sql.stderr);
    assert.match(sql.stdout, /DO \$\$BEGIN PERFORM set_config\('retort\.step_started', clock_timestamp\(\)::text, false\); END\$\$/);
    assert.doesNotMatch(sql.stdout, /INSERT INTO "retort_history" .*'\d{4}-\d\d-\d\dT/, 'the script records when it runs, not when it was printed');
    const script = path.join(p.dir, 'upgrade.sql');
    writeFileSync(script, sql.stdout);
    const run = spawnSync('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', p.url, '-f', script], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const rows = await p.query<{ revision: string; duration_ms: number; applied_at: string }>(`SELECT revision, duration_ms, applied_at FROM retort_history ORDER BY applied_at`);
    assert.deepEqual(rows.map((r) => r.revision), ['c10c00000001', 'c10c00000002']);
    assert.ok(rows[1]!.duration_ms >= 250, `the slow revision took ${rows[1]!.duration_ms} ms`);
    // Each revision's clock is its own: the slow one's sleep is in its row only (no bound on how fast the quick one was).
    assert.ok(rows[0]!.duration_ms < rows[1]!.duration_ms, `the quick one took ${rows[0]!.duration_ms} ms, the slow one ${rows[1]!.duration_ms} ms`);
    assert.match(rows[1]!.applied_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.match((await p.retort('current')).stdout, /^c10c00000002/);
  });
});

test("Django's spelling of an IN check (each element cast to text) matches the model's IN; a real difference shows what the database holds", async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    await p.query(`CREATE TABLE ev (id serial PRIMARY KEY, kind varchar(30) CONSTRAINT ev_kind_check CHECK (kind::text = ANY (ARRAY['click'::varchar, 'view'::varchar]::text[])));
      CREATE TABLE users (id serial PRIMARY KEY);
      CREATE TABLE posts (id serial PRIMARY KEY, user_id integer CONSTRAINT posts_user_id_fkey REFERENCES users (id))`);
    const model = (values: string, onDelete: string) => `import { check, integer, serial, sql, table, varchar } from 'retort-migrate';
export const ev = table('ev', { id: serial().primaryKey(), kind: varchar(30) }, () => [check('ev_kind_check', sql\`kind IN (${values})\`)]);
export const users = table('users', { id: serial().primaryKey() });
export const posts = table('posts', { id: serial().primaryKey(), user_id: integer().references('users.id'${onDelete}) });
`;
    writeModels(p, model("'click', 'view'", ''));
    const clean = await p.retort('check');
    assert.equal(clean.code, 0, clean.stdout + clean.stderr);
    writeModels(p, model("'click', 'view', 'buy'", ", { onDelete: 'cascade' }"));
    const changed = await p.retort('check');
    assert.equal(changed.code, 1);
    assert.match(changed.stdout, /^ {2}- check ev_kind_check on ev: kind = ANY \(ARRAY\['click', 'view'\]\)$/m);
    assert.match(changed.stdout, /^ {2}\+ check ev_kind_check on ev: kind IN \('click', 'view', 'buy'\)$/m);
    assert.match(changed.stdout, /^ {2}- foreign key posts_user_id_fkey on posts \(user_id\) -> users \(id\)$/m);
    assert.match(changed.stdout, /^ {2}\+ foreign key posts_user_id_fkey on posts \(user_id\) -> users \(id\) on delete cascade$/m);
  } finally {
    await p.cleanup();
  }
});

test('DEFERRABLE foreign keys (as Django declares every one) are read, declared, compared, and kept when a revision re-creates them', async () => {
  const p = await createProject('postgresql', { empty: true });
  const deferred = async () =>
    (await p.query<{ conname: string; condeferrable: boolean; condeferred: boolean }>(`SELECT conname, condeferrable, condeferred FROM pg_constraint WHERE conname = 'posts_user_id_fkey'`))[0];
  try {
    await p.query(`CREATE TABLE users (id serial PRIMARY KEY);
      CREATE TABLE posts (id serial PRIMARY KEY, user_id integer CONSTRAINT posts_user_id_fkey REFERENCES users (id) DEFERRABLE INITIALLY DEFERRED)`);
    const model = (options: string) => `import { integer, serial, table } from 'retort-migrate';
export const users = table('users', { id: serial().primaryKey() });
export const posts = table('posts', { id: serial().primaryKey(), user_id: integer().references('users.id'${options}) });
`;
    writeModels(p, model(''));
    const plain = await p.retort('check');
    assert.equal(plain.code, 1, 'a NOT DEFERRABLE model differs from the live DEFERRABLE key');
    assert.match(plain.stdout, /^ {2}- foreign key posts_user_id_fkey on posts \(user_id\) -> users \(id\) deferrable initially deferred$/m);
    writeModels(p, model(", { deferrable: 'deferred' }"));
    const same = await p.retort('check');
    assert.equal(same.code, 0, same.stdout + same.stderr);
    writeModels(p, model(", { onDelete: 'cascade', deferrable: 'deferred' }"));
    // posts exists, so the default online plan adds the key NOT VALID and validates it after the commit.
    await autogenerateAndSettle(p, '000000000001', 'cascade');
    assert.match(revisionText(p, '000000000001'), /createForeignKey\('posts_user_id_fkey', 'posts', 'users', \['user_id'\], \['id'\], \{ onDelete: 'cascade', deferrable: 'deferred', notValid: true \}\)/);
    assert.deepEqual(await deferred(), { conname: 'posts_user_id_fkey', condeferrable: true, condeferred: true });
    assert.equal((await p.retort('downgrade', 'base')).code, 0);
    assert.deepEqual(await deferred(), { conname: 'posts_user_id_fkey', condeferrable: true, condeferred: true }, 'the downgrade puts it back as it was');
  } finally {
    await p.cleanup();
  }
});

test('generated columns are read with their expression: compared, changed by dropping and adding the column, and re-created as generated by a downgrade', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    await p.query(`CREATE TABLE lines (id serial PRIMARY KEY, qty integer NOT NULL, price numeric(10,2) NOT NULL, total numeric(14,2) GENERATED ALWAYS AS (qty * price) STORED);
      INSERT INTO lines (qty, price) VALUES (3, 2.50)`);
    const model = (expr: string) => `import { customType, integer, numeric, serial, table } from 'retort-migrate';
export const lines = table('lines', { id: serial().primaryKey(), qty: integer().notNull(), price: numeric(10, 2).notNull(), total: customType('numeric(14,2) GENERATED ALWAYS AS (${expr}) STORED') });
`;
    writeModels(p, model('qty * price'));
    const same = await p.retort('check');
    assert.equal(same.code, 0, same.stdout + same.stderr);
    writeModels(p, model('(qty)::numeric * price'));
    assert.equal((await p.retort('check')).code, 0, 'PostgreSQL spells the cast its own way: still the same expression');
    writeModels(p, model('qty * price * 2'));
    const changed = await p.retort('check');
    assert.equal(changed.code, 1);
    assert.match(changed.stdout, /- column lines\.total/);
    assert.match(changed.stdout, /\+ column lines\.total numeric\(14, 2\) GENERATED ALWAYS AS \(qty \* price \* 2\) STORED/);
    const auto = await p.retort('revision', '--autogenerate', '-m', 'double', '--rev-id', '000000000001');
    assert.equal(auto.code, 0, auto.stderr);
    assert.doesNotMatch(auto.stderr, /destructive/, 'a generated column holds nothing of its own');
    assert.match(revisionText(p, '000000000001'), /op\.dropColumn\('lines', 'total'\);[\s\S]*op\.addColumn\('lines', 'total', customType\('numeric\(14, 2\) GENERATED ALWAYS AS \(qty \* price \* 2\) STORED'\)\)/);
    const up = await p.retort('upgrade', 'head');
    assert.equal(up.code, 0, up.stderr);
    assert.deepEqual(await p.query(`SELECT total::text AS total FROM lines`), [{ total: '15.00' }]);
    assert.equal((await p.retort('check')).code, 0);
    // A revision that drops the table writes it back, generated, in its downgrade.
    writeModels(p, `export {};\n`);
    const drop = await p.retort('revision', '--autogenerate', '-m', 'drop', '--rev-id', '000000000002');
    assert.equal(drop.code, 0, drop.stderr);
    assert.match(revisionText(p, '000000000002'), /customType\('numeric\(14, 2\) GENERATED ALWAYS AS \(qty::numeric \* price \* 2\) STORED'\)/);
    assert.equal((await p.retort('upgrade', 'head')).code, 0);
    assert.equal((await p.retort('downgrade', '-1')).code, 0);
    const [col] = await p.query<{ attgenerated: string }>(`SELECT attgenerated FROM pg_attribute WHERE attrelid = 'lines'::regclass AND attname = 'total'`);
    assert.equal(col?.attgenerated, 's', 'the downgrade brings the column back generated');
  } finally {
    await p.cleanup();
  }
});

test('a type change under an excluded view (one the models do not declare) fails with a hint naming the way out', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'], exclude: ['cheap'] });\n`);
    await p.query(`CREATE TABLE items (id serial PRIMARY KEY, price integer); CREATE VIEW cheap AS SELECT id FROM items WHERE price < 10`);
    writeModels(p, `import { bigint, serial, table } from 'retort-migrate';\nexport const items = table('items', { id: serial().primaryKey(), price: bigint() });\n`);
    assert.equal((await p.retort('revision', '--autogenerate', '-m', 'wider price')).code, 0);
    const up = await p.retort('upgrade', 'head');
    assert.equal(up.code, 1);
    assert.match(up.stderr, /database: cannot alter type of a column used by a view or rule/);
    assert.match(up.stderr, /on view cheap depends on column "price"|view "cheap"|cheap/, 'the message names the view');
    assert.match(up.stderr, /^hint: declare the view in the models \(view\(\)\) so autogenerate moves it out of the way, or drop it before the change/m);
  } finally {
    await p.cleanup();
  }
});

describe('index methods and INCLUDE declared in models', () => {
  let p: TestProject;
  const METHODS = INDEXES.replace("index('posts_tags').on(t.tags)", "index('posts_tags').on(t.tags).using('gin')").replace("index('posts_email_inc').on(t.email)", "index('posts_email_inc').on(t.email).include(t.name)");
  const MORE = METHODS.replace(/\]\);\n$/, `  index('posts_title_trgm').on(t.title).using('hash'),\n  index('posts_name_inc').on(t.name).include(t.email, t.title),\n]);\n`);
  before(async () => {
    p = await createProject('postgresql', { empty: true });
    await p.query(POSTS_WITH_INDEXES);
  });
  after(async () => {
    await p.cleanup();
  });

  test('.using() and .include() match the live indexes: nothing to drop', async () => {
    writeModels(p, METHODS);
    const check = await p.retort('check');
    assert.equal(check.code, 0, check.stdout + check.stderr);
  });

  test('a new GIN index and a covering index are generated with using and include, applied, and reversed', async () => {
    writeModels(p, MORE);
    const r = await p.retort('revision', '--autogenerate', '-m', 'more indexes', '--rev-id', '000000000001');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const text = revisionText(p, '000000000001');
    // posts exists, so the default online plan builds them CONCURRENTLY (in autocommit blocks).
    assert.match(text, /op\.createIndex\('posts_title_trgm', 'posts', \['title'\], \{ using: 'hash', concurrently: true \}\)/);
    assert.match(text, /op\.createIndex\('posts_name_inc', 'posts', \['name'\], \{ include: \['email', 'title'\], concurrently: true \}\)/);
    assert.doesNotMatch(text, /op\.run\(/);
    assert.equal((await p.retort('upgrade', 'head')).code, 0);
    const defs = (await p.query<{ indexdef: string }>(`SELECT indexdef FROM pg_indexes WHERE indexname IN ('posts_title_trgm', 'posts_name_inc') ORDER BY indexname`)).map((x) => x.indexdef);
    assert.deepEqual(defs, ['CREATE INDEX posts_name_inc ON public.posts USING btree (name) INCLUDE (email, title)', 'CREATE INDEX posts_title_trgm ON public.posts USING hash (title)']);
    assert.equal((await p.retort('check')).code, 0);
    assert.equal((await p.retort('downgrade', '-1')).code, 0);
    assert.deepEqual(await p.query(`SELECT indexname FROM pg_indexes WHERE indexname IN ('posts_title_trgm', 'posts_name_inc')`), []);
    assert.equal((await p.retort('upgrade', 'head')).code, 0);
  });

  test('a table created by autogenerate writes its index methods in the DSL', async () => {
    writeModels(p, `${MORE}export const docs = table('docs', { id: serial().primaryKey(), body: text(), tags: array(text()) }, (t) => [index('docs_tags').on(t.tags).using('gin'), index('docs_cover').on(t.id, t.tags).include(t.body)]);\n`);
    const r = await p.retort('revision', '--autogenerate', '-m', 'docs', '--rev-id', '000000000002');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(revisionText(p, '000000000002'), /index\('docs_tags'\)\.on\(t\.tags\)\.using\('gin'\)/);
    assert.match(revisionText(p, '000000000002'), /index\('docs_cover'\)\.on\(t\.id, t\.tags\)\.include\(t\.body\)/);
    const up = await p.retort('upgrade', 'head');
    assert.equal(up.code, 0, up.stderr);
    const check = await p.retort('check');
    assert.equal(check.code, 0, check.stdout + check.stderr);
  });
});

// Types written with customType() in spellings PostgreSQL stores otherwise (format_type reads them back
// as `timestamp(3) with time zone`, `double precision`, `interval day to second`, `bit varying(8)`...).
const CUSTOM_TYPES = `import { customType, serial, table } from 'retort-migrate';
export const readings = table('readings', {
  id: serial().primaryKey(),
  taken: customType('timestamptz(3)').notNull(),
  local_time: customType('time(0)'),
  value: customType('float'),
  low: customType('float(10)'),
  span: customType('interval day to second'),
  flags: customType('varbit(8)'),
  codes: customType('int4[]'),
  names: customType('character varying(20)[]'),
  amount: customType('decimal(12, 2)'),
  site: customType('pg_catalog.text'),
});
`;

describe('custom types PostgreSQL spells its own way', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('postgresql', { empty: true });
    writeModels(p, CUSTOM_TYPES);
  });
  after(async () => {
    await p.cleanup();
  });

  test('no difference after upgrade head, and check passes', async () => {
    await autogenerateAndSettle(p, '000000000001', 'readings');
    const [row] = await p.query<{ t: string }>(`SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = 'readings'::regclass AND attname = 'taken'`);
    assert.equal(row?.t, 'timestamp(3) with time zone');
  });

  test('a real type change is still found, in the user spelling, and only that one', async () => {
    writeModels(p, CUSTOM_TYPES.replace("customType('timestamptz(3)')", "customType('timestamptz(6)')"));
    const check = await p.retort('check');
    assert.equal(check.code, 1, check.stdout + check.stderr);
    assert.match(check.stdout, /readings\.taken/);
    assert.match(check.stdout, /timestamptz\(6\)/);
    assert.doesNotMatch(check.stdout, /local_time|value|low|span|flags|codes|names|amount|site/);
    await autogenerateAndSettle(p, '000000000002', 'microseconds');
  });
});
