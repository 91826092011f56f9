/**
 * A sequence renamed under a column default that calls it (probe findings): PostgreSQL keeps the default by the
 * sequence's identity, so the default follows the rename by itself; autogenerate wrote an alterColumn of the default
 * too, whose downgrade named the old sequence before it was renamed back and always failed. And a rename hint of a
 * named schema's object may be written qualified with its own schema (it was read as another name and the sequence
 * dropped and created, its position lost); one naming another schema is refused.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkClean, createProject, retortOk as ok, writeModels } from './helpers/project.js';

test('a sequence renamed under a column default: the default is not altered, up and down keep the position (postgresql)', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'], schemas: ['app'] });\n`);
    const models = (seq: string, appSeq: string, hint: string, appHint: string) => `import { integer, schema, sequence, table, text } from 'retort-migrate';
export const app = schema('app');
export const ticketSeq = sequence('${seq}', { start: 100${hint} });
export const tickets = table('tickets', { id: integer().primaryKey().serverDefault(ticketSeq), title: text() });
export const projectSeq = app.sequence('${appSeq}', { start: 500${appHint} });
export const projects = app.table('projects', { id: integer().primaryKey().serverDefault(projectSeq), name: text() });
`;
    writeModels(p, models('ticket_seq', 'ticket_seq', '', ''), 'm.ts');
    await ok(p, 'revision', '--autogenerate', '-m', 'init', '--rev-id', '5e0000000001');
    await ok(p, 'upgrade', 'head');
    await p.query(`INSERT INTO tickets (title) VALUES ('a'), ('b'); INSERT INTO app.projects (name) VALUES ('x')`);

    writeModels(p, models('ticket_no_seq', 'project_id_seq', ", renamedFrom: 'ticket_seq'", ", renamedFrom: 'app.ticket_seq'"), 'm.ts');
    const out = await ok(p, 'revision', '--autogenerate', '-m', 'rename', '--rev-id', '5e0000000002');
    assert.doesNotMatch(out, /DESTRUCTIVE/);
    const file = revisionFile(p.dir, '5e0000000002');
    assert.match(file, /op\.renameSequence\('ticket_seq', 'ticket_no_seq'\)/);
    assert.match(file, /op\.renameSequence\('app\.ticket_seq', 'app\.project_id_seq'\)/);
    assert.doesNotMatch(file, /alterColumn|createSequence|dropSequence/);
    await ok(p, 'upgrade', 'head');
    await checkClean(p);
    await p.query(`INSERT INTO tickets (title) VALUES ('c'); INSERT INTO app.projects (name) VALUES ('y')`);
    await ok(p, 'downgrade', '-1');
    await p.query(`INSERT INTO tickets (title) VALUES ('d'); INSERT INTO app.projects (name) VALUES ('z')`);
    assert.deepEqual((await p.query<{ id: number }>('SELECT id FROM tickets ORDER BY id')).map((r) => r.id), [100, 101, 102, 103]);
    assert.deepEqual((await p.query<{ id: number }>('SELECT id FROM app.projects ORDER BY id')).map((r) => r.id), [500, 501, 502]);
    await ok(p, 'upgrade', 'head');
    await checkClean(p);
  } finally {
    await p.cleanup();
  }
});

test("a rename hint naming another schema is refused at load, naming the object and the fix; an index's hint may name its own (postgresql)", async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/*.ts'], schemas: ['app'] });\n`);
    const refused: [string, RegExp][] = [
      [`export const s = app.sequence('project_id_seq', { renamedFrom: 'billing.ticket_seq' });`, /sequence "app\.project_id_seq" is renamedFrom "billing\.ticket_seq", in another schema[^\n]*\nhint: .*renamedFrom: 'ticket_seq'/],
      [`export const t = app.table('things', { id: integer().primaryKey() }).renamedFrom('billing.items');`, /table "app\.things" is renamedFrom "billing\.items", in another schema[^\n]*\nhint: write renamedFrom\('items'\)/],
      [`export const t = app.table('things', { id: integer().primaryKey() }, (t) => [index('things_id_idx').on(t.id).renamedFrom('billing.items_idx')]);`, /"things_id_idx" of table "app\.things" is renamedFrom "billing\.items_idx", in another schema/],
    ];
    for (const [body, message] of refused) {
      writeModels(p, `import { index, integer, schema } from 'retort-migrate';\nexport const app = schema('app');\n${body}\n`, 'm.ts');
      const r = await p.retort('revision', '--autogenerate', '-m', 'x');
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /);
    }
    // An index hint qualified with its own schema renames the index, as the bare name does.
    writeModels(p, `import { index, integer, schema } from 'retort-migrate';\nexport const app = schema('app');\nexport const t = app.table('things', { id: integer().primaryKey(), s: integer() }, (t) => [index('items_s_idx').on(t.s)]);\n`, 'm.ts');
    await ok(p, 'revision', '--autogenerate', '-m', 'init', '--rev-id', '5e0000000011');
    await ok(p, 'upgrade', 'head');
    writeModels(p, `import { index, integer, schema } from 'retort-migrate';\nexport const app = schema('app');\nexport const t = app.table('things', { id: integer().primaryKey(), s: integer() }, (t) => [index('things_s_idx').on(t.s).renamedFrom('app.items_s_idx')]);\n`, 'm.ts');
    await ok(p, 'revision', '--autogenerate', '-m', 'rename index', '--rev-id', '5e0000000012');
    const file = revisionFile(p.dir, '5e0000000012');
    assert.match(file, /op\.renameIndex\('app\.things', 'items_s_idx', 'things_s_idx'\)/);
    assert.doesNotMatch(file, /dropIndex|createIndex/);
  } finally {
    await p.cleanup();
  }
});

function revisionFile(dir: string, rev: string): string {
  const file = readdirSync(path.join(dir, 'migrations')).find((f) => f.startsWith(rev))!;
  return readFileSync(path.join(dir, 'migrations', file), 'utf8');
}
