/**
 * SQLite fidelity on a chinook-style schema (issue 17): primary-key constraint names are read, compared and kept
 * through rebuilds and re-creation; a type declared under another name (DATETIME, customType('DATETIME')) keeps
 * that name; widening a custom type (NVARCHAR(40) -> NVARCHAR(100)) is not destructive, narrowing it is.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createProject, revisionSource, type TestProject, writeModels, retortOk as ok } from './helpers/project.js';

function revisionFile(p: TestProject, id: string): string {
  const file = readdirSync(path.join(p.dir, 'migrations')).find((f) => f.startsWith(id));
  assert.ok(file, `revision ${id} was written`);
  return readFileSync(path.join(p.dir, 'migrations', file), 'utf8');
}

const CHINOOK = 'CREATE TABLE [Album] ([AlbumId] INTEGER NOT NULL, [Title] NVARCHAR(40) NOT NULL, [Released] DATETIME, CONSTRAINT [PK_Album] PRIMARY KEY ([AlbumId]))';

const model = (pk: string, title = 'NVARCHAR(40)') => `import { customType, integer, primaryKey, table } from 'retort-migrate';
export const album = table('Album', {
  AlbumId: integer()${pk === 'inline' ? '.primaryKey()' : '.notNull()'},
  Title: customType('${title}').notNull(),
  Released: customType('DATETIME'),
}, (t) => [${pk === 'inline' ? '' : `primaryKey('${pk}').on(t.AlbumId)`}]);
`;

describe('sqlite: a chinook-style table keeps its key name and type names', () => {
  let p: TestProject;
  const tableSql = async () => (await p.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 'Album'`))[0]?.sql ?? '';
  before(async () => {
    p = await createProject('sqlite', { empty: true });
    p.writeRevision('000000000001_chinook.ts', revisionSource('000000000001', null, 'chinook', `  await op.execute(${JSON.stringify(CHINOOK)});`, "  await op.execute('DROP TABLE [Album]');"));
    await ok(p, 'upgrade', 'head');
    await p.query(`INSERT INTO Album VALUES (1, 'For Those About To Rock', '2001-01-01 00:00:00')`);
  });
  after(async () => {
    await p.cleanup();
  });

  test('the declared key name compares: the same name matches, an unnamed key matches, another name differs', async () => {
    writeModels(p, model('PK_Album'));
    const same = await p.retort('check');
    assert.equal(same.code, 0, same.stdout + same.stderr);
    writeModels(p, model('inline'));
    const unnamed = await p.retort('check');
    assert.equal(unnamed.code, 0, unnamed.stdout + unnamed.stderr);
    writeModels(p, model('PK_Other'));
    const other = await p.retort('check');
    assert.equal(other.code, 1, other.stdout + other.stderr);
    assert.match(other.stdout, /PK_Other/);
  });

  test('widening NVARCHAR(40) to NVARCHAR(100) is not destructive, nor its downgrade (SQLite enforces no length); the rebuild keeps PK_Album and DATETIME', async () => {
    writeModels(p, model('inline', 'NVARCHAR(100)'));
    const out = await ok(p, 'revision', '--autogenerate', '-m', 'wider', '--rev-id', '000000000002');
    assert.doesNotMatch(out, /destructive/i, out);
    // SQLite stores a value longer than NVARCHAR(40) as it is: narrowing the declared length loses nothing.
    assert.doesNotMatch(revisionFile(p, '000000000002'), /DESTRUCTIVE/);
    await ok(p, 'upgrade', 'head');
    const text = await tableSql();
    assert.match(text, /CONSTRAINT "PK_Album" PRIMARY KEY/, text);
    assert.match(text, /"Released" DATETIME/, text);
    assert.match(text, /NVARCHAR\(100\)/, text);
    const check = await p.retort('check');
    assert.equal(check.code, 0, check.stdout + check.stderr);
  });

  test('a table the models drop is re-created by the downgrade with its key name and declared types', async () => {
    writeModels(p, 'export {};\n');
    await ok(p, 'revision', '--autogenerate', '-m', 'drop', '--rev-id', '000000000003');
    const file = revisionFile(p, '000000000003');
    assert.match(file, /primaryKey\('PK_Album'\)/, file);
    assert.match(file, /customType\('DATETIME'\)/, file);
    await ok(p, 'upgrade', 'head');
    await ok(p, 'downgrade', '000000000002');
    const text = await tableSql();
    assert.match(text, /CONSTRAINT "PK_Album" PRIMARY KEY/, text);
    assert.match(text, /"Released" DATETIME/, text);
  });

  test('customType(\'DATETIME\') declared for a new table is created as DATETIME and rendered so', async () => {
    // The drop revision of the test before is undone and forgotten.
    const dropped = readdirSync(path.join(p.dir, 'migrations')).find((f) => f.startsWith('000000000003'))!;
    rmSync(path.join(p.dir, 'migrations', dropped));
    writeModels(p, `${model('inline', 'NVARCHAR(100)')}export const track = table('Track', { id: integer().primaryKey(), at: customType('DATETIME') });\n`);
    await ok(p, 'revision', '--autogenerate', '-m', 'track', '--rev-id', '000000000004');
    assert.match(revisionFile(p, '000000000004'), /at: customType\('DATETIME'\)/);
    await ok(p, 'upgrade', 'head');
    const [row] = await p.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 'Track'`);
    assert.match(row!.sql, /"at" DATETIME/, row!.sql);
    const check = await p.retort('check');
    assert.equal(check.code, 0, check.stdout + check.stderr);
  });
});
