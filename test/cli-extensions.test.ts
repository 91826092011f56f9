/**
 * Extensions from the CLI on PostgreSQL: declared, created before the tables whose columns and defaults use their
 * types and functions, checked clean (the objects an extension installs are its own, never undeclared), a declared
 * version updated in place (ALTER EXTENSION UPDATE TO), an undeclared version never compared, pull declaring them,
 * a downgrade to base leaving none. SQLite refuses an extension at model load.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createProject, type TestProject, writeModels as writeModelsIn, retortOk as ok } from './helpers/project.js';

const writeModels = (p: TestProject, source: string): void => writeModelsIn(p, source, 'm.ts');

async function extensions(p: TestProject): Promise<Record<string, unknown>[]> {
  return p.query(`SELECT e.extname AS name, n.nspname AS schema, e.extversion AS version FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname <> 'plpgsql' ORDER BY 1`);
}

const models = (citext: string) => `import { customType, extension, integer, sql, table, text } from 'retort-migrate';
export const ci = extension('citext', ${citext});
export const crypto = extension('pgcrypto');
export const users = table('users', {
  id: integer().primaryKey(),
  email: customType('citext').notNull(),
  token: text().serverDefault(sql\`encode(digest('x', 'sha256'), 'hex')\`),
});
`;

test('extensions on postgresql: created before their users, version updated in place when declared, pulled, removed', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    writeModels(p, models(`{ version: '1.5' }`));
    const gen = await ok(p, 'revision', '--autogenerate', '-m', 'ext', '--rev-id', 'e00000000001');
    assert.match(gen, /\+ extension citext version 1\.5/);
    assert.match(gen, /\+ extension pgcrypto/);
    const script = await ok(p, 'upgrade', 'head', '--sql');
    assert.ok(script.indexOf(`CREATE EXTENSION "citext" VERSION '1.5'`) >= 0 && script.indexOf(`CREATE EXTENSION "citext"`) < script.indexOf('CREATE TABLE "users"'), script);
    await ok(p, 'upgrade', 'head');
    assert.deepEqual(await extensions(p), [{ name: 'citext', schema: 'public', version: '1.5' }, { name: 'pgcrypto', schema: 'public', version: '1.3' }]);
    // citext's functions and types, pgcrypto's functions: none is reported, nothing to compare.
    assert.match(await ok(p, 'check'), /No changes detected/);

    // Down to base and up again: nothing of ours left, then all back.
    await ok(p, 'downgrade', 'base');
    assert.deepEqual(await extensions(p), []);
    await ok(p, 'upgrade', 'head');

    writeModels(p, models(`{ version: '1.6' }`));
    const check = await p.retort('check');
    assert.equal(check.code, 1, check.stdout);
    assert.match(check.stdout, /~ extension citext: version 1\.5 -> version 1\.6/);
    await ok(p, 'revision', '--autogenerate', '-m', 'update', '--rev-id', 'e00000000002');
    assert.match(await ok(p, 'upgrade', 'e00000000001:e00000000002', '--sql'), /ALTER EXTENSION "citext" UPDATE TO '1\.6';/);
    // The downgrade asks for the old version back (it runs where the extension ships the way down).
    assert.match(await ok(p, 'downgrade', 'e00000000002:e00000000001', '--sql'), /ALTER EXTENSION "citext" UPDATE TO '1\.5';/);
    await ok(p, 'upgrade', 'head');
    assert.equal((await extensions(p))[0]!.version, '1.6');
    // Without a declared version, none is compared.
    writeModels(p, models('{}'));
    assert.match(await ok(p, 'check'), /No changes detected/);

    rmSync(path.join(p.dir, 'models', 'm.ts'));
    const pulled = await ok(p, 'pull');
    assert.doesNotMatch(pulled, /extension|function/i, pulled);
    const written = readFileSync(path.join(p.dir, 'models', 'schema.ts'), 'utf8');
    assert.match(written, /export const citext = extension\('citext', \{ schema: 'public' \}\);/, written);
    assert.match(written, /export const pgcrypto = extension\('pgcrypto', \{ schema: 'public' \}\);/, written);
    assert.match(await ok(p, 'check'), /No changes detected/);
  } finally {
    await p.cleanup();
  }
});

test('extensions on sqlite: refused at model load, naming the extension', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    writeModels(p, models('{}'));
    const r = await p.retort('revision', '--autogenerate', '-m', 'x');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /m\.ts: extension "citext" is declared, but this database has no extensions/);
  } finally {
    await p.cleanup();
  }
});
