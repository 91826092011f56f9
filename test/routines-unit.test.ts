/**
 * Functions and triggers without a database: the models' checks, the comparator's order (checked by the oracle both
 * ways), SQLite's trigger text taken apart, PostgreSQL's trigger definitions read back, and revision text that keeps a
 * multi-line body as written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { aggregate, bigint, check, enumType, fn, integer, policy, serial, sql, table, text, trigger, view } from '../src/models/builders.js';
import { collectModels } from '../src/models/collect.js';
import { isRetortError } from '../src/errors.js';
import { compareSchemas } from '../src/diff/compare.js';
import { applyOperations } from '../src/operations/apply.js';
import { inverseAll, type Operation } from '../src/operations/operations.js';
import { emptySchema, type SchemaIR } from '../src/ir/ir.js';
import { normalizeSchema } from '../src/dialects/postgres/postgres-normalize.js';
import { postgresEnumPlanner } from '../src/dialects/postgres/postgres-enum-planner.js';
import { parseSqliteTrigger } from '../src/dialects/sqlite/sqlite-triggers.js';
import { buildTrigger } from '../src/dialects/postgres/postgres-routines-read.js';
import { indentCode, linesInTemplates } from '../src/render/literal.js';
import { MODEL_TARGET } from './helpers/models.js';

const film = table('film', { id: serial().primaryKey(), title: text().notNull(), length: integer() });
const touch = fn('touch', { returns: 'trigger', language: 'plpgsql' }, sql`BEGIN RETURN NEW; END`);
const helper = fn('helper', { args: 'x integer', returns: 'integer', language: 'sql' }, sql`SELECT x + 1`);
const caller = fn('caller', { args: 'x integer', returns: 'integer', language: 'sql' }, sql`SELECT helper(x) * 2`);
const concat = fn('_cat', { args: 'text, text', returns: 'text', language: 'sql' }, sql`SELECT $1 || $2`);
const agg = aggregate('cat', { args: 'text', sfunc: concat, stype: 'text' });
const touched = trigger('film_touch', { on: film, timing: 'before', events: ['update', 'insert'], forEachRow: true, execute: touch });

const declared = (exports: Record<string, unknown>): SchemaIR => normalizeSchema(collectModels([{ file: 'm.ts', exports }], MODEL_TARGET));

test('the models: a trigger with its events in one order, a function with its options; mistakes are one line each', () => {
  const s = declared({ film, touch, touched, agg, concat });
  assert.deepEqual(s.triggers, [{ name: 'film_touch', table: 'film', timing: 'before', events: ['insert', 'update'], forEachRow: true, execute: 'touch', args: [] }]);
  assert.deepEqual(s.functions?.find((f) => f.name === 'cat'), { name: 'cat', kind: 'aggregate', args: 'text', body: '', aggregate: { sfunc: '_cat', stype: 'text' }, dependsOn: ['_cat'] });
  const refused = (exports: Record<string, unknown>, message: RegExp) => assert.throws(() => collectModels([{ file: 'm.ts', exports }], MODEL_TARGET), (e: unknown) => isRetortError(e) && message.test(e.message) && e.hint !== undefined);
  refused({ f: fn('f', { returns: 'int', language: '' }, sql`SELECT 1`) }, /function "f": no language/);
  refused({ f: fn('f', { returns: 'int', language: 'sql' }, sql`  `) }, /function "f": the body is empty/);
  refused({ t: trigger('t', { on: film, timing: 'before', events: ['update'], execute: touch, body: sql`SELECT 1;` }) }, /give either execute .* or body/);
  refused({ t: trigger('t', { on: film, timing: 'before', events: [] }) }, /events must name/);
  refused({ a: touch, b: fn('touch', { returns: 'trigger', language: 'sql' }, sql`SELECT 1`) }, /function touch\(\) is declared twice/);
});

test('compare: tables, then functions (those called first), then triggers; the downgrade drops in reverse; the oracle runs both', () => {
  const to = declared({ film, touch, touched, helper, caller, concat, agg });
  const ops = compareSchemas(emptySchema, to, postgresEnumPlanner);
  const order = ops.map((o) => (o.kind === 'createFunction' ? `fn ${o.function.name}` : o.kind === 'createTrigger' ? `trigger ${o.trigger.name}` : o.kind));
  assert.deepEqual(order, ['createTable', 'fn _cat', 'fn helper', 'fn caller', 'fn cat', 'fn touch', 'trigger film_touch']);
  const after = applyOperations(emptySchema, ops, { strict: true });
  assert.equal(after.functions?.length, 5);
  const back = applyOperations(after, inverseAll(ops), { strict: true });
  assert.deepEqual(back, emptySchema);
  // The schema the upgrade leaves compared with the declared one: no function or trigger changes.
  assert.deepEqual(compareSchemas(after, to, postgresEnumPlanner).filter((o) => /Function|Trigger/.test(o.kind)), []);
});

test('compare: a new result type re-creates the function and moves the triggers that execute it; a new body replaces it in place', () => {
  const from = declared({ film, touch, touched, helper });
  const newResult = declared({ film, touch: fn('touch', { returns: 'trigger', language: 'plpgsql' }, sql`BEGIN RETURN OLD; END`), touched, helper: fn('helper', { args: 'x integer', returns: 'bigint', language: 'sql' }, sql`SELECT x + 1`) });
  // (Two declared schemas: their unnamed primary keys are matched as against a database, which is not this test's business.)
  const routinesOnly = (ops: readonly Operation[]) => ops.filter((o) => /Function|Trigger/.test(o.kind));
  const ops = routinesOnly(compareSchemas(from, newResult, postgresEnumPlanner));
  assert.deepEqual(ops.map((o) => o.kind), ['replaceFunction', 'replaceFunction']);
  assert.equal(ops.find((o) => o.kind === 'replaceFunction' && o.function.name === 'helper' && o.recreate === true) !== undefined, true);
  assert.equal(ops.find((o) => o.kind === 'replaceFunction' && o.function.name === 'touch' && o.recreate === undefined) !== undefined, true);
  const trigFn = declared({ film, touch: fn('touch', { returns: 'trigger', language: 'plpgsql', securityDefiner: true, args: 'x int DEFAULT 1' }, sql`BEGIN RETURN NEW; END`), touched, helper });
  const moved = routinesOnly(compareSchemas(from, trigFn, postgresEnumPlanner));
  assert.deepEqual(moved.map((o) => o.kind), ['dropTrigger', 'dropFunction', 'createFunction', 'createTrigger']);
  assert.deepEqual(applyOperations(applyOperations(from, moved, { strict: true }), inverseAll(moved), { strict: true }), from);
});

test('compare: a function a default or check calls is created before the table changes (after new enums), with those it calls; it goes after them', () => {
  const mood = enumType('mood', ['a', 'b']);
  const normMood = fn('norm_mood', { args: 'm mood', returns: 'mood', language: 'sql' }, sql`SELECT m`);
  const item = table('item', { id: serial().primaryKey(), n: integer().serverDefault(sql`caller(1)`), m: mood() }, () => [check('item_ck', sql`norm_mood(m) <> 'b'`)]);
  const to = declared({ mood, normMood, item, helper, caller, touch });
  assert.deepEqual(to.functions?.find((f) => f.name === 'caller')?.usedBy, { tables: ['item'], domains: [], views: [], policies: [], defaults: [{ table: 'item', column: 'n' }], checks: [] });
  assert.deepEqual(to.functions?.find((f) => f.name === 'norm_mood')?.usedBy?.checks, [{ table: 'item', name: 'item_ck' }]);
  assert.equal(to.functions?.find((f) => f.name === 'helper')?.usedBy, undefined, 'called by a function only');
  const label = (o: Operation) => (o.kind === 'createFunction' ? `fn ${o.function.name}` : o.kind === 'dropFunction' ? `drop ${o.name}` : o.kind);
  const ops = compareSchemas(emptySchema, to, postgresEnumPlanner);
  assert.deepEqual(ops.map(label), ['createEnum', 'fn helper', 'fn caller', 'fn norm_mood', 'createTable', 'fn touch']);
  // The other way: the table first, then the functions it called, before the enum their signature names.
  const back = compareSchemas(applyOperations(emptySchema, ops, { strict: true }), emptySchema, postgresEnumPlanner);
  assert.deepEqual(back.map(label), ['drop touch', 'dropTable', 'drop norm_mood', 'drop caller', 'drop helper', 'dropEnum']);
  assert.deepEqual(applyOperations(applyOperations(emptySchema, ops, { strict: true }), back, { strict: true }), emptySchema);
});

test('compare: a function dropped and created again moves the views (and those over them) and the policies that call it', () => {
  const fmt = (returns: string) => fn('fmt', { args: 'c text', returns, language: 'sql' }, sql`SELECT upper(c)`);
  const titles = view('titles', sql`select id, fmt(title) as title from film`);
  const over = view('titles_over', sql`select title from titles`);
  const other = view('lengths', sql`select length from film`);
  const own = policy('own', { on: film, using: sql`fmt(title) <> 'X'` });
  const from = declared({ film, fmt: fmt('text'), titles, over, other, own });
  const to = declared({ film, fmt: fmt('varchar'), titles, over, other, own });
  const label = (o: Operation) => ('name' in o && typeof o.name === 'string' ? `${o.kind} ${o.name}` : o.kind === 'createView' ? `createView ${o.view.name}` : o.kind === 'createPolicy' ? `createPolicy ${o.policy.name}` : o.kind);
  // (Two declared schemas: their unnamed primary keys are matched as against a database, which is not this test's business.)
  const ops = compareSchemas(from, to, postgresEnumPlanner).filter((o) => o.kind !== 'dropConstraint' && o.kind !== 'addConstraint');
  assert.deepEqual(ops.map(label), ['dropPolicy own', 'dropView titles_over', 'dropView titles', 'replaceFunction', 'createView titles', 'createView titles_over', 'createPolicy own']);
});

test('an INSTEAD OF trigger goes with its view when a column change moves the view, and comes back after it', () => {
  const long = view('long_films', sql`select id, title from film where length > 60`);
  const write = fn('write_long', { returns: 'trigger', language: 'plpgsql' }, sql`BEGIN RETURN NEW; END`);
  const onView = trigger('long_insert', { on: 'long_films', timing: 'insteadOf', events: ['insert'], forEachRow: true, execute: write });
  const from = declared({ film, long, write, onView });
  const to = declared({ film: table('film', { id: serial().primaryKey(), title: text().notNull(), length: bigint() }), long, write, onView });
  const ops = compareSchemas(from, to, postgresEnumPlanner).filter((o) => o.kind !== 'dropConstraint' && o.kind !== 'addConstraint');
  assert.deepEqual(ops.map((o) => o.kind), ['dropTrigger', 'dropView', 'alterColumn', 'createView', 'createTrigger']);
});

test("SQLite's stored trigger text taken apart", () => {
  assert.deepEqual(parseSqliteTrigger('t', 'film', 'create trigger if not exists "t" instead of update of "a", b on film for each row when (new.a > 0) begin\n  update x set y = 1;\n  select 1;\nend;'), {
    name: 't', table: 'film', timing: 'insteadOf', events: ['update'], updateOf: ['a', 'b'], forEachRow: true, when: '(new.a > 0)', body: 'update x set y = 1;\n  select 1;',
  });
  assert.deepEqual(parseSqliteTrigger('u', 'film', `CREATE TRIGGER u DELETE ON film BEGIN INSERT INTO log VALUES ('begin end'); END`), {
    name: 'u', table: 'film', timing: 'before', events: ['delete'], forEachRow: true, body: "INSERT INTO log VALUES ('begin end');",
  });
  assert.equal(parseSqliteTrigger('v', 'film', 'CREATE TRIGGER v AFTER INSERT ON film SELECT 1'), null);
});

test("PostgreSQL's trigger definition read back: WHEN, arguments with quotes, statement triggers", () => {
  const t = buildTrigger({
    name: 'tr', table_name: 'film', type: 2 | 4 | 16 | 1, update_of: ['title'], function: 'audit',
    definition: "CREATE TRIGGER tr BEFORE INSERT OR UPDATE OF title ON public.film FOR EACH ROW WHEN ((new.title <> 'x) EXECUTE FUNCTION y'::text)) EXECUTE FUNCTION audit('it''s', 'b')",
  });
  assert.deepEqual(t, { name: 'tr', table: 'film', timing: 'before', events: ['insert', 'update'], updateOf: ['title'], forEachRow: true, when: "(new.title <> 'x) EXECUTE FUNCTION y'::text)", execute: 'audit', args: ["it's", 'b'] });
  const s = buildTrigger({ name: 's', table_name: 'film', type: 32, update_of: null, function: 'f', definition: 'CREATE TRIGGER s AFTER TRUNCATE ON public.film FOR EACH STATEMENT EXECUTE FUNCTION f()' });
  assert.deepEqual(s, { name: 's', table: 'film', timing: 'after', events: ['truncate'], forEachRow: false, execute: 'f', args: [] });
});

test('revision text: lines inside a multi-line template are neither indented nor trimmed', () => {
  const code = "op.createFunction('f', { returns: 'int' }, sql`\nBEGIN   \n  x := '\\`';\nEND`);\nop.dropTable('t'); // it's\nop.execute(\"a`b\");";
  assert.deepEqual(linesInTemplates(code), [false, true, true, true, false, false]);
  assert.equal(indentCode(code, '  '), "  op.createFunction('f', { returns: 'int' }, sql`\nBEGIN   \n  x := '\\`';\nEND`);\n  op.dropTable('t'); // it's\n  op.execute(\"a`b\");");
});

test('compare: a function dropped and created again moves the column defaults and checks that call it around it, both ways; the oracle runs both', () => {
  const code = (returns: string) => fn('code_of', { args: 'c text', returns, language: 'sql' }, sql`SELECT upper(c)`);
  const box = table('box', { id: integer().primaryKey(), code: text().serverDefault(sql`code_of('x')`), other: text().serverDefault('y') }, () => [check('box_ck', sql`code_of(code) <> 'BAD'`), check('box_other_ck', sql`other <> ''`)]);
  const from = declared({ box, code: code('text') });
  const to = declared({ box, code: code('varchar') });
  const label = (o: Operation) => (o.kind === 'alterColumn' ? `alterColumn ${o.column} ${o.to.serverDefault === null ? 'off' : 'on'}` : o.kind === 'dropConstraint' ? `drop ${o.name}` : o.kind === 'addConstraint' ? `add ${o.constraint.def.name}` : o.kind);
  // (Two declared schemas: their unnamed primary keys are matched as against a database, which is not this test's business.)
  const noKey = (ops: readonly Operation[]) => ops.filter((o) => !((o.kind === 'dropConstraint' || o.kind === 'addConstraint') && o.constraint?.kind === 'primaryKey'));
  const ops = noKey(compareSchemas(from, to, postgresEnumPlanner));
  assert.deepEqual(ops.map(label), ['alterColumn code off', 'drop box_ck', 'replaceFunction', 'alterColumn code on', 'add box_ck']);
  const after = applyOperations(from, ops, { strict: true });
  // (A check put back comes last in its table: the order of checks is no difference.)
  assert.deepEqual(normalizeSchema(applyOperations(after, inverseAll(ops), { strict: true })), normalizeSchema(from));
  assert.deepEqual(inverseAll(ops).map(label), ['drop box_ck', 'alterColumn code off', 'replaceFunction', 'add box_ck', 'alterColumn code on']);
  // A new body only (CREATE OR REPLACE): nothing moves.
  const body = declared({ box, code: fn('code_of', { args: 'c text', returns: 'text', language: 'sql' }, sql`SELECT lower(c)`) });
  assert.deepEqual(noKey(compareSchemas(from, body, postgresEnumPlanner)).map(label), ['replaceFunction']);
});
