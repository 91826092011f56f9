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
