/**
 * Row-level security through the CLI. PostgreSQL: a table's switches and its policies declared -> autogenerate ->
 * upgrade -> check clean; a clause written otherwise (case, spacing, parentheses) is no change; a changed policy is
 * altered in place (ALTER POLICY) or dropped and created (its command), and the downgrade restores the previous
 * definitions exactly; a column type change under a policy moves it out of the way both ways; a role that does not
 * exist is one line naming it; --sql prints the statements; pull declares it all and check stays clean; downgrade base
 * leaves nothing. SQLite: the models and op calls are refused with one line each.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { checkClean, createProject, retortOk, revisionSource, writeModels, type TestProject } from './helpers/project.js';
import { pgAdminUrl, pgQuery } from './helpers/db.js';

const ROLE = 'retort_rls_reader';
const HEAD = `import { bigint, integer, serial, table, text, sql, policy } from 'retort-migrate';\n`;
const film = (lengthType = 'integer', rls = '.enableRls()') => `export const film = table('film', { id: serial().primaryKey(), title: text().notNull(), rating: text(), tenant: integer(), length: ${lengthType}() })${rls};\n`;
const READ = (using: string, to = `['${ROLE}']`, command = 'select') => `export const readOwn = policy('read_own', { on: film, for: '${command}', to: ${to}, using: sql\`${using}\` });\n`;
const WRITE = "export const writeLong = policy('write_long', { on: film, for: 'insert', withCheck: sql`length > 0` });\n";
const NO_R = "export const noR = policy('no_r', { on: 'film', using: sql`rating <> 'R'`, permissive: false });\n";
const V1 = HEAD + film() + READ(`tenant = current_setting('app.tenant')::int`) + WRITE + NO_R;
// The same clauses written otherwise: PostgreSQL prints them back alike.
const V1_RESPELLED = HEAD + film() + READ(`(TENANT   = current_setting('app.tenant')::integer)`) + WRITE.replace('length > 0', '(length>0)') + NO_R;
const V2 = HEAD + film('integer', '.enableRls().forceRls()') + READ(`tenant = 1 and length > 10`, "'public'") + WRITE + NO_R;

interface PolicyRow { policyname: string; permissive: string; roles: string; cmd: string; qual: string | null; with_check: string | null }

describe('row-level security on postgresql', () => {
  let p: TestProject;
  const revision = (rev: string) => readFileSync(path.join(p.dir, 'migrations', readdirSync(path.join(p.dir, 'migrations')).find((f) => f.startsWith(rev))!), 'utf8');
  const upgradeText = (rev: string) => revision(rev).split('export function downgrade')[0]!;
  const policies = () => p.query<PolicyRow>(`SELECT policyname, permissive, roles::text AS roles, cmd, qual, with_check FROM pg_policies WHERE schemaname = 'public' ORDER BY policyname`);
  const switches = async () => (await p.query<{ e: boolean; f: boolean }>(`SELECT relrowsecurity AS e, relforcerowsecurity AS f FROM pg_class WHERE oid = 'film'::regclass`))[0];
  const clean = () => checkClean(p);
  const autogenerate = (rev: string) => retortOk(p, 'revision', '--autogenerate', '-m', `step ${rev}`, '--rev-id', rev);

  before(async () => {
    await pgQuery(pgAdminUrl(), `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${ROLE}') THEN CREATE ROLE ${ROLE}; END IF; END $$`);
    p = await createProject('postgresql', { empty: true });
  });
  after(async () => {
    await p?.cleanup();
  });

  test('declared switches and policies are created with the table, and check is clean', async () => {
    writeModels(p, V1, 'film.ts');
    await autogenerate('a1');
    const up = upgradeText('a1');
    assert.match(up, /op\.enableRls\('film'\)/);
    assert.match(up, /op\.createPolicy\('read_own', \{ on: 'film', for: 'select', to: \['retort_rls_reader'\], using: sql`/);
    assert.match(up, /op\.createPolicy\('no_r', \{ on: 'film', using: sql`rating <> 'R'`, permissive: false \}\)/);
    await retortOk(p, 'upgrade', 'head');
    assert.deepEqual(await switches(), { e: true, f: false });
    const rows = await policies();
    assert.deepEqual(rows.map((r) => [r.policyname, r.permissive, r.roles, r.cmd]), [
      ['no_r', 'RESTRICTIVE', '{public}', 'ALL'], ['read_own', 'PERMISSIVE', `{${ROLE}}`, 'SELECT'], ['write_long', 'PERMISSIVE', '{public}', 'INSERT'],
    ]);
    await clean();
  });

  test('clauses written otherwise are no change', async () => {
    writeModels(p, V1_RESPELLED, 'film.ts');
    await clean();
    writeModels(p, V1, 'film.ts');
  });

  test('a changed policy is altered in place, a forced table is forced, and the downgrade restores both exactly', async () => {
    const before = await policies();
    writeModels(p, V2, 'film.ts');
    await autogenerate('a2');
    const up = upgradeText('a2');
    assert.match(up, /op\.alterPolicy\('read_own', \{ on: 'film', for: 'select', using: sql`tenant = 1 and length > 10` \}\)/);
    assert.match(up, /op\.forceRls\('film'\)/);
    assert.doesNotMatch(up, /dropPolicy/);
    await retortOk(p, 'upgrade', 'head');
    assert.deepEqual(await switches(), { e: true, f: true });
    await clean();
    await retortOk(p, 'downgrade', '-1');
    assert.deepEqual(await policies(), before);
    assert.deepEqual(await switches(), { e: true, f: false });
    await retortOk(p, 'upgrade', 'head');
  });

  test('a policy whose command changes is dropped and created again', async () => {
    writeModels(p, HEAD + film('integer', '.enableRls().forceRls()') + READ('tenant = 1', `['${ROLE}']`, 'update') + WRITE + NO_R, 'film.ts');
    await autogenerate('a3');
    const up = upgradeText('a3');
    assert.match(up, /op\.dropPolicy\('read_own', 'film'\);[\s\S]*op\.createPolicy\('read_own', \{ on: 'film', for: 'update'/);
    await retortOk(p, 'upgrade', 'head');
    await clean();
    await retortOk(p, 'downgrade', '-1');
    assert.equal((await policies()).find((r) => r.policyname === 'read_own')?.cmd, 'SELECT');
    await retortOk(p, 'upgrade', 'head');
  });

  test('a column type change under a policy moves the policy out of the way, both ways', async () => {
    const before = await policies();
    writeModels(p, HEAD + film('bigint', '.enableRls().forceRls()') + READ('tenant = 1', `['${ROLE}']`, 'update') + WRITE + NO_R, 'film.ts');
    await autogenerate('a4');
    const up = upgradeText('a4');
    assert.match(up, /op\.dropPolicy\('write_long', 'film'\);[\s\S]*op\.alterColumn\('film', 'length'[\s\S]*op\.createPolicy\('write_long'/);
    await retortOk(p, 'upgrade', 'head');
    await clean();
    await retortOk(p, 'downgrade', '-1');
    assert.deepEqual(await policies(), before);
    await retortOk(p, 'upgrade', 'head');
  });

  test('--sql prints the statements', async () => {
    const out = await retortOk(p, 'upgrade', 'base:a2', '--sql');
    assert.match(out, /ALTER TABLE "film" ENABLE ROW LEVEL SECURITY/);
    assert.match(out, /CREATE POLICY "no_r" ON "film" AS RESTRICTIVE FOR ALL TO PUBLIC USING \(rating <> 'R'\)/);
    assert.match(out, /ALTER POLICY "read_own" ON "film" TO PUBLIC USING/);
    assert.match(out, /ALTER TABLE "film" FORCE ROW LEVEL SECURITY/);
  });

  test('a role that does not exist is one line naming it', async () => {
    writeModels(p, HEAD + film() + READ('tenant = 1', "['retort_no_such_role']"), 'film.ts');
    const r = await p.retort('check');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /policy "read_own" on "film" names role "retort_no_such_role", which does not exist/);
    assert.match(r.stderr, /CREATE ROLE "retort_no_such_role"/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });

  test('pull declares the switches and the policies, and check is clean', async () => {
    rmSync(path.join(p.dir, 'models'), { recursive: true, force: true });
    const pulled = await retortOk(p, 'pull');
    assert.doesNotMatch(pulled, /policy on/, 'no policy listed as not declared');
    assert.doesNotMatch(pulled, /row level security on/, 'RLS is declared (.enableRls()), never listed as not declared');
    const text = readFileSync(path.join(p.dir, 'models', 'schema.ts'), 'utf8');
    assert.match(text, /\.enableRls\(\)\.forceRls\(\);/);
    assert.match(text, /= policy\('read_own', \{ on: film, for: 'update', to: \['retort_rls_reader'\], using: sql`/);
    await clean();
  });

  test('downgrade base leaves nothing', async () => {
    await retortOk(p, 'downgrade', 'base');
    assert.deepEqual(await policies(), []);
    assert.deepEqual(await p.tables(), []);
  });
});

describe('row-level security on sqlite', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('sqlite', { empty: true });
  });
  after(async () => {
    await p?.cleanup();
  });

  test('models that declare it are refused with one line', async () => {
    writeModels(p, HEAD + film() + WRITE, 'film.ts');
    let r = await p.retort('check');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /table "film": row-level security \(enableRls\/forceRls\) is declared, which SQLite does not have/);
    writeModels(p, HEAD + film('integer', '') + WRITE, 'film.ts');
    r = await p.retort('check');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /policy "write_long" on "film" is declared, which SQLite does not have/);
  });

  test('op calls in a revision are refused with one line', async () => {
    p.writeRevision('r1_rls.ts', revisionSource('r1', null, 'rls', `  op.createTable('film', { id: serial().primaryKey() });\n  op.enableRls('film');`));
    const r = await p.retort('upgrade', 'head');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /op\.enableRls\('film'\): SQLite has no row-level security/);
  });
});
