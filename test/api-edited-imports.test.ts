/**
 * The API called again in one process sees a helper file edited in between, which an unchanged model or revision
 * file imports (probe finding: the second call reused the first run of the importing file, and `upgrade` ran the old
 * revision code, which no checksum covers). Each call sees the files as they are.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkDatabase, downgrade, upgrade } from '../src/index.js';
import { createProject, revisionSource, writeModels } from './helpers/project.js';

test('a second API call sees an edited helper that an unchanged model or revision file imports (sqlite)', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    const o = { cwd: p.dir, url: p.url };
    mkdirSync(path.join(p.dir, 'lib'));
    const helper = (len: number, table: string) => writeFileSync(path.join(p.dir, 'lib', 'names.ts'), `export const NICK = ${len};\nexport const TABLE = '${table}';\n`);
    helper(50, 'h1');
    p.writeRevision('ad0000000001_users.ts', revisionSource('ad0000000001', null, 'users', "  op.createTable('users', { id: integer().primaryKey(), nick: varchar(50) });", "  op.dropTable('users');"));
    p.writeRevision('ad0000000002_helper.ts', revisionSource('ad0000000002', 'ad0000000001', 'helper table', '  op.createTable(TABLE, { id: integer().primaryKey() });', '  op.dropTable(TABLE);', "import { TABLE } from '../lib/names';"));
    writeModels(p, `import { integer, table, varchar } from 'retort-migrate';
import { NICK, TABLE } from '../lib/names';
export const users = table('users', { id: integer().primaryKey(), nick: varchar(NICK) });
export const helperTable = table(TABLE, { id: integer().primaryKey() });
`);
    await upgrade({ ...o, target: 'head' });
    assert.deepEqual((await checkDatabase(o)).differences, []);
    helper(80, 'h1');
    const differences = (await checkDatabase(o)).differences;
    assert.equal(differences.length, 1, JSON.stringify(differences));
    assert.match(JSON.stringify(differences), /nick/);
    // The revision: downgraded with the old helper, run again with the new one.
    await downgrade({ ...o, target: '-1' });
    helper(80, 'h2');
    await upgrade({ ...o, target: 'head' });
    assert.deepEqual((await p.tables()).sort(), ['h2', 'users']);
  } finally {
    await p.cleanup();
  }
});

test('the same through the full loader: a model file that imports a package as well (sqlite)', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    const o = { cwd: p.dir, url: p.url };
    mkdirSync(path.join(p.dir, 'lib'));
    mkdirSync(path.join(p.dir, 'node_modules', 'lengths'));
    writeFileSync(path.join(p.dir, 'node_modules', 'lengths', 'package.json'), JSON.stringify({ name: 'lengths', main: 'index.js' }));
    writeFileSync(path.join(p.dir, 'node_modules', 'lengths', 'index.js'), 'exports.extra = 0;\n');
    const helper = (len: number) => writeFileSync(path.join(p.dir, 'lib', 'names.ts'), `export const NICK = ${len};\n`);
    helper(50);
    p.writeRevision('ad0000000011_users.ts', revisionSource('ad0000000011', null, 'users', "  op.createTable('users', { id: integer().primaryKey(), nick: varchar(50) });", "  op.dropTable('users');"));
    writeModels(p, `import { integer, table, varchar } from 'retort-migrate';
import { extra } from 'lengths';
import { NICK } from '../lib/names';
export const users = table('users', { id: integer().primaryKey(), nick: varchar(NICK + extra) });
`);
    await upgrade({ ...o, target: 'head' });
    assert.deepEqual((await checkDatabase(o)).differences, []);
    helper(80);
    assert.match(JSON.stringify((await checkDatabase(o)).differences), /nick/);
  } finally {
    await p.cleanup();
  }
});
