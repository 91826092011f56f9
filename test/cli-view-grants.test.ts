/**
 * A view's grants survive the view being moved out of the way (dropped and created again around a change to the
 * table it reads), on PostgreSQL: models declare no grants, so a DROP VIEW took them with it and the application's
 * role met "permission denied" after a routine column change (probe finding).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkClean, createProject, revisionSource, type TestProject, writeModels as writeModelsIn, retortOk as ok } from './helpers/project.js';

const writeModels = (p: TestProject, source: string): void => writeModelsIn(p, source, 'm.ts');

test('grants on a view and a materialized view moved out of the way are kept, up and down (postgresql)', async () => {
  const p = await createProject('postgresql', { empty: true });
  const role = `retort_reader_${process.pid}`;
  try {
    await p.query(`DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role}; END IF; END $$`);
    const models = (score: string) => `import { integer, serial, table, ${score}, view, materializedView } from 'retort-migrate';
export const t = table('t', { id: serial().primaryKey(), score: ${score}() });
export const v = view('v', 'SELECT id, score FROM t');
export const mv = materializedView('mv', 'SELECT id, score FROM t');
`;
    writeModels(p, models('integer'));
    await ok(p, 'revision', '--autogenerate', '-m', 'init', '--rev-id', 'af0000000001');
    await ok(p, 'upgrade', 'head');
    await p.query(`GRANT SELECT ON v, mv TO ${role}; GRANT SELECT, UPDATE ON v TO PUBLIC; GRANT UPDATE (score) ON v TO ${role}`);
    const grants = async () =>
      (await p.query<{ g: string }>(`SELECT c.relname || ':' || coalesce(array_to_string(array(SELECT a.privilege_type || '>' || CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END FROM aclexplode(c.relacl) a WHERE a.grantee <> c.relowner ORDER BY 1), ','), '') AS g FROM pg_class c WHERE c.relname IN ('v', 'mv') ORDER BY 1`)).map((r) => r.g);
    const columnGrants = async () => (await p.query<{ g: string }>(`SELECT a.attname || ':' || array_to_string(a.attacl, ',') AS g FROM pg_attribute a WHERE a.attrelid = 'v'::regclass AND a.attacl IS NOT NULL`)).map((r) => r.g.replace(/\/.*$/, ''));
    const before = await grants();
    assert.deepEqual(before, [`mv:SELECT>${role}`, `v:SELECT>PUBLIC,SELECT>${role},UPDATE>PUBLIC`]);
    const columnsBefore = await columnGrants();
    assert.deepEqual(columnsBefore, [`score:${role}=w`]);
    writeModels(p, models('bigint'));
    await ok(p, 'revision', '--autogenerate', '-m', 'widen', '--rev-id', 'af0000000002');
    await ok(p, 'upgrade', 'head');
    await checkClean(p);
    assert.deepEqual(await grants(), before);
    assert.deepEqual(await columnGrants(), columnsBefore);
    await ok(p, 'downgrade', '-1');
    assert.deepEqual(await grants(), before);
    assert.deepEqual(await columnGrants(), columnsBefore);
    // The script carries the same statements (a temporary table: nothing outlives the session).
    const script = await ok(p, 'upgrade', 'af0000000001:af0000000002', '--sql');
    assert.match(script, /CREATE TEMP TABLE IF NOT EXISTS retort_view_grants/);
    // A hand-written revision with an autocommit block between the drop and the create: the grants outlive its COMMIT.
    await ok(p, 'upgrade', 'head');
    p.writeRevision('af0000000003_block.ts', revisionSource('af0000000003', 'af0000000002', 'block between', `  op.dropView('v');
  op.autocommitBlock((op) => op.execute('SELECT 1'));
  op.createView('v', 'SELECT id, score FROM t');`, `  op.execute('SELECT 1');`));
    await ok(p, 'upgrade', 'head');
    assert.deepEqual(await grants(), before);
    await ok(p, 'downgrade', 'base');
  } finally {
    await p.query(`DROP OWNED BY ${role}; DROP ROLE IF EXISTS ${role}`).catch(() => undefined);
    await p.cleanup();
  }
});
