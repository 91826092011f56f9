/**
 * Renames through the CLI that only PostgreSQL has, or that PostgreSQL runs its own way:
 *  - a column renamed and retyped in one revision, named by a trigger's UPDATE OF, by the function the triggers
 *    execute and by a declared view: they are read as PostgreSQL keeps them after the rename, the rename goes first,
 *    and the downgrade creates them again before it renames the column back; rows kept, check clean after the upgrade
 *    and the schema matching after the downgrade;
 *  - a materialized view renamed (`materializedView(..., { renamedFrom })`): op.renameMaterializedView both ways,
 *    its rows and its index kept.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkClean, createProject, retortOk, writeModels, type TestProject } from './helpers/project.js';

/** The models with the column named `score` (typed `type`), hinting at `score` when it is another name. */
const models = (score: string, type = 'integer') => `import { bigint, fn, integer, serial, sql, table, text, trigger, view } from 'retort-migrate';
export const notes = table('notes', { id: serial().primaryKey(), ${score}: ${type}()${score === 'score' ? '' : ".renamedFrom('score')"} });
export const noteLog = table('note_log', { id: serial().primaryKey(), value: text() });
export const logFn = fn('note_log_fn', { returns: 'trigger', language: 'plpgsql' }, sql\`BEGIN INSERT INTO note_log (value) VALUES (NEW.${score}); RETURN NEW; END\`);
export const added = trigger('note_added', { on: notes, timing: 'after', events: ['insert'], forEachRow: true, execute: logFn });
export const changed = trigger('note_changed', { on: notes, timing: 'after', events: ['update'], updateOf: ['${score}'], forEachRow: true, execute: logFn });
export const declared = view('note_points', sql\`SELECT id, ${score} FROM notes\`);
`;

const file = (p: TestProject, rev: string) => readFileSync(path.join(p.dir, 'migrations', readdirSync(path.join(p.dir, 'migrations')).find((f) => f.startsWith(rev))!), 'utf8');
const rows = async (p: TestProject, sql: string) => (await p.query<Record<string, unknown>>(sql)).map((r) => Object.values(r).map(String).join('|'));
// After a downgrade the database is behind head, which check reports (exit 1): the schema itself must match.
const matches = async (p: TestProject) => {
  const r = await p.retort('check');
  assert.match(r.stdout, /^The schema matches the models, but see above\.$/m, r.stdout + r.stderr);
};

describe('a column renamed and retyped on postgresql, named by triggers, their function and views', () => {
  let p: TestProject;
  const state = async (score: string) => ({
    notes: await rows(p, `SELECT id, ${score} FROM notes ORDER BY id`),
    declared: await rows(p, `SELECT id, ${score} FROM note_points ORDER BY id`),
    log: await rows(p, `SELECT value FROM note_log ORDER BY id`),
  });

  before(async () => {
    p = await createProject('postgresql', { empty: true });
    writeModels(p, models('score'));
    await retortOk(p, 'revision', '--autogenerate', '-m', 'notes', '--rev-id', '0000000000e1');
    await retortOk(p, 'upgrade', 'head');
    await p.query(`INSERT INTO notes (score) VALUES (1), (2)`);
  });
  after(async () => {
    await p?.cleanup();
  });

  test('the rename goes first, the trigger and the view are moved around the new type; both ways, rows kept', async () => {
    writeModels(p, models('points', 'bigint'));
    await retortOk(p, 'revision', '--autogenerate', '-m', 'points', '--rev-id', '0000000000e2');
    const [up, down] = file(p, '0000000000e2').split('export function downgrade');
    // Autogenerate reads the view and the trigger as PostgreSQL keeps them once the rename has run (followRenames), so
    // the rename goes first and the trigger and the view are moved out of the type change's way by that text; in the
    // downgrade they are created again before the rename back, which PostgreSQL follows.
    const at = (text: string, s: string) => text.indexOf(s);
    assert.ok(at(up!, `op.alterColumn('notes', 'score', { newName: 'points' });`) >= 0, up);
    assert.ok(at(up!, `op.alterColumn('notes', 'score', { newName: 'points' });`) < at(up!, `op.dropTrigger('note_changed', 'notes');`), up);
    assert.ok(at(up!, `op.dropView('note_points');`) < at(up!, `op.alterColumn('notes', 'points', { type: bigint()`), up);
    assert.ok(at(down!, `op.createTrigger('note_changed'`) >= 0, down);
    assert.ok(at(down!, `op.createTrigger('note_changed'`) < at(down!, `op.alterColumn('notes', 'points', { newName: 'score' });`), down);
    assert.ok(at(down!, `op.createView('note_points'`) < at(down!, `op.alterColumn('notes', 'points', { newName: 'score' });`), down);

    await retortOk(p, 'upgrade', 'head');
    await p.query(`INSERT INTO notes (points) VALUES (3)`);
    await p.query(`UPDATE notes SET points = 20 WHERE id = 2`);
    assert.deepEqual(await state('points'), { notes: ['1|1', '2|20', '3|3'], declared: ['1|1', '2|20', '3|3'], log: ['1', '2', '3', '20'] });
    await checkClean(p);

    await retortOk(p, 'downgrade', '0000000000e1');
    await p.query(`INSERT INTO notes (score) VALUES (4)`);
    await p.query(`UPDATE notes SET score = 2 WHERE id = 2`);
    assert.deepEqual(await state('score'), { notes: ['1|1', '2|2', '3|3', '4|4'], declared: ['1|1', '2|2', '3|3', '4|4'], log: ['1', '2', '3', '20', '4', '2'] });
    writeModels(p, models('score'));
    await matches(p);
  });
});

