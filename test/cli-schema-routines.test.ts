/**
 * Functions, procedures, aggregates and triggers in named schemas (PostgreSQL), through the CLI: `billing.fn(...)`
 * declares billing's function, read back from every managed schema, compared by its qualified identity (a function of
 * the same name in the default schema is another one), created, replaced and dropped with qualified names; a trigger on
 * a billing table executing billing's function; a function of the default schema calling one of billing (created
 * after it); the server's spelling of their arguments and of a trigger's WHEN asked of it as for the default schema's;
 * downgrade base leaves no schema of ours. And `retort pull` declares them through the schema's variable.
 * SQLite has neither schemas nor functions: a named schema is refused at load there (cli-schemas.test.ts).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkClean, createProject, retortOk, writeModels, type TestProject } from './helpers/project.js';

const CONFIG = `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'], schemas: ['public', 'billing'] });\n`;

const revisionOf = (p: TestProject, rev: string) => readFileSync(path.join(p.dir, 'migrations', readdirSync(path.join(p.dir, 'migrations')).find((f) => f.startsWith(rev))!), 'utf8');

/** The functions and triggers of public and billing, as PostgreSQL prints them. */
async function routines(p: TestProject): Promise<string[]> {
  const rows = await p.query<{ d: string }>(`
    SELECT n.nspname || ' ' || p.prokind::text || ' ' || CASE WHEN p.prokind = 'a' THEN p.oid::regprocedure::text ELSE pg_get_functiondef(p.oid) END AS d
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname IN ('public', 'billing')
    UNION ALL SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
    ORDER BY 1`);
  return rows.map((r) => r.d);
}

const MODELS = (taxBody: string, withArchive: boolean) => `import { fn, numeric, schema, serial, sql, table, text, timestamp, trigger } from 'retort-migrate';
export const billing = schema('billing');
export const invoices = billing.table('invoices', { id: serial().primaryKey(), total: numeric(10, 2), note: text(), updated_at: timestamp({ withTimezone: true }) });
export const touch = billing.fn('touch', { returns: 'trigger', language: 'plpgsql' }, sql\`BEGIN NEW.updated_at := now(); RETURN NEW; END\`);
export const invoicesTouch = trigger('invoices_touch', { on: invoices, timing: 'before', events: ['insert', 'update'], forEachRow: true, when: sql\`NEW.total IS NOT NULL\`, execute: touch });
export const tax = billing.fn('tax', { args: 'amount numeric', returns: 'numeric', language: 'sql', volatility: 'immutable' }, sql\`${taxBody}\`);
// The same name in the default schema: another function.
export const publicTax = fn('tax', { args: 'amount numeric', returns: 'numeric', language: 'sql', volatility: 'immutable' }, sql\`SELECT 0::numeric\`);
// A SQL function's body is checked when it is created: billing.tax must come first.
export const gross = fn('gross', { args: 'amount numeric', returns: 'numeric', language: 'sql', volatility: 'immutable' }, sql\`SELECT amount + \${tax}(amount)\`);
export const sumOf = billing.fn('sum_of', { args: 'state numeric, x int', returns: 'numeric', language: 'sql', volatility: 'immutable' }, sql\`SELECT coalesce(state, 0) + x\`);
export const total = billing.aggregate('total', { args: 'int', sfunc: sumOf, stype: 'numeric' });
${withArchive ? "export const archive = billing.procedure('archive', { language: 'sql' }, sql`DELETE FROM billing.invoices WHERE note = 'void'`);\n" : ''}`;

