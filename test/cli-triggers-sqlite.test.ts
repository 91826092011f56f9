/**
 * Triggers on SQLite through the CLI: declared with their bodies -> autogenerate -> upgrade -> check clean; the
 * stored text taken apart and compared with whitespace and case evened out (a reformatted body is no change); a
 * changed body is a drop and a create whose downgrade restores the text exactly; a column type change (a table
 * rebuild) moves a trigger whose UPDATE OF names the table's columns out of the way and back; functions are refused
 * with a clear error; pull declares the triggers and check stays clean.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { runCli } from './helpers/cli.js';
import { checkClean, createProject, retortOk, writeModels, type TestProject } from './helpers/project.js';

const MODELS = (length = 'integer()', added = "'added'", spacing = ' ') => `import { table, serial, text, integer, timestamp, trigger, sql } from 'retort-migrate';
export const film = table('film', { id: serial().primaryKey(), title: text().notNull(), length: ${length}, last_update: timestamp() });
export const log = table('film_log', { id: serial().primaryKey(), film_id: integer(), note: text() });
export const renamed = trigger('film_renamed', { on: film, timing: 'after', events: ['update'], updateOf: ['title'], when: sql\`NEW.title <> OLD.title\`,
  body: sql\`INSERT INTO film_log (film_id, note) VALUES (NEW.id, 'renamed')\` });
export const added = trigger('film_added', { on: film, timing: 'after', events: ['insert'], body: sql\`INSERT INTO film_log (film_id,${spacing}note) VALUES (NEW.id, ${added});\` });
`;

describe('triggers on sqlite', () => {
  let p: TestProject;
  const triggers = async () => (await p.query<{ name: string; sql: string }>(`SELECT name, sql FROM sqlite_master WHERE type = 'trigger' ORDER BY name`)).map((r) => `${r.name}: ${r.sql}`);
  const revision = (rev: string) => readFileSync(path.join(p.dir, 'migrations', readdirSync(path.join(p.dir, 'migrations')).find((f) => f.startsWith(rev))!), 'utf8');
  const clean = () => checkClean(p);

  before(async () => {
    p = await createProject('sqlite', { empty: true });
  });
  after(async () => {
    await p?.cleanup();
  });

  test('declared -> autogenerate -> upgrade -> check clean; the triggers fire', async () => {
    writeModels(p, MODELS(), 'film.ts');
    await retortOk(p, 'revision', '--autogenerate', '-m', 'init', '--rev-id', '000000000001');
    const up = revision('000000000001').split('export function downgrade')[0]!;
    assert.match(up, /op\.createTable\('film_log'[\s\S]*op\.createTrigger\('film_added', \{ on: 'film', timing: 'after', events: \['insert'\], forEachRow: true, body: sql`INSERT INTO film_log \(film_id, note\) VALUES \(NEW\.id, 'added'\);` \}\);/);
    assert.match(await retortOk(p, 'upgrade', 'head', '--sql'), /CREATE TRIGGER "film_renamed" AFTER UPDATE OF "title" ON "film" FOR EACH ROW WHEN NEW\.title <> OLD\.title\nBEGIN\nINSERT INTO film_log \(film_id, note\) VALUES \(NEW\.id, 'renamed'\);\nEND/);
    await retortOk(p, 'upgrade', 'head');
    await clean();
    await p.query(`INSERT INTO film (title) VALUES ('a')`);
    await p.query(`UPDATE film SET title = 'b'`);
    assert.deepEqual((await p.query<{ note: string }>(`SELECT note FROM film_log ORDER BY id`)).map((r) => r.note), ['added', 'renamed']);
    // Spacing is no change.
    writeModels(p, MODELS('integer()', "'added'", '   '), 'film.ts');
    await clean();
  });

  test('a changed body is dropped and created again; the downgrade restores the stored text exactly', async () => {
    const before = await triggers();
    writeModels(p, MODELS('integer()', "'new film'"), 'film.ts');
    const out = await retortOk(p, 'revision', '--autogenerate', '-m', 'body', '--rev-id', '000000000002');
    assert.match(out, /- trigger film_added on film\n\s+\+ trigger film_added on film/);
    await retortOk(p, 'upgrade', 'head');
    await clean();
    await retortOk(p, 'downgrade', '-1');
    assert.deepEqual(await triggers(), before);
    await retortOk(p, 'upgrade', 'head');
  });

  test("a column type change rebuilds the table with the trigger moved out of the way and back, both ways", async () => {
    const before = await triggers();
    writeModels(p, MODELS('text()', "'new film'"), 'film.ts');
    const out = await retortOk(p, 'revision', '--autogenerate', '-m', 'length', '--rev-id', '000000000003');
    assert.match(out, /- trigger film_renamed on film\n\s+~ column film\.length: integer -> text\n\s+\+ trigger film_renamed on film/);
    await retortOk(p, 'upgrade', 'head');
    await clean();
    await p.query(`UPDATE film SET title = 'c'`);
    assert.equal((await p.query<{ n: number }>(`SELECT count(*) AS n FROM film_log WHERE note = 'renamed'`))[0]!.n, 2, 'the trigger still fires');
    await retortOk(p, 'downgrade', '-1');
    assert.deepEqual(await triggers(), before);
    await retortOk(p, 'upgrade', 'head');
  });

  test('verify: each revision up, down and up, the triggers compared after each downgrade', async () => {
    // On a scratch database verify makes (the configured URL, not --url).
    const r = await runCli(['verify'], { cwd: p.dir, env: { RETORT_DATABASE_URL: p.url } });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout + r.stderr, /3 revisions/);
  });

  test('pull declares the triggers; check is clean against the pulled models', async () => {
    await retortOk(p, 'pull', '--force');
    const source = readFileSync(path.join(p.dir, 'models', 'schema.ts'), 'utf8');
    assert.match(source, /export const filmFilmRenamed = trigger\('film_renamed', \{ on: film, timing: 'after', events: \['update'\], updateOf: \['title'\], forEachRow: true, when: sql`NEW\.title <> OLD\.title`, body: sql`INSERT INTO film_log/);
    const { rmSync } = await import('node:fs');
    rmSync(path.join(p.dir, 'models', 'film.ts'));
    await clean();
  });

  test('a function, or a trigger that executes one, is refused with one line naming it', async () => {
    writeModels(p, `import { fn, trigger, sql } from 'retort-migrate';
export const touch = fn('touch', { returns: 'trigger', language: 'plpgsql' }, sql\`BEGIN RETURN NEW; END\`);
`, 'extra.ts');
    const r = await p.retort('check');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /function "touch": SQLite has no stored functions or procedures/);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
    writeModels(p, `import { trigger } from 'retort-migrate';
export const t = trigger('t', { on: 'film', timing: 'before', events: ['update'], forEachRow: true, execute: 'touch' });
`, 'extra.ts');
    const t = await p.retort('check');
    assert.notEqual(t.code, 0);
    assert.match(t.stderr, /trigger "t" on "film": SQLite triggers cannot execute a function/);
    const { rmSync } = await import('node:fs');
    rmSync(path.join(p.dir, 'models', 'extra.ts'));
  });

  test('downgrade base leaves no trigger', async () => {
    await retortOk(p, 'downgrade', 'base');
    assert.deepEqual(await triggers(), []);
  });
});

test('pull declares an INSTEAD OF trigger on a view (by the view\'s name), and check is clean', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    const db = new Database(path.join(p.dir, 'test.db'));
    db.exec(`CREATE TABLE items (id INTEGER PRIMARY KEY, name TEXT);
      CREATE VIEW item_names AS SELECT id, name FROM items;
      CREATE TRIGGER item_names_ins INSTEAD OF INSERT ON item_names FOR EACH ROW BEGIN INSERT INTO items (id, name) VALUES (NEW.id, NEW.name); END;`);
    db.close();
    const pull = await p.retort('pull');
    assert.equal(pull.code, 0, pull.stderr);
    assert.doesNotMatch(pull.stderr, /left out/);
    assert.match(readFileSync(path.join(p.dir, 'models', 'schema.ts'), 'utf8'), /trigger\('item_names_ins', \{ on: 'item_names', timing: 'insteadOf'/);
    const check = await p.retort('check');
    assert.equal(check.code, 0, check.stderr);
    assert.match(check.stdout, /No changes detected/);
  } finally {
    await p.cleanup();
  }
});
