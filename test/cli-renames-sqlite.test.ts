/**
 * SQLite renames a column natively (3.25+), and then rewrites the views that name it; a table rebuild
 * alone could not. Both paths keep a view working: a rename on its own (ALTER TABLE ... RENAME COLUMN,
 * no rebuild), and a rename together with a change that needs a rebuild (a new type), where the compiler rebuilds
 * under the old name and renames natively after, so SQLite rewrites them all the same. Rows are kept either way.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { createProject, retortOk, writeModels, type TestProject } from './helpers/project.js';

// The view is made by hand and excluded, so SQLite's own rewrite of the view is what is tested. (A hand-made trigger
// is no longer possible here: triggers on a managed table are the models' since triggers became a model kind; a
// declared trigger whose body follows the rename is a known gap on SQLite, see the closing note of 2026-12-06.)
const notes = (body: string, score: string) => `import { bigint, integer, serial, table, text } from 'retort-migrate';
export const notes = table('notes', {
  id: serial().primaryKey(),
  ${body === 'body' ? 'body: text()' : `${body}: text().renamedFrom('body')`},
  ${score === 'score' ? 'score: integer()' : `${score}: bigint().renamedFrom('score')`},
});
`;

describe('column renames on SQLite keep views working', () => {
  let p: TestProject;
  const viewRows = async () => (await p.query<{ id: number; body: string; score: number }>('SELECT id, body, score FROM note_bodies ORDER BY id')).map((r) => `${r.id}|${r.body}|${r.score}`);

  before(async () => {
    p = await createProject('sqlite', { empty: true });
    // The view is made by hand, outside the models.
    writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'], exclude: ['note_bodies'] });\n`);
    writeModels(p, notes('body', 'score'));
    await retortOk(p, 'revision', '--autogenerate', '-m', 'notes', '--rev-id', '0000000000b1');
    await retortOk(p, 'upgrade', 'head');
    await p.query(`CREATE VIEW note_bodies AS SELECT id AS id, body AS body, score AS score FROM notes`);
    await p.query(`INSERT INTO notes (body, score) VALUES ('first', 1), ('second', 2)`);
  });
  after(async () => {
    await p?.cleanup();
  });

  test('a rename alone is ALTER TABLE ... RENAME COLUMN, no rebuild; SQLite rewrites the view', async () => {
    writeModels(p, notes('content', 'score'));
    await retortOk(p, 'revision', '--autogenerate', '-m', 'content', '--rev-id', '0000000000b2');
    const script = await retortOk(p, 'upgrade', '0000000000b1:0000000000b2', '--sql');
    assert.match(script, /ALTER TABLE "notes" RENAME COLUMN "body" TO "content"/);
    assert.doesNotMatch(script, /_retort_new_/);
    await retortOk(p, 'upgrade', 'head');
    assert.deepEqual(await viewRows(), ['1|first|1', '2|second|2']);
    await p.query(`INSERT INTO notes (content, score) VALUES ('third', 3)`);
    assert.deepEqual(await viewRows(), ['1|first|1', '2|second|2', '3|third|3']);
  });

  test('a rename with a new type rebuilds under the old name, then renames natively: the view still works', async () => {
    writeModels(p, notes('content', 'points'));
    await retortOk(p, 'revision', '--autogenerate', '-m', 'points', '--rev-id', '0000000000b3');
    const script = await retortOk(p, 'upgrade', '0000000000b2:0000000000b3', '--sql');
    assert.match(script, /_retort_new_notes/, 'the type change rebuilds the table');
    assert.match(script, /ALTER TABLE "notes" RENAME COLUMN "score" TO "points"/, 'the rename runs natively after the rebuild');
    await retortOk(p, 'upgrade', 'head');
    assert.deepEqual(await viewRows(), ['1|first|1', '2|second|2', '3|third|3']);
    await p.query(`INSERT INTO notes (content, points) VALUES ('fourth', 4)`);
    assert.deepEqual(await viewRows(), ['1|first|1', '2|second|2', '3|third|3', '4|fourth|4']);
    assert.match((await retortOk(p, 'check')), /No changes detected/);

    // The downgrade goes back the same way: both renamed back, rows and view intact.
    await retortOk(p, 'downgrade', '0000000000b1');
    assert.deepEqual(await viewRows(), ['1|first|1', '2|second|2', '3|third|3', '4|fourth|4']);
    await p.query(`INSERT INTO notes (body, score) VALUES ('fifth', 5)`);
    assert.deepEqual((await viewRows()).at(-1), '5|fifth|5');
  });
});
