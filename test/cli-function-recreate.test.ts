/**
 * A function PostgreSQL cannot CREATE OR REPLACE (an argument renamed, a default removed) is dropped and created again
 * (probe findings): the DROP names its arguments without their defaults, which PostgreSQL's DROP refuses, and the
 * function's owner and EXECUTE privileges come back with it, so that a SECURITY DEFINER function whose EXECUTE was
 * revoked from PUBLIC does not come back executable by everyone.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkClean, createProject, retortOk as ok, revisionSource, writeModels } from './helpers/project.js';
import { withoutDefaults } from '../src/dialects/postgres/postgres-routines.js';

test('an argument list without its defaults, as DROP takes it', () => {
  assert.equal(withoutDefaults('amount numeric, rate numeric DEFAULT 0.2'), 'amount numeric, rate numeric');
  assert.equal(withoutDefaults("a int = 3, b text default 'x, DEFAULT y'"), 'a int, b text');
  assert.equal(withoutDefaults('default_rate numeric, "default" int DEFAULT (1 + 2)'), 'default_rate numeric, "default" int');
  assert.equal(withoutDefaults('VARIADIC xs int[] DEFAULT ARRAY[1, 2], y numeric(10,2)'), 'VARIADIC xs int[], y numeric(10,2)');
  assert.equal(withoutDefaults('a text DEFAULT $$,$$, OUT r int'), 'a text, OUT r int');
  assert.equal(withoutDefaults(''), '');
});

test('a function re-created for a renamed argument with a default keeps its owner and grants, up and down (postgresql)', async () => {
  const p = await createProject('postgresql', { empty: true });
  const reader = `retort_fn_reader_${process.pid}`;
  const owner = `retort_fn_owner_${process.pid}`;
  try {
    await p.query(`DO $$ BEGIN
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${reader}') THEN CREATE ROLE ${reader}; END IF;
      IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${owner}') THEN CREATE ROLE ${owner}; END IF; END $$`);
    const models = (arg: string) => `import { fn, sql, table, bigint, text } from 'retort-migrate';
export const events = table('events', { tenant_id: bigint().notNull(), kind: text() });
export const tax = fn('tax', { args: '${arg} numeric, rate numeric DEFAULT 0.2', returns: 'numeric', language: 'sql', volatility: 'immutable' }, sql\` SELECT round(${arg} * rate, 2) \`);
export const countEvents = fn('count_events', { args: '${arg} bigint', returns: 'bigint', language: 'sql', volatility: 'stable', securityDefiner: true, searchPath: 'public' }, sql\` SELECT count(*) FROM events WHERE tenant_id = ${arg} \`);
`;
    writeModels(p, models('amount'), 'm.ts');
    await ok(p, 'revision', '--autogenerate', '-m', 'init', '--rev-id', 'fa0000000001');
    await ok(p, 'upgrade', 'head');
    await p.query(`REVOKE EXECUTE ON FUNCTION count_events(bigint) FROM PUBLIC; GRANT EXECUTE ON FUNCTION count_events(bigint) TO ${reader} WITH GRANT OPTION;
      ALTER FUNCTION count_events(bigint) OWNER TO ${owner}; REVOKE EXECUTE ON FUNCTION tax(numeric, numeric) FROM PUBLIC`);
    const privileges = async () =>
      (await p.query<{ g: string }>(`SELECT p.proname || ' owner=' || pg_get_userbyid(p.proowner) || ' acl=' || coalesce(array_to_string(array(
          SELECT CASE WHEN a.grantee = 0 THEN 'PUBLIC' ELSE pg_get_userbyid(a.grantee) END || CASE WHEN a.is_grantable THEN '*' ELSE '' END
          FROM aclexplode(p.proacl) a WHERE a.grantee <> p.proowner ORDER BY 1), ','), 'default') AS g
        FROM pg_proc p WHERE p.pronamespace = 'public'::regnamespace ORDER BY 1`)).map((r) => r.g);
    const before = await privileges();
    assert.deepEqual(before, [`count_events owner=${owner} acl=${reader}*`, 'tax owner=postgres acl=']);
    const publicMay = async () => (await p.query<{ ok: boolean }>(`SELECT has_function_privilege('public', 'count_events(bigint)', 'execute') AS ok`))[0]!.ok;
    assert.equal(await publicMay(), false);

    writeModels(p, models('amt'), 'm.ts');
    await ok(p, 'revision', '--autogenerate', '-m', 'rename args', '--rev-id', 'fa0000000002');
    const script = await ok(p, 'upgrade', 'fa0000000001:fa0000000002', '--sql');
    assert.match(script, /DROP FUNCTION "tax"\(amt numeric, rate numeric\)/);
    assert.doesNotMatch(script, /DROP FUNCTION[^\n]*DEFAULT/);
    await ok(p, 'upgrade', 'head');
    await checkClean(p);
    assert.deepEqual(await privileges(), before);
    assert.equal(await publicMay(), false);
    assert.deepEqual(
      (await p.query<{ a: string }>(`SELECT pg_get_function_identity_arguments('tax'::regproc) AS a`))[0]!.a,
      'amt numeric, rate numeric',
    );
    await ok(p, 'downgrade', '-1');
    assert.deepEqual(await privileges(), before);
    assert.equal(await publicMay(), false);
    await ok(p, 'upgrade', 'head');

    // A function whose privileges were never changed keeps PostgreSQL's default (EXECUTE for PUBLIC): nothing revoked.
    p.writeRevision('fa0000000003_plain.ts', revisionSource('fa0000000003', 'fa0000000002', 'plain', `  op.createFunction('plain', { args: 'x int DEFAULT 1', returns: 'int', language: 'sql' }, 'SELECT x');
  op.replaceFunction('plain', { args: 'y int', returns: 'int', language: 'sql', recreate: true }, 'SELECT y');`, `  op.dropFunction('plain', 'integer');`));
    await ok(p, 'upgrade', 'head');
    assert.equal((await p.query<{ ok: boolean }>(`SELECT has_function_privilege('public', 'plain(integer)', 'execute') AS ok`))[0]!.ok, true);
    await ok(p, 'downgrade', 'base');
    assert.deepEqual(await p.query(`SELECT proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace`), []);
  } finally {
    await p.query(`DROP OWNED BY ${reader}, ${owner}; DROP ROLE IF EXISTS ${reader}; DROP ROLE IF EXISTS ${owner}`).catch(() => undefined);
    await p.cleanup();
  }
});

test('an aggregate given a final function of another result type is dropped and created again, its grants kept (postgresql)', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    const models = (final: boolean) => `import { aggregate, fn, sql } from 'retort-migrate';
export const addLen = fn('add_len', { args: 'acc integer, t text', returns: 'integer', language: 'sql', volatility: 'immutable' }, sql\` SELECT acc + length(t) \`);
export const toBig = fn('to_big', { args: 'acc integer', returns: 'bigint', language: 'sql', volatility: 'immutable' }, sql\` SELECT acc::bigint * 1000 \`);
export const totalLen = aggregate('total_len', { args: 'text', sfunc: addLen, stype: 'integer', initcond: '0'${final ? ', finalfunc: toBig' : ''} });
`;
    writeModels(p, models(false), 'm.ts');
    await ok(p, 'revision', '--autogenerate', '-m', 'init', '--rev-id', 'fa0000000011');
    await ok(p, 'upgrade', 'head');
    await p.query(`REVOKE EXECUTE ON FUNCTION total_len(text) FROM PUBLIC`);
    writeModels(p, models(true), 'm.ts');
    await ok(p, 'revision', '--autogenerate', '-m', 'final', '--rev-id', 'fa0000000012');
    const file = readdirSync(path.join(p.dir, 'migrations')).find((f) => f.startsWith('fa0000000012'))!;
    assert.match(readFileSync(path.join(p.dir, 'migrations', file), 'utf8').split('export function downgrade')[0]!, /op\.replaceFunction\('total_len', \{ kind: 'aggregate'[^\n]*recreate: true/);
    await ok(p, 'upgrade', 'head');
    await checkClean(p);
    const result = async () => (await p.query<{ t: string }>(`SELECT pg_typeof(total_len(x))::text AS t FROM (VALUES ('ab'), ('c')) v(x)`))[0]!.t;
    assert.equal(await result(), 'bigint');
    const publicMay = async () => (await p.query<{ ok: boolean }>(`SELECT has_function_privilege('public', 'total_len(text)', 'execute') AS ok`))[0]!.ok;
    assert.equal(await publicMay(), false);
    await ok(p, 'downgrade', '-1');
    assert.equal(await result(), 'integer');
    assert.equal(await publicMay(), false);
  } finally {
    await p.cleanup();
  }
});
