/**
 * The dialect contract holds without touching core files (issue 16): a throw-away third dialect, "ToySQL", is a
 * test-only module and one registry line (registerDialect). It is SQLite underneath, but with MySQL's habits:
 * backtick-quoted identifiers and no transactional DDL. Retort's own machinery (URL parsing, the project, the
 * lock, the runner, the version and history tables, autogenerate's comparison) then works on it unchanged, and
 * a revision that fails half-way is reported as partly applied, never replayed.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { registerDialect } from '../src/dialects/index.js';
import { parseSqliteUrl } from '../src/dialects/sqlite/sqlite-url.js';
import { sqliteDialect } from '../src/dialects/sqlite/sqlite-dialect.js';
import { quoteLit } from '../src/dialects/sqlite/sqlite-normalize.js';
import type { Dialect } from '../src/dialects/dialect.js';
import { parseDatabaseUrl } from '../src/config/url.js';
import { loadConfig } from '../src/config/load-config.js';
import { Project } from '../src/runtime/project.js';
import { migrate } from '../src/runtime/migrate.js';
import { currentHeads } from '../src/runtime/current-heads.js';
import { compareWithDatabase } from '../src/runtime/autogenerate-revision.js';
import { isRetortError } from '../src/errors.js';
import { createProject, revisionSource, type TestProject } from './helpers/project.js';

const backticks = (name: string) => `\`${name.replace(/`/g, '``')}\``;

/** The whole third dialect: SQLite's parts, with another quoting and no transactional DDL. */
const toySql: Dialect = {
  ...sqliteDialect,
  displayName: 'ToySQL',
  defaultSchema: null,
  transactionalDdl: false,
  quoteIdentifier: backticks,
  sqlSpelling: { quoteIdentifier: backticks, quoteLiteral: quoteLit },
};

describe('a third dialect registered by a test (ToySQL: backticks, no transactional DDL)', () => {
  let unregister: () => void;
  let p: TestProject;
  let url: string;
  const project = async () => new Project(await loadConfig(p.dir, { url }));
  const db = () => new Database(path.join(p.dir, 'toy.db'));

  before(async () => {
    unregister = registerDialect({
      id: 'toysql',
      displayName: 'ToySQL',
      schemes: ['toysql'],
      maxIdentifierBytes: 64,
      parseUrl: (parts) => ({ ...parseSqliteUrl(parts), dialect: 'toysql' }),
      load: async () => toySql,
    });
    p = await createProject('sqlite');
    url = 'toysql:///toy.db';
  });
  after(async () => {
    unregister();
    await p.cleanup();
  });

  test('its URL scheme is read by its own reader, and an unknown scheme lists it', () => {
    const parsed = parseDatabaseUrl('toysql:///toy.db', p.dir);
    assert.equal(parsed.dialect, 'toysql');
    assert.equal(parsed.filename, path.join(p.dir, 'toy.db'));
    assert.throws(() => parseDatabaseUrl('nosuch://x', p.dir), (e: unknown) => isRetortError(e) && /unknown scheme "nosuch:"/.test(e.message) && /toysql:/.test(e.hint ?? ''));
  });

  test('upgrade head runs the example revisions through the runner; the version and history tables are its own', async () => {
    const steps = await migrate(await project(), 'up', 'head');
    assert.equal(steps.length, 4);
    assert.deepEqual(await currentHeads(await project()), ['e7b3a0d5c904']);
    const conn = db();
    try {
      const tables = conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((r) => (r as { name: string }).name);
      assert.deepEqual(tables.filter((t) => !t.startsWith('sqlite_')), ['comments', 'posts', 'profiles', 'retort_history', 'retort_version', 'users']);
      assert.equal((conn.prepare('SELECT count(*) AS n FROM retort_history').get() as { n: number }).n, 4);
    } finally {
      conn.close();
    }
  });

  test('autogenerate compares the models with it and finds what they add (the live tables are not declared: dropped)', async () => {
    mkdirSync(path.join(p.dir, 'models'), { recursive: true });
    writeFileSync(path.join(p.dir, 'models', 'tags.ts'), `import { serial, table, varchar } from 'retort-migrate';\nexport const tags = table('tags', { id: serial().primaryKey(), label: varchar(40).notNull() });\n`);
    const { ops } = await compareWithDatabase(await project(), { requireHead: true });
    const described = ops.map((o) => (o.kind === 'createTable' ? `create ${o.table.name}` : o.kind === 'dropTable' ? `drop ${o.name}` : o.kind)).sort();
    assert.deepEqual(described, ['create tags', 'drop comments', 'drop posts', 'drop profiles', 'drop users']);
  });

  test('a revision failing in its second statement is partly applied, reported so, and never replayed', async () => {
    p.writeRevision('f0000000000a_half.ts', revisionSource('f0000000000a', 'e7b3a0d5c904', 'half', "  op.execute('CREATE TABLE half_done (id INTEGER)');\n  op.execute('INSERT INTO no_such_table VALUES (1)');"));
    await assert.rejects(migrate(await project(), 'up', 'head'), (e: unknown) => {
      assert.ok(isRetortError(e), String(e));
      assert.match(e.message, /partly applied/);
      assert.match(e.message, /e7b3a0d5c904/, 'the version table still marks the revision before');
      return true;
    });
    assert.deepEqual(await currentHeads(await project()), ['e7b3a0d5c904']);
    const conn = db();
    try {
      const row = conn.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_done'").get() as { n: number };
      assert.equal(row.n, 1, 'the first statement stays: nothing rolls DDL back here');
    } finally {
      conn.close();
    }
  });

  test('downgrade base takes it back down through the same runner', async () => {
    const conn = db();
    try {
      conn.exec('DROP TABLE half_done');
    } finally {
      conn.close();
    }
    p.writeRevision('f0000000000a_half.ts', revisionSource('f0000000000a', 'e7b3a0d5c904', 'half', '', ''));
    await migrate(await project(), 'down', 'base');
    assert.deepEqual(await currentHeads(await project()), []);
  });
});
