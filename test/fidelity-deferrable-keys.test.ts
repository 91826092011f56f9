/**
 * DEFERRABLE unique constraints and primary keys through the CLI: PostgreSQL's are pulled into the models (on a
 * column and on the table), checked clean, rebuilt by the baseline to the same dump (a shifting UPDATE still runs on
 * the rebuilt database), compared (a change is a drop and an add: PostgreSQL alters only a foreign key's deferral),
 * and put back by the downgrade; SQLite, which defers foreign keys only, refuses them at model load.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createProject, type DialectName, type TestProject, writeModels, retortOk as ok } from './helpers/project.js';
import { pgSchemaDump } from './helpers/pull-roundtrip.js';

const projects: TestProject[] = [];
after(async () => {
  for (const p of projects) await p.cleanup();
});

async function project(dialect: DialectName, schemas: readonly string[] = []): Promise<TestProject> {
  const p = await createProject(dialect, { empty: true });
  projects.push(p);
  if (schemas.length > 0) {
    writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'], schemas: ${JSON.stringify(schemas)} });\n`);
  }
  return p;
}

const deferral = async (p: TestProject) =>
  (await p.query<{ name: string; d: string }>(`SELECT conname AS name, CASE WHEN NOT condeferrable THEN 'no' WHEN condeferred THEN 'deferred' ELSE 'immediate' END AS d
    FROM pg_constraint WHERE connamespace = 'app'::regnamespace AND contype IN ('p', 'u') ORDER BY 1`)).map((r) => `${r.name}:${r.d}`);

describe('postgresql: DEFERRABLE unique constraints and primary keys', () => {
  test('pulled, checked clean, rebuilt by the baseline to the same dump; a change is found, applied and undone', async () => {
    const p = await project('postgresql', ['app']);
    await p.query(`CREATE SCHEMA app;
      CREATE TABLE app.slots (id int PRIMARY KEY, pos int, CONSTRAINT slots_pos_key UNIQUE (pos) DEFERRABLE INITIALLY DEFERRED);
      CREATE TABLE app.pairs (a int, b int, CONSTRAINT pairs_pkey PRIMARY KEY (a, b) DEFERRABLE, CONSTRAINT pairs_ab UNIQUE (b, a) DEFERRABLE INITIALLY DEFERRED);
      CREATE TABLE app.single (id int CONSTRAINT single_pkey PRIMARY KEY DEFERRABLE INITIALLY DEFERRED)`);
    const before = pgSchemaDump(p.url);
    const pulled = await ok(p, 'pull', '--baseline', '-m', 'baseline');
    assert.doesNotMatch(pulled, /deferrable/, 'nothing listed as not declared');
    const source = readFileSync(path.join(p.dir, 'models', 'schema.ts'), 'utf8');
    assert.match(source, /pos: integer\(\)\.unique\(\{ deferrable: 'deferred' \}\)/);
    assert.match(source, /id: integer\(\)\.primaryKey\(\{ deferrable: 'deferred' \}\)/);
    assert.match(source, /primaryKey\(\)\.on\(t\.a, t\.b\)\.deferrable\(\)/);
    assert.match(source, /unique\('pairs_ab'\)\.on\(t\.b, t\.a\)\.deferrable\('deferred'\)/);
    await ok(p, 'check');

    // The baseline builds a database with the same constraints: shifting every position in one UPDATE still runs.
    const q = await project('postgresql', ['app']);
    cpSync(path.join(p.dir, 'migrations'), path.join(q.dir, 'migrations'), { recursive: true });
    await ok(q, 'upgrade', 'head');
    assert.equal(pgSchemaDump(q.url), before);
    await q.query('INSERT INTO app.slots VALUES (1, 1), (2, 2); UPDATE app.slots SET pos = pos + 1');

    // Declared NOT DEFERRABLE: check sees it, the revision drops and adds it, and the downgrade puts it back.
    writeFileSync(path.join(p.dir, 'models', 'schema.ts'), source.replace("unique({ deferrable: 'deferred' })", 'unique()').replace('.on(t.a, t.b).deferrable()', ".on(t.a, t.b).deferrable('deferred')"));
    const check = await p.retort('check');
    assert.equal(check.code, 1, check.stdout + check.stderr);
    assert.match(check.stdout, /^ {2}- unique slots_pos_key on app\.slots \(pos\) deferrable initially deferred$/m);
    assert.match(check.stdout, /^ {2}\+ unique slots_pos_key on app\.slots \(pos\)$/m);
    assert.match(check.stdout, /^ {2}\+ primary key pairs_pkey on app\.pairs \(a, b\) deferrable initially deferred$/m);
    await ok(p, 'revision', '--autogenerate', '-m', 'not deferrable', '--rev-id', '000000000002');
    await ok(p, 'upgrade', 'head');
    assert.deepEqual(await deferral(p), ['pairs_ab:deferred', 'pairs_pkey:deferred', 'single_pkey:deferred', 'slots_pkey:no', 'slots_pos_key:no']);
    await ok(p, 'check');
    await ok(p, 'downgrade', '-1');
    assert.deepEqual(await deferral(p), ['pairs_ab:deferred', 'pairs_pkey:immediate', 'single_pkey:deferred', 'slots_pkey:no', 'slots_pos_key:deferred']);
  });
});

describe('sqlite: DEFERRABLE unique constraints and primary keys are refused at model load', () => {
  for (const [what, model] of [
    ['a unique constraint', `export const t = table('t', { id: integer().primaryKey(), a: integer().unique({ deferrable: 'deferred' }) });`],
    ['a primary key', `export const t = table('t', { a: integer(), b: integer() }, (t) => [primaryKey().on(t.a, t.b).deferrable()]);`],
  ] as const) {
    test(`${what}: one clear line with a hint, nothing written`, async () => {
      const p = await project('sqlite');
      writeModels(p, `import { integer, primaryKey, table } from 'retort-migrate';\n${model}\n`);
      const r = await p.retort('revision', '--autogenerate', '-m', 'deferrable');
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /is declared deferrable, which SQLite has only for foreign keys/);
      assert.match(r.stderr, /hint: remove deferrable/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    });
  }
});
