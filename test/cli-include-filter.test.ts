/**
 * The config's typed `include` filter on both dialects: objects another tool owns in the database (a table, a column,
 * an index) and one the models declare but leave to someone else are refused on their side, so check is clean and
 * autogenerate writes nothing for them; without the filter the same project reports each of them. A system column
 * (`.system()`, PostgreSQL's xmin) is declared for the code that reads it and never added.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createProject, DIALECTS, type TestProject, writeModels, retortOk as ok } from './helpers/project.js';

const MODELS = `import { customType, integer, table, text } from 'retort-migrate';
export const users = table('users', {
  id: integer().primaryKey(),
  name: text(),
  shadow: text(),
  xmin: customType('xid').system(),
});
`;

const config = (include: string) => `import { defineConfig } from 'retort-migrate';
export default defineConfig({ migrations: 'migrations', models: ['models/*.ts']${include} });
`;

// Refuses what the database has of another tool's (reflected) and the column the models leave to it (declared).
const INCLUDE = `, include: (o) => !(o.reflected && ['audit_log', 'legacy_flag', 'ix_legacy'].includes(o.name)) && !(o.declared && o.kind === 'column' && o.name === 'shadow')`;

async function setUp(p: TestProject): Promise<void> {
  await p.query('CREATE TABLE users (id integer PRIMARY KEY, name text, legacy_flag boolean)');
  await p.query('CREATE INDEX ix_legacy ON users (legacy_flag)');
  await p.query('CREATE TABLE audit_log (id integer PRIMARY KEY)');
  writeModels(p, MODELS);
}

for (const dialect of DIALECTS) {
  test(`include filter on ${dialect}: refused objects are left alone on both sides; a system column is never added`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      await setUp(p);
      writeFileSync(path.join(p.dir, 'retort.config.ts'), config(''));
      const unfiltered = await p.retort('check');
      assert.equal(unfiltered.code, 1, unfiltered.stdout);
      for (const line of [/- table audit_log/, /- column users\.legacy_flag/, /- index ix_legacy/, /\+ column users\.shadow/]) assert.match(unfiltered.stdout, line);
      assert.doesNotMatch(unfiltered.stdout, /xmin/);

      writeFileSync(path.join(p.dir, 'retort.config.ts'), config(INCLUDE));
      assert.match(await ok(p, 'check'), /No changes detected/);
      const gen = await p.retort('revision', '--autogenerate', '-m', 'none');
      assert.equal(gen.code, 0, gen.stderr);
      assert.match(gen.stdout, /No changes detected/);
    } finally {
      await p.cleanup();
    }
  });
}

test('include must be a function', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    writeFileSync(path.join(p.dir, 'retort.config.ts'), config(`, include: ['users'] as never`));
    const r = await p.retort('check');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /"include" must be a function of the object/);
  } finally {
    await p.cleanup();
  }
});

// Triggers, functions and policies: a hand-made trigger (and, on PostgreSQL, its function and a policy) on a managed
// table, and a declared trigger (and its function) left to someone else.
const ROUTINE_MODELS: Record<string, string> = {
  postgresql: `import { fn, integer, sql, table, text, trigger } from 'retort-migrate';
export const users = table('users', { id: integer().primaryKey(), name: text() });
export const touch = fn('touch_fn', { returns: 'trigger', language: 'plpgsql' }, sql\`BEGIN RETURN NEW; END\`);
export const usersTouch = trigger('users_touch', { on: users, timing: 'before', events: ['insert'], forEachRow: true, execute: touch });
`,
  sqlite: `import { integer, sql, table, text, trigger } from 'retort-migrate';
export const users = table('users', { id: integer().primaryKey(), name: text() });
export const usersTouch = trigger('users_touch', { on: users, timing: 'after', events: ['insert'], body: sql\`SELECT 1;\` });
`,
};
const ROUTINE_SETUP: Record<string, string[]> = {
  postgresql: [
    'CREATE TABLE users (id integer PRIMARY KEY, name text)',
    'CREATE FUNCTION audit_fn() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$',
    'CREATE TRIGGER users_audit BEFORE UPDATE ON users FOR EACH ROW EXECUTE FUNCTION audit_fn()',
    'CREATE POLICY users_own ON users USING (true)',
  ],
  sqlite: ['CREATE TABLE users (id integer PRIMARY KEY, name text)', 'CREATE TRIGGER users_audit AFTER UPDATE ON users BEGIN SELECT 1; END'],
};
// Each refusal names the object by every field the docs list for its kind.
const ROUTINE_INCLUDE = `, include: (o) => !(o.reflected && o.kind === 'trigger' && o.table === 'users' && o.name === 'users_audit')
    && !(o.reflected && o.kind === 'function' && o.table === null && o.name === 'audit_fn')
    && !(o.reflected && o.kind === 'policy' && o.table === 'users' && o.name === 'users_own')
    && !(o.declared && o.kind === 'trigger' && o.table === 'users' && o.name === 'users_touch')
    && !(o.declared && o.kind === 'function' && o.name === 'touch_fn')`;

for (const dialect of DIALECTS) {
  test(`include filter on ${dialect}: triggers, functions and policies it refuses are left alone on both sides`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      for (const s of ROUTINE_SETUP[dialect]!) await p.query(s);
      writeModels(p, ROUTINE_MODELS[dialect]!);
      writeFileSync(path.join(p.dir, 'retort.config.ts'), config(''));
      const unfiltered = await p.retort('check');
      assert.equal(unfiltered.code, 1, unfiltered.stdout + unfiltered.stderr);
      const expected = dialect === 'postgresql'
        ? [/- trigger users_audit on users/, /- function audit_fn\(\)/, /- policy users_own on users/, /\+ trigger users_touch on users/, /\+ function touch_fn\(\)/]
        : [/- trigger users_audit on users/, /\+ trigger users_touch on users/];
      for (const line of expected) assert.match(unfiltered.stdout, line);

      writeFileSync(path.join(p.dir, 'retort.config.ts'), config(ROUTINE_INCLUDE));
      assert.match(await ok(p, 'check'), /No changes detected/);
      const gen = await p.retort('revision', '--autogenerate', '-m', 'none');
      assert.equal(gen.code, 0, gen.stderr);
      assert.match(gen.stdout, /No changes detected/);
      // The hand-made trigger is still there, and still fires.
      const triggers = dialect === 'postgresql'
        ? await p.query<{ name: string }>(`SELECT tgname AS name FROM pg_trigger WHERE NOT tgisinternal`)
        : await p.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type = 'trigger'`);
      assert.deepEqual(triggers.map((t) => t.name), ['users_audit']);
    } finally {
      await p.cleanup();
    }
  });
}