const STATS = (name: string) => `import { integer, materializedView, serial, sql, table, uniqueIndex } from 'retort-migrate';
export const scores = table('scores', { id: serial().primaryKey(), team: integer().notNull(), points: integer().notNull() });
export const stats = materializedView('${name}', sql\`SELECT team, sum(points) AS total FROM scores GROUP BY team\`, ${name === 'team_totals' ? '{}' : "{ renamedFrom: 'team_totals' }"}, (m) => [uniqueIndex('ux_team').on(m.team)]);
`;

describe('a materialized view renamed on postgresql', () => {
  let p: TestProject;
  const totals = (name: string) => rows(p, `SELECT team, total FROM ${name} ORDER BY team`);

  before(async () => {
    p = await createProject('postgresql', { empty: true });
    writeModels(p, STATS('team_totals'));
    await retortOk(p, 'revision', '--autogenerate', '-m', 'stats', '--rev-id', '0000000000f1');
    await retortOk(p, 'upgrade', 'head');
    await p.query(`INSERT INTO scores (team, points) VALUES (1, 3), (1, 4), (2, 5)`);
    await p.query(`REFRESH MATERIALIZED VIEW team_totals`);
  });
  after(async () => {
    await p?.cleanup();
  });

  test('op.renameMaterializedView both ways: rows readable, index kept, check clean', async () => {
    writeModels(p, STATS('team_sums'));
    await retortOk(p, 'revision', '--autogenerate', '-m', 'rename', '--rev-id', '0000000000f2');
    const [up, down] = file(p, '0000000000f2').split('export function downgrade');
    assert.match(up!, /op\.renameMaterializedView\('team_totals', 'team_sums'\);/, up);
    assert.doesNotMatch(up!, /dropView|createView|refresh/i, 'a rename, never a drop and a create');
    assert.match(down!, /op\.renameMaterializedView\('team_sums', 'team_totals'\);/, down);
    assert.match(await retortOk(p, 'upgrade', '0000000000f1:0000000000f2', '--sql'), /ALTER MATERIALIZED VIEW "team_totals" RENAME TO "team_sums"/);

    await retortOk(p, 'upgrade', 'head');
    assert.deepEqual(await totals('team_sums'), ['1|7', '2|5'], 'the rows stay: no refresh needed');
    assert.deepEqual(await rows(p, `SELECT tablename FROM pg_indexes WHERE indexname = 'ux_team'`), ['team_sums']);
    await checkClean(p);

    await retortOk(p, 'downgrade', '0000000000f1');
    assert.deepEqual(await totals('team_totals'), ['1|7', '2|5']);
    assert.deepEqual(await rows(p, `SELECT tablename FROM pg_indexes WHERE indexname = 'ux_team'`), ['team_totals']);
    writeModels(p, STATS('team_totals'));
    await matches(p);
  });
});

const NOTE_VIEW = (name: string) => `import { fn, serial, sql, table, text, trigger, view } from 'retort-migrate';
export const notes = table('notes', { id: serial().primaryKey(), body: text() });
export const insFn = fn('note_v_ins', { returns: 'trigger', language: 'plpgsql' }, sql\`BEGIN INSERT INTO notes (body) VALUES (NEW.body); RETURN NEW; END\`);
export const v = view('${name}', sql\`SELECT id, body FROM notes\`${name === 'note_v' ? '' : ", { renamedFrom: 'note_v' }"});
export const ins = trigger('note_v_insert', { on: '${name}', timing: 'insteadOf', events: ['insert'], forEachRow: true, execute: insFn });
`;

