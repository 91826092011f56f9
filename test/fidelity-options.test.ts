/**
 * Issue 17's declarable options through the CLI: NULLS NOT DISTINCT (PostgreSQL 15+; refused on SQLite at model
 * load), column collations (PostgreSQL ALTER COLUMN ... TYPE ... COLLATE, SQLite's rebuild), and canonicalisation
 * that falls back one default or generated column at a time when the server refuses one of a table's defaults.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createProject, DIALECTS, revisionSource, type TestProject, writeModels, retortOk as ok } from './helpers/project.js';

async function clean(p: TestProject): Promise<void> {
  const r = await p.retort('check');
  assert.equal(r.code, 0, `check: ${r.stdout}${r.stderr}`);
}

const NND = (on: boolean) => `import { integer, table, unique, uniqueIndex } from 'retort-migrate';
export const t = table('nnd', { id: integer().primaryKey(), a: integer().unique(${on ? '{ nullsNotDistinct: true }' : ''}), b: integer(), c: integer() }, (t) => [
  unique('uq_nnd_bc').on(t.b, t.c)${on ? '.nullsNotDistinct()' : ''},
  uniqueIndex('ux_nnd_c').on(t.c)${on ? '.nullsNotDistinct()' : ''},
]);
`;

describe('postgresql: NULLS NOT DISTINCT', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('postgresql', { empty: true });
  });
  after(async () => {
    await p.cleanup();
  });

  const flags = async () =>
    (await p.query<{ name: string; nnd: boolean }>(`SELECT c.relname AS name, i.indnullsnotdistinct AS nnd FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid JOIN pg_class t ON t.oid = i.indrelid WHERE t.relname = 'nnd' AND NOT i.indisprimary ORDER BY 1`))
      .map((r) => `${r.name}:${r.nnd}`);

  test('declared on a column, a unique constraint and a unique index: created, read back, no difference', async () => {
    writeModels(p, NND(true));
    await ok(p, 'revision', '--autogenerate', '-m', 'nnd', '--rev-id', '000000000001');
    await ok(p, 'upgrade', 'head');
    assert.deepEqual(await flags(), ['nnd_a_key:true', 'uq_nnd_bc:true', 'ux_nnd_c:true']);
    await clean(p);
    await assert.rejects(p.query(`INSERT INTO nnd (id, a) VALUES (1, NULL), (2, NULL)`), /duplicate key/);
  });

  test('toggling it off is detected and applied; downgrade restores it', async () => {
    writeModels(p, NND(false));
    const check = await p.retort('check');
    assert.equal(check.code, 1, check.stdout + check.stderr);
    assert.match(check.stdout, /uq_nnd_bc/);
    await ok(p, 'revision', '--autogenerate', '-m', 'off', '--rev-id', '000000000002');
    await ok(p, 'upgrade', 'head');
    assert.deepEqual(await flags(), ['nnd_a_key:false', 'uq_nnd_bc:false', 'ux_nnd_c:false']);
    await clean(p);
    await ok(p, 'downgrade', '000000000001');
    assert.deepEqual(await flags(), ['nnd_a_key:true', 'uq_nnd_bc:true', 'ux_nnd_c:true']);
  });
});

describe('sqlite: NULLS NOT DISTINCT is refused at model load', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('sqlite', { empty: true });
  });
  after(async () => {
    await p.cleanup();
  });

  test('one clear line, nothing written', async () => {
    writeModels(p, NND(true));
    const r = await p.retort('revision', '--autogenerate', '-m', 'nnd');
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /NULLS NOT DISTINCT, which SQLite does not have/);
    assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
  });
});

const COLLATIONS: Record<string, readonly [string, string]> = { postgresql: ['C', 'POSIX'], sqlite: ['NOCASE', 'RTRIM'] };

for (const dialect of DIALECTS) {
  describe(`${dialect}: column collations`, () => {
    let p: TestProject;
    const [first, second] = COLLATIONS[dialect]!;
    const model = (collation: string | null) => `import { integer, table, text, varchar } from 'retort-migrate';
export const people = table('people', { id: integer().primaryKey(), name: text()${collation === null ? '' : `.collate('${collation}')`}.notNull(), code: varchar(10) });
`;
    const collationOf = async (): Promise<string | null> => {
      if (dialect === 'postgresql') {
        const [row] = await p.query<{ c: string | null }>(`SELECT CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS c FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_collation co ON co.oid = a.attcollation WHERE a.attrelid = 'people'::regclass AND a.attname = 'name'`);
        return row!.c;
      }
      const [row] = await p.query<{ sql: string }>(`SELECT sql FROM sqlite_master WHERE name = 'people'`);
      return /COLLATE\s+(\w+)/i.exec(row!.sql)?.[1]?.toUpperCase() ?? null;
    };
    before(async () => {
      p = await createProject(dialect, { empty: true });
    });
    after(async () => {
      await p.cleanup();
    });

    test('declared, created, read back with no difference', async () => {
      writeModels(p, model(first));
      await ok(p, 'revision', '--autogenerate', '-m', 'people', '--rev-id', '000000000001');
      await ok(p, 'upgrade', 'head');
      await p.query(`INSERT INTO people (id, name) VALUES (1, 'Ann')`);
      assert.equal(await collationOf(), first);
      await clean(p);
    });

    test('a changed collation is detected and applied in place, rows kept; downgrade restores it', async () => {
      writeModels(p, model(second));
      const check = await p.retort('check');
      assert.equal(check.code, 1, check.stdout + check.stderr);
      await ok(p, 'revision', '--autogenerate', '-m', 'second', '--rev-id', '000000000002');
      await ok(p, 'upgrade', 'head');
      assert.equal(await collationOf(), second);
      await clean(p);
      writeModels(p, model(null));
      await ok(p, 'revision', '--autogenerate', '-m', 'none', '--rev-id', '000000000003');
      await ok(p, 'upgrade', 'head');
      assert.equal(await collationOf(), null);
      await clean(p);
      await ok(p, 'downgrade', '000000000001');
      assert.equal(await collationOf(), first);
      assert.deepEqual(await p.query(`SELECT name FROM people`), [{ name: 'Ann' }]);
    });
  });
}

describe('postgresql: canonicalisation falls back one default and generated column at a time', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('postgresql', { empty: true });
    const up = [
      "  await op.execute('CREATE SEQUENCE other_seq');",
      "  await op.execute(\"CREATE TABLE gen (id integer PRIMARY KEY, a integer, n bigint DEFAULT nextval('other_seq'), g boolean GENERATED ALWAYS AS (a IN (1, 2)) STORED)\");",
    ].join('\n');
    p.writeRevision('000000000001_gen.ts', revisionSource('000000000001', null, 'gen', up, "  await op.execute('DROP TABLE gen');\n  await op.execute('DROP SEQUENCE other_seq');"));
    await ok(p, 'upgrade', 'head');
  });
  after(async () => {
    await p.cleanup();
  });

  test('a default naming a sequence the scratch copy cannot use leaves the generated column alone', async () => {
    // The declared default names a sequence that does not exist: the temporary copy of the table is refused.
    writeModels(p, `import { bigint, boolean, customType, integer, sql, table } from 'retort-migrate';
export const gen = table('gen', {
  id: integer().primaryKey(),
  a: integer(),
  n: bigint().serverDefault(sql\`nextval('missing_seq')\`),
  g: customType('boolean GENERATED ALWAYS AS (a IN (1, 2)) STORED'),
});
`);
    const check = await p.retort('check');
    assert.equal(check.code, 1, check.stdout + check.stderr);
    assert.match(check.stdout, /missing_seq/);
    assert.doesNotMatch(check.stdout, /column gen\.g|gen\.g\b/, check.stdout);
  });
});