test('functions, a procedure, an aggregate and a trigger in a named schema: declare, upgrade, check, change, downgrade base', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    writeFileSync(path.join(p.dir, 'retort.config.ts'), CONFIG);
    writeModels(p, MODELS('SELECT amount * 0.2', true));
    const gen = await retortOk(p, 'revision', '--autogenerate', '-m', 'billing routines', '--rev-id', '5c4f00000001');
    assert.match(gen, /\+ function billing\.tax\(amount numeric\)/);
    assert.match(gen, /\+ function tax\(amount numeric\)/);
    const source = revisionOf(p, '5c4f00000001');
    assert.match(source, /op\.createFunction\('billing\.tax', /);
    assert.match(source, /op\.createFunction\('billing\.sum_of', /);
    assert.match(source, /op\.createFunction\('billing\.total', \{ kind: 'aggregate', args: 'int', sfunc: 'billing\.sum_of'/);
    assert.match(source, /op\.createFunction\('billing\.archive', \{ kind: 'procedure'/);
    assert.match(source, /op\.createTrigger\('invoices_touch', \{ on: 'billing\.invoices', [^\n]*execute: 'billing\.touch'/);
    // Across schemas: the function that calls billing.tax after it; the schema before both.
    assert.ok(source.indexOf("op.createSchema('billing')") < source.indexOf("op.createFunction('billing.tax'"), source);
    assert.ok(source.indexOf("op.createFunction('billing.tax'") < source.indexOf("op.createFunction('gross'"), source);
    await retortOk(p, 'upgrade', 'head');
    const placed = await p.query<{ f: string }>(`SELECT p.oid::regprocedure::text AS f FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname IN ('public', 'billing') ORDER BY 1`);
    assert.deepEqual(placed.map((r) => r.f), ['billing.archive()', 'billing.sum_of(numeric,integer)', 'billing.tax(numeric)', 'billing.total(integer)', 'billing.touch()', 'gross(numeric)', 'tax(numeric)']);
    await checkClean(p);
    // They work: the trigger fires, the cross-schema call and the aggregate answer.
    await p.query(`INSERT INTO billing.invoices (total) VALUES (10), (20)`);
    const [row] = await p.query<{ stamped: boolean; gross: string; total: string }>(`SELECT bool_and(updated_at IS NOT NULL) AS stamped, gross(10)::text AS gross, billing.total(id)::text AS total FROM billing.invoices`);
    assert.deepEqual(row, { stamped: true, gross: '12.0', total: '3' });

    // A change in billing: tax's body replaced in place, the procedure dropped.
    const v1 = await routines(p);
    writeModels(p, MODELS('SELECT amount * 0.25', false));
    const gen2 = await retortOk(p, 'revision', '--autogenerate', '-m', 'billing change', '--rev-id', '5c4f00000002');
    assert.match(gen2, /~ function billing\.tax\(amount numeric\)/);
    assert.match(gen2, /- procedure billing\.archive\(\)/);
    assert.doesNotMatch(gen2, /[+-] function (tax|gross|billing\.touch)/);
    const change = revisionOf(p, '5c4f00000002');
    assert.match(change, /op\.replaceFunction\('billing\.tax', /);
    assert.match(change, /op\.dropFunction\('billing\.archive', '', \{ kind: 'procedure' \}\)/);
    await retortOk(p, 'upgrade', 'head');
    await checkClean(p);
    assert.equal((await p.query<{ g: string }>(`SELECT gross(10)::text AS g`))[0]!.g, '12.50');
    await retortOk(p, 'downgrade', '-1');
    assert.deepEqual(await routines(p), v1, 'the downgrade restores the functions exactly');
    writeModels(p, MODELS('SELECT amount * 0.2', true));
    // Back at the first revision: the database is the first models exactly (check says so, and that head is ahead).
    assert.match((await p.retort('check')).stdout, /The schema matches the models/);
    await retortOk(p, 'downgrade', 'base');
    const left = await p.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'billing' UNION ALL SELECT 1 FROM pg_proc WHERE pronamespace = 'public'::regnamespace`);
    assert.equal(left.length, 0);
  } finally {
    await p.cleanup();
  }
});

test('pull declares the functions and triggers of a named schema through its variable; the models compare clean', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    await p.query(`CREATE SCHEMA billing; CREATE SCHEMA outside;
      CREATE TABLE billing.invoices (id serial PRIMARY KEY, total numeric, updated_at timestamptz);
      CREATE FUNCTION billing.touch() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN NEW.updated_at := now(); RETURN NEW; END$$;
      CREATE TRIGGER invoices_touch BEFORE UPDATE ON billing.invoices FOR EACH ROW EXECUTE FUNCTION billing.touch();
      CREATE FUNCTION billing.tax(amount numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$SELECT amount * 0.2$$;
      CREATE FUNCTION tax(amount numeric) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$SELECT 0::numeric$$;
      CREATE FUNCTION billing.sum_of(state numeric, x integer) RETURNS numeric LANGUAGE sql IMMUTABLE AS $$SELECT coalesce(state, 0) + x$$;
      CREATE AGGREGATE billing.total(integer) (SFUNC = billing.sum_of, STYPE = numeric);
      CREATE PROCEDURE billing.archive() LANGUAGE sql AS $$DELETE FROM billing.invoices WHERE total < 0$$;
      CREATE FUNCTION outside.hidden() RETURNS int LANGUAGE sql AS $$SELECT 1$$`);
    writeFileSync(path.join(p.dir, 'retort.config.ts'), CONFIG);
    await retortOk(p, 'pull', '--baseline', '-m', 'baseline');
    const models = readFileSync(path.join(p.dir, 'models', 'schema.ts'), 'utf8');
    assert.match(models, /= billing\.fn\('tax', \{ args: 'amount numeric'/);
    assert.match(models, /= billing\.fn\('touch', \{ returns: 'trigger'/);
    assert.match(models, /= fn\('tax', \{ args: 'amount numeric'/);
    assert.match(models, /= billing\.aggregate\('total', \{ args: 'integer', sfunc: \w+, stype: 'numeric' \}\)/);
    assert.match(models, /= billing\.procedure\('archive', \{ language: 'sql' \}/);
    assert.match(models, /= trigger\('invoices_touch', \{ on: \w+, timing: 'before', events: \['update'\], forEachRow: true, execute: \w+ \}\)/);
    assert.doesNotMatch(models, /hidden|outside/);
    await checkClean(p);
    await retortOk(p, 'downgrade', 'base');
    assert.equal((await p.query(`SELECT 1 FROM pg_namespace WHERE nspname = 'billing'`)).length, 0);
    await retortOk(p, 'upgrade', 'head');
    await checkClean(p);
  } finally {
    await p.cleanup();
  }
});
