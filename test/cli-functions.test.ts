/**
 * Functions, procedures, aggregates and triggers through the CLI on PostgreSQL, with pagila's (test/fixtures/pagila:
 * its nine functions, group_concat and sixteen triggers over tables cut down to the columns the functions use):
 * declared -> autogenerate (tables, then functions in dependency order, then triggers) -> upgrade -> check clean;
 * the definitions equal those pagila's own DDL makes, and check stays clean over pagila's DDL (formatting and type
 * spellings are no change); a changed body is replaced in place and its downgrade restores the function exactly; a
 * new result type drops and re-creates the function with the triggers that execute it; a column type change under
 * a trigger's UPDATE OF moves the trigger out of the way, both ways; overloads are separate functions; the op
 * methods by hand with --sql; lint sees CREATE TRIGGER's lock; pull -> check clean; downgrade base leaves nothing.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkClean, createProject, retortOk, writeModels, type TestProject } from './helpers/project.js';
import { repoRoot, runCli } from './helpers/cli.js';

const FIXTURES = path.join(repoRoot, 'test', 'fixtures', 'pagila');
const PAGILA_MODELS = readFileSync(path.join(FIXTURES, 'routines.models.txt'), 'utf8');
const PAGILA_SQL = readFileSync(path.join(FIXTURES, 'routines.sql'), 'utf8');

describe('functions and triggers on postgresql (pagila)', () => {
  let p: TestProject;
  const revision = (rev: string) => {
    const file = readdirSync(path.join(p.dir, 'migrations')).find((f) => f.startsWith(rev))!;
    return readFileSync(path.join(p.dir, 'migrations', file), 'utf8');
  };
  const upgradeText = (rev: string) => revision(rev).split('export function downgrade')[0]!;
  const downgradeText = (rev: string) => revision(rev).split('export function downgrade')[1]!;
  const autogenerate = (rev: string) => retortOk(p, 'revision', '--autogenerate', '-m', `step ${rev}`, '--rev-id', rev);
  const clean = () => checkClean(p);
  /** Every function's and trigger's definition as PostgreSQL prints it. */
  const definitions = async () => {
    const fns = await p.query<{ d: string }>(`SELECT CASE WHEN p.prokind = 'a' THEN p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') ' || a.aggtransfn::regproc || ' ' || format_type(a.aggtranstype, NULL)
      ELSE pg_get_functiondef(p.oid) END AS d FROM pg_proc p LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid WHERE p.pronamespace = 'public'::regnamespace ORDER BY 1`);
    const triggers = await p.query<{ d: string }>(`SELECT pg_get_triggerdef(oid) AS d FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1`);
    return [...fns, ...triggers].map((r) => r.d);
  };
  const functionDef = async (name: string) => (await p.query<{ d: string }>(`SELECT pg_get_functiondef(oid) AS d FROM pg_proc WHERE proname = '${name}'`)).map((r) => r.d);

  before(async () => {
    p = await createProject('postgresql', { empty: true });
  });
  after(async () => {
    await p?.cleanup();
  });

  test('declared -> autogenerate -> upgrade -> check clean, in dependency order', async () => {
    writeModels(p, PAGILA_MODELS, 'pagila.ts');
    await autogenerate('000000000001');
    const up = upgradeText('000000000001');
    // Tables, then functions (inventory_in_stock before the SQL function that calls it, the state function before its
    // aggregate), then the triggers.
    const at = (s: string) => {
      const i = up.indexOf(s);
      assert.ok(i >= 0, `${s} in\n${up}`);
      return i;
    };
    assert.ok(at("op.createTable('store'") < at("op.createFunction('inventory_in_stock'"));
    assert.ok(at("op.createFunction('inventory_in_stock'") < at("op.createFunction('film_in_stock'"));
    assert.ok(at("op.createFunction('_group_concat'") < at("op.createFunction('group_concat', { kind: 'aggregate', args: 'text', sfunc: '_group_concat', stype: 'text' });"));
    assert.ok(at("op.createFunction('rewards_report', { args: 'min_monthly_purchases integer, min_dollar_amount_purchased numeric', returns: 'SETOF customer', language: 'plpgsql', securityDefiner: true }") < at("op.createTrigger('last_updated', { on: 'actor'"));
    at("op.createTrigger('film_fulltext_trigger', { on: 'film', timing: 'before', events: ['insert', 'update'], forEachRow: true, execute: 'tsvector_update_trigger', args: ['fulltext', 'pg_catalog.english', 'title', 'description'] });");
    // The body is written as declared, not indented with the code around it.
    at("sql`\nBEGIN\n    NEW.last_update = CURRENT_TIMESTAMP;\n    RETURN NEW;\nEND `);");
    // The downgrade drops the triggers first and the functions after them, before the tables.
    const down = downgradeText('000000000001');
    assert.ok(down.indexOf("op.dropTrigger('last_updated', 'store');") < down.indexOf("op.dropFunction('last_updated', '');"));
    assert.ok(down.indexOf("op.dropFunction('group_concat', 'text', { kind: 'aggregate' });") < down.indexOf("op.dropFunction('_group_concat', 'text, text');"));
    assert.ok(down.indexOf("op.dropFunction('rewards_report'") < down.indexOf("op.dropTable('customer')"));

    const sql = await retortOk(p, 'upgrade', 'head', '--sql');
    assert.match(sql, /CREATE FUNCTION "last_day"\(timestamp with time zone\)\n {4}RETURNS date\n {4}LANGUAGE sql\n {4}IMMUTABLE\n {4}STRICT\n {4}AS \$body\$\n {2}SELECT CASE/);
    assert.match(sql, /CREATE AGGREGATE "group_concat"\(text\) \(\n {4}SFUNC = _group_concat,\n {4}STYPE = text\n\)/);
    assert.match(sql, /CREATE TRIGGER "last_updated" BEFORE UPDATE ON "actor" FOR EACH ROW EXECUTE FUNCTION "last_updated"\(\)/);
    await retortOk(p, 'upgrade', 'head');
    await clean();
    assert.equal((await p.query<{ n: string }>(`SELECT count(*)::text AS n FROM pg_trigger WHERE NOT tgisinternal`))[0]!.n, '16');
    // The functions work: the trigger sets last_update, the aggregate concatenates.
    await p.query(`INSERT INTO actor DEFAULT VALUES; UPDATE actor SET last_update = '2000-01-01'`);
    assert.equal((await p.query<{ y: number }>(`SELECT extract(year FROM last_update)::int AS y FROM actor`))[0]!.y > 2000, true);
    assert.equal((await p.query<{ g: string }>(`SELECT group_concat(x) AS g FROM (VALUES ('a'), ('b')) v(x)`))[0]!.g, 'a, b');
  });

  test("the definitions are those pagila's own DDL makes, and check is clean over pagila's DDL", async () => {
    const ours = await definitions();
    await p.query(`DROP FUNCTION last_updated() CASCADE; DROP AGGREGATE group_concat(text); DROP FUNCTION _group_concat(text, text), film_in_stock(integer, integer), film_not_in_stock(integer, integer),
      get_customer_balance(integer, timestamptz), inventory_held_by_customer(integer), inventory_in_stock(integer), last_day(timestamptz), rewards_report(integer, numeric); DROP TRIGGER film_fulltext_trigger ON film`);
    // As pg_dump's file does: film_in_stock (SQL) calls inventory_in_stock, created after it.
    await p.query(`SET check_function_bodies = false;\n${PAGILA_SQL}`);
    assert.deepEqual(await definitions(), ours);
    await clean();
  });

  test('a changed body is replaced in place; the downgrade restores the function exactly', async () => {
    const before = await functionDef('last_updated');
    writeModels(p, PAGILA_MODELS.replace('NEW.last_update = CURRENT_TIMESTAMP;', 'NEW.last_update = clock_timestamp();'), 'pagila.ts');
    const out = await autogenerate('000000000002');
    assert.match(out, /~ function last_updated\(\): definition changed\n/);
    const up = upgradeText('000000000002');
    assert.match(up, /op\.replaceFunction\('last_updated', \{ returns: 'trigger', language: 'plpgsql' \}, sql`\nBEGIN\n {4}NEW\.last_update = clock_timestamp\(\);/);
    assert.doesNotMatch(up, /dropTrigger|recreate/, 'CREATE OR REPLACE keeps the triggers');
    assert.match(await retortOk(p, 'upgrade', 'head', '--sql'), /CREATE OR REPLACE FUNCTION "last_updated"\(\)/);
    await retortOk(p, 'upgrade', 'head');
    await clean();
    assert.match((await functionDef('last_updated'))[0]!, /clock_timestamp/);
    await retortOk(p, 'downgrade', '-1');
    assert.deepEqual(await functionDef('last_updated'), before);
    await retortOk(p, 'upgrade', 'head');
  });

  test('a new result type drops and re-creates the function and the triggers that execute it; a column type change moves a trigger naming the column', async () => {
    const before = await definitions();
    const models = PAGILA_MODELS.replace('NEW.last_update = CURRENT_TIMESTAMP;', 'NEW.last_update = clock_timestamp();')
      .replace("fn('last_day', { args: 'timestamp with time zone', returns: 'date'", "fn('last_day', { args: 'timestamptz', returns: 'timestamptz'")
      .replace("events: ['insert', 'update'], forEachRow: true, execute: 'tsvector_update_trigger'", "events: ['insert', 'update'], updateOf: ['title', 'description'], when: sql`NEW.title <> ''`, forEachRow: true, execute: 'tsvector_update_trigger'")
      .replace("title: text().notNull()", "title: varchar(200).notNull()")
      .replace('import { table,', 'import { varchar, table,');
    writeModels(p, models, 'pagila.ts');
    await autogenerate('000000000003');
    const up = upgradeText('000000000003');
    assert.match(up, /op\.dropTrigger\('film_fulltext_trigger', 'film'\);[\s\S]*op\.replaceFunction\('last_day', \{ args: 'timestamp with time zone', returns: 'timestamp with time zone'[^\n]*recreate: true \}/);
    assert.ok(up.indexOf("op.alterColumn('film', 'title'") < up.indexOf("op.createTrigger('film_fulltext_trigger'"), 'the trigger comes back after the type change');
    await retortOk(p, 'upgrade', 'head');
    await clean();
    assert.match((await p.query<{ d: string }>(`SELECT pg_get_triggerdef(oid) AS d FROM pg_trigger WHERE tgname = 'film_fulltext_trigger'`))[0]!.d, /UPDATE OF title, description ON public\.film FOR EACH ROW WHEN \(\(\(new\.title\)::text <> ''::text\)\)/);
    await retortOk(p, 'downgrade', '-1');
    assert.deepEqual(await definitions(), before);
    await retortOk(p, 'upgrade', 'head');
  });

  test('overloads are separate functions; a procedure is created and dropped', async () => {
    const extra = `
import { fn as f2, procedure, sql as s2 } from 'retort-migrate';
export const addOne = f2('add_one', { args: 'x int', returns: 'int', language: 'sql', volatility: 'immutable' }, s2\`SELECT x + 1\`);
export const addOneText = f2('add_one', { args: 'x text', returns: 'text', language: 'sql' }, s2\`SELECT x || '1'\`);
export const archive = procedure('archive_films', { args: 'before_year integer', language: 'plpgsql' }, s2\`BEGIN DELETE FROM film WHERE false; END\`);
`;
    writeModels(p, extra, 'extra.ts');
    await autogenerate('000000000004');
    const up = upgradeText('000000000004');
    assert.match(up, /op\.createFunction\('add_one', \{ args: 'x int', returns: 'int'/);
    assert.match(up, /op\.createFunction\('add_one', \{ args: 'x text'/);
    assert.match(up, /op\.createFunction\('archive_films', \{ kind: 'procedure', args: 'before_year integer', language: 'plpgsql' \}/);
    await retortOk(p, 'upgrade', 'head');
    // `int` reads back `integer`: the server's spelling, so no change.
    await clean();
    assert.deepEqual((await p.query<{ v: number }>(`SELECT add_one(41) AS v`))[0]!.v, 42);
    writeModels(p, extra.replace("export const addOneText = f2('add_one', { args: 'x text', returns: 'text', language: 'sql' }, s2`SELECT x || '1'`);\n", ''), 'extra.ts');
    await autogenerate('000000000005');
    assert.match(upgradeText('000000000005'), /^\s*op\.dropFunction\('add_one', 'x text'\);\s*\}/m);
    await retortOk(p, 'upgrade', 'head');
    await clean();
    await retortOk(p, 'downgrade', '-1');
    assert.deepEqual((await p.query<{ v: string }>(`SELECT add_one('4') AS v`))[0]!.v, '41');
    await retortOk(p, 'upgrade', 'head');
  });

  test('verify: each revision up, down and up on a scratch database, functions and triggers compared after each downgrade', async () => {
    // On a scratch database verify makes (the configured URL, not --url).
    const r = await runCli(['verify'], { cwd: p.dir, env: { RETORT_DATABASE_URL: p.url } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /5 revisions/);
  });

  test('op methods by hand, with --sql; lint sees the lock CREATE TRIGGER takes', async () => {
    p.writeRevision('000000000006_by_hand.ts', `import type { Op } from 'retort-migrate';
import { sql } from 'retort-migrate';
export const revision = '000000000006';
export const downRevision = '000000000005';
export const message = 'by hand';
export function upgrade(op: Op): void {
  op.createFunction('shout', { args: 't text', returns: 'text', language: 'sql', volatility: 'immutable', strict: true }, sql\`SELECT upper(t)\`);
  op.createFunction('audit', { returns: 'trigger', language: 'plpgsql', securityDefiner: true, searchPath: 'public, pg_temp' }, sql\`BEGIN RETURN NEW; END\`);
  op.createTrigger('audit_store', { on: 'store', timing: 'after', events: ['insert', 'delete'], forEachRow: true, execute: 'audit' });
}
export function downgrade(op: Op): void {
  op.dropTrigger('audit_store', 'store');
  op.dropFunction('audit', '');
  op.dropFunction('shout', 't text');
}
`);
    const sql = await retortOk(p, 'upgrade', 'head', '--sql');
    assert.match(sql, /CREATE FUNCTION "audit"\(\)\n {4}RETURNS trigger\n {4}LANGUAGE plpgsql\n {4}SECURITY DEFINER\n {4}SET search_path TO public, pg_temp\n {4}AS \$body\$BEGIN RETURN NEW; END\$body\$/);
    assert.match(sql, /CREATE TRIGGER "audit_store" AFTER INSERT OR DELETE ON "store" FOR EACH ROW EXECUTE FUNCTION "audit"\(\)/);
    await retortOk(p, 'upgrade', 'head');
    assert.equal((await p.query<{ v: string }>(`SELECT shout('a') AS v`))[0]!.v, 'A');
    assert.match(await retortOk(p, 'downgrade', '000000000006:-1', '--sql'), /DROP TRIGGER "audit_store" ON "store";\s+DROP FUNCTION "audit"\(\);\s+DROP FUNCTION "shout"\(t text\);/);
    await retortOk(p, 'downgrade', '-1');

    // The same trigger in a revision with no lock_timeout: creating it locks an existing table against writes.
    p.writeRevision('000000000006_by_hand.ts', `import type { Op } from 'retort-migrate';
export const revision = '000000000006';
export const downRevision = '000000000005';
export const message = 'by hand';
export function upgrade(op: Op): void {
  op.createTrigger('touch_store', { on: 'store', timing: 'before', events: ['update'], forEachRow: true, execute: 'last_updated' });
}
export function downgrade(op: Op): void {
  op.dropTrigger('touch_store', 'store');
}
`);
    const config = readFileSync(path.join(p.dir, 'retort.config.ts'), 'utf8');
    writeFileSync(path.join(p.dir, 'retort.config.ts'), config.replace("models: ['models/*.ts']", "models: ['models/*.ts'], revisionLockTimeout: 0"));
    const file = path.join('migrations', '000000000006_by_hand.ts');
    const lint = await p.retort('lint', '--json', file);
    writeFileSync(path.join(p.dir, 'retort.config.ts'), config);
    rmSync(path.join(p.dir, file));
    const findings = (JSON.parse(lint.stdout) as { findings: { rule: string; message: string }[] }).findings;
    assert.ok(findings.some((f) => f.rule === 'require-lock-timeout' && f.message.includes('"store"')), lint.stdout + lint.stderr);
  });

  test('pull writes the functions and triggers; check is clean against the pulled models', async () => {
    await retortOk(p, 'pull', '--out', 'pulled', '--force');
    const source = readFileSync(path.join(p.dir, 'pulled', 'schema.ts'), 'utf8');
    assert.match(source, /export const groupConcat = aggregate\('group_concat', \{ args: 'text', sfunc: groupConcatFn, stype: 'text' \}\);|export const \w+ = aggregate\('group_concat', \{ args: 'text', sfunc: \w+, stype: 'text' \}\);/);
    assert.match(source, /export const actorLastUpdated = trigger\('last_updated', \{ on: actor, timing: 'before', events: \['update'\], forEachRow: true, execute: lastUpdated \}\);/);
    assert.match(source, /fn\('add_one', \{ args: 'x integer', returns: 'integer'/);
    rmSync(path.join(p.dir, 'models'), { recursive: true });
    cpSync(path.join(p.dir, 'pulled'), path.join(p.dir, 'models'), { recursive: true });
    await clean();
  });

  test('downgrade base leaves no function or trigger', async () => {
    await retortOk(p, 'downgrade', 'base');
    assert.deepEqual(await definitions(), []);
  });
});