describe('a view renamed on postgresql keeps its INSTEAD OF trigger', () => {
  let p: TestProject;

  before(async () => {
    p = await createProject('postgresql', { empty: true });
    writeModels(p, NOTE_VIEW('note_v'));
    await retortOk(p, 'revision', '--autogenerate', '-m', 'notes', '--rev-id', '0000000000a1');
    await retortOk(p, 'upgrade', 'head');
    await p.query(`INSERT INTO note_v (body) VALUES ('a')`);
  });
  after(async () => {
    await p?.cleanup();
  });

  test('op.renameView alone (the trigger follows its view), both ways', async () => {
    writeModels(p, NOTE_VIEW('note_w'));
    await retortOk(p, 'revision', '--autogenerate', '-m', 'rename', '--rev-id', '0000000000a2');
    const up = file(p, '0000000000a2').split('export function downgrade')[0]!;
    assert.match(up, /op\.renameView\('note_v', 'note_w'\);\n\}/, up);
    await retortOk(p, 'upgrade', 'head');
    await p.query(`INSERT INTO note_w (body) VALUES ('b')`);
    assert.deepEqual(await rows(p, `SELECT id, body FROM note_w ORDER BY id`), ['1|a', '2|b']);
    await checkClean(p);
    await retortOk(p, 'downgrade', '0000000000a1');
    await p.query(`INSERT INTO note_v (body) VALUES ('c')`);
    assert.deepEqual(await rows(p, `SELECT id, body FROM note_v ORDER BY id`), ['1|a', '2|b', '3|c']);
    writeModels(p, NOTE_VIEW('note_v'));
    await matches(p);
  });
});

// A table and its column renamed while a view over them changes, the view in another schema than the table (tried
// as a new user would: the downgrade created the old view, by its text after the renames, only after renaming back).
const LEDGER = (renamed: boolean) => `import { integer, schema, serial, sql } from 'retort-migrate';
export const billing = schema('billing');
export const audit = schema('audit');
export const ledger = billing.table('${renamed ? 'entries' : 'ledger'}', { id: serial().primaryKey(), ${renamed ? "amount: integer().renamedFrom('total')" : 'total: integer()'} })${renamed ? ".renamedFrom('billing.ledger')" : ''};
export const big = audit.view('big', sql\`SELECT id, ${renamed ? 'amount FROM billing.entries WHERE amount > 20' : 'total FROM billing.ledger WHERE total > 10'}\`);
`;

describe('a table and its column renamed under a changed view in another schema, on postgresql', () => {
  let p: TestProject;

  before(async () => {
    p = await createProject('postgresql', { empty: true });
    writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'], schemas: ['public', 'billing', 'audit'] });\n`);
    writeModels(p, LEDGER(false));
    await retortOk(p, 'revision', '--autogenerate', '-m', 'ledger', '--rev-id', '0000000000c1');
    await retortOk(p, 'upgrade', 'head');
    await p.query(`INSERT INTO billing.ledger (total) VALUES (5), (15), (25)`);
  });
  after(async () => {
    await p?.cleanup();
  });

  test('renames first, the view replaced after them; the downgrade puts the old view back before renaming back', async () => {
    writeModels(p, LEDGER(true));
    await retortOk(p, 'revision', '--autogenerate', '-m', 'entries', '--rev-id', '0000000000c2');
    const [up, down] = file(p, '0000000000c2').split('export function downgrade');
    assert.match(up!, /op\.renameTable\('billing\.ledger', 'billing\.entries'\)/, up);
    assert.doesNotMatch(up!, /dropTable|addColumn|dropColumn/, up);
    const renameBack = down!.indexOf(`op.renameTable('billing.entries', 'billing.ledger')`);
    assert.ok(renameBack >= 0 && down!.indexOf(`op.createView('audit.big'`) < renameBack, down);
    await retortOk(p, 'upgrade', 'head');
    assert.deepEqual(await rows(p, `SELECT id, amount FROM audit.big ORDER BY id`), ['3|25']);
    await checkClean(p);
    await retortOk(p, 'downgrade', '0000000000c1');
    assert.deepEqual(await rows(p, `SELECT id, total FROM audit.big ORDER BY id`), ['2|15', '3|25']);
    writeModels(p, LEDGER(false));
    await matches(p);
  });
});
