/** The `schema` config key: PostgreSQL reads and writes there; SQLite, which has no schemas, ignores it. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createProject, DIALECTS } from './helpers/project.js';

const MODELS = `import { enumType, serial, table, varchar } from 'retort-migrate';
export const kind = enumType('kind', ['a', 'b']);
export const items = table('items', { id: serial().primaryKey(), name: varchar(50).notNull().unique(), kind: kind() });
`;

for (const dialect of DIALECTS) {
  test(`schema: 'tenant_one' on ${dialect}`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      if (dialect === 'postgresql') {
        await p.query('CREATE SCHEMA tenant_one');
        await p.query('CREATE TABLE public.items (id integer)');
      }
      writeFileSync(path.join(p.dir, 'retort.config.ts'), `export default { migrations: 'migrations', models: ['models/*.ts'], schema: 'tenant_one' };\n`);
      mkdirSync(path.join(p.dir, 'models'));
      writeFileSync(path.join(p.dir, 'models', 'm.ts'), MODELS);
      const gen = await p.retort('revision', '--autogenerate', '-m', 'items', '--rev-id', '5c0000000001');
      assert.equal(gen.code, 0, gen.stderr);
      const up = await p.retort('upgrade', 'head');
      assert.equal(up.code, 0, up.stderr);
      assert.match((await p.retort('check')).stdout, /No changes detected/);
      if (dialect === 'postgresql') {
        const tables = await p.query<{ t: string }>(`SELECT schemaname || '.' || tablename AS t FROM pg_tables WHERE schemaname IN ('public', 'tenant_one') ORDER BY 1`);
        assert.deepEqual(tables.map((r) => r.t), ['public.items', 'tenant_one.items', 'tenant_one.retort_history', 'tenant_one.retort_version']);
        const sql = await p.retort('upgrade', 'base:head', '--sql');
        // Quiet (client_min_messages = error) until the version tables' CREATE TABLE IF NOT EXISTS have run.
        assert.match(sql.stdout, /^SET standard_conforming_strings = on;\s+SET client_min_messages = error;\s+COMMIT;\s+DO \$\$[\s\S]*SET search_path TO "tenant_one";[\s\S]*CREATE TABLE IF NOT EXISTS "retort_history"[^\n]*\s+RESET client_min_messages;\s+-- Running upgrade/);
        writeFileSync(path.join(p.dir, 'retort.config.ts'), `export default { migrations: 'migrations', schema: 'no_such_schema' };\n`);
        const bad = await p.retort('current');
        assert.equal(bad.code, 1);
        assert.match(bad.stderr, /cannot use schema "no_such_schema".*does not exist/);
        assert.match(bad.stderr, /CREATE SCHEMA/);
      }
      const down = await p.retort('-c', 'retort.config.ts', 'downgrade', 'base');
      if (dialect === 'sqlite') assert.equal(down.code, 0, down.stderr);
    } finally {
      await p.cleanup();
    }
  });
}
