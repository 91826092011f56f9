/**
 * A renamed column named in the expressions its table keeps (issue 22): a CHECK, a generated column, a partial
 * index's WHERE, an expression index and, on PostgreSQL, an exclusion constraint's element and WHERE. The database
 * rewrites them on the rename (PostgreSQL keeps them parsed, SQLite 3.25+ rewrites their text), so autogenerate
 * writes the rename alone, never a drop and an add of the CHECK or the indexes; upgrade and downgrade keep the rows
 * and `check` is clean after both. Then the table itself is renamed under them. (No default can name a column in
 * either database, so there is no default case.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkClean, createProject, DIALECTS, retortOk, writeModels, type DialectName, type TestProject } from './helpers/project.js';

/** The models with table `table` and column `col`, hinting at `was` where they differ. */
function models(dialect: DialectName, table: string, col: string, was: { table: string; col: string }): string {
  const pg = dialect === 'postgresql';
  const generated = pg ? `text GENERATED ALWAYS AS (upper(${col})) STORED` : `TEXT GENERATED ALWAYS AS (upper(${col})) STORED`;
  return `import { check, customType, exclude, index, integer, sql, table, text } from 'retort-migrate';
export const docs = table('${table}', {
  id: integer().primaryKey(),
  ${col}: text().notNull()${col === was.col ? '' : `.renamedFrom('${was.col}')`},
  shout: customType('${generated}'),
}, (t) => [
  check('ck_docs_len', sql\`length(\${t.${col}}) > 0\`),
  index('ix_docs_partial').on(t.id).where(sql\`\${t.${col}} IS NOT NULL AND \${t.${col}} <> 'x'\`),
  index('ix_docs_lower').on(sql\`lower(\${t.${col}})\`),
  ${pg ? `exclude('ex_docs').using('btree').on([t.${col}, '=']).where(sql\`\${t.${col}} <> ''\`),` : ''}
])${table === was.table ? '' : `.renamedFrom('${was.table}')`};
`;
}

const ROWS = ['1|Dune|DUNE', '2|Emma|EMMA'];
const rows = (xs: Record<string, unknown>[]) => xs.map((r) => Object.values(r).map(String).join('|'));

for (const dialect of DIALECTS) {
  describe(`renames under table expressions on ${dialect}`, () => {
    let p: TestProject;
    const file = (name: string) => readFileSync(path.join(p.dir, 'migrations', name), 'utf8');
    const tableRows = async (table: string, col: string) => rows(await p.query(`SELECT id, ${col}, shout FROM ${table} ORDER BY id`));
    const matches = async () => {
      const r = await p.retort('check');
      assert.match(r.stdout, /^The schema matches the models, but see above\.$/m, r.stdout + r.stderr);
    };

    async function round(rev: string, now: { table: string; col: string }, was: { table: string; col: string }, expected: RegExp, count = 1): Promise<void> {
      writeModels(p, models(dialect, now.table, now.col, was));
      const out = await retortOk(p, 'revision', '--autogenerate', '-m', 'renames', '--rev-id', rev);
      assert.doesNotMatch(out, /destructive|hint:/, out);
      const text = file(`${rev}_renames.ts`);
      const [up, down] = text.split(/export (?:async )?function downgrade/);
      assert.match(up!, expected, up);
      // The rename alone (and a renamed table's derived key names, cli-renames-derived-names.test.ts): `count` each way.
      assert.equal((up!.match(/op\.\w+\(/g) ?? []).length, count, up);
      assert.equal((down!.match(/op\.\w+\(/g) ?? []).length, count, down);

      await retortOk(p, 'upgrade', 'head');
      assert.deepEqual(await tableRows(now.table, now.col), ROWS);
      await checkClean(p);
      // The expressions hold under the new names.
      await assert.rejects(p.query(`INSERT INTO ${now.table} (id, ${now.col}) VALUES (9, '')`), 'the check');

      await retortOk(p, 'downgrade', '-1');
      assert.deepEqual(await tableRows(was.table, was.col), ROWS);
      writeModels(p, models(dialect, was.table, was.col, was));
      await matches();
      await assert.rejects(p.query(`INSERT INTO ${was.table} (id, ${was.col}) VALUES (9, '')`), 'the check, back');

      writeModels(p, models(dialect, now.table, now.col, was));
      await retortOk(p, 'upgrade', 'head');
      await checkClean(p);
      assert.match(await retortOk(p, 'revision', '--autogenerate', '-m', 'nothing', '--rev-id', `${rev.slice(0, -1)}f`), /No changes detected/);
    }

    before(async () => {
      p = await createProject(dialect, { empty: true });
      const start = { table: 'docs', col: 'name' };
      writeModels(p, models(dialect, 'docs', 'name', start));
      await retortOk(p, 'revision', '--autogenerate', '-m', 'start', '--rev-id', '00000000e001');
      await retortOk(p, 'upgrade', 'head');
      await p.query(`INSERT INTO docs (id, name) VALUES (1, 'Dune'), (2, 'Emma')`);
    });
    after(async () => {
      await p?.cleanup();
    });

    test('a column renamed under a check, a generated column, partial and expression indexes (and an exclusion constraint)', async () => {
      await round('00000000e002', { table: 'docs', col: 'title' }, { table: 'docs', col: 'name' }, /op\.alterColumn\('docs', 'name', \{ newName: 'title' \}\)/);
    });

    test('the table renamed under them', async () => {
      await round('00000000e003', { table: 'papers', col: 'title' }, { table: 'docs', col: 'title' }, /op\.renameTable\('docs', 'papers'\)/, dialect === 'postgresql' ? 2 : 1);
      if (dialect === 'postgresql') assert.match(file('00000000e003_renames.ts'), /op\.renameConstraint\('papers', 'docs_pkey', 'papers_pkey'\)/);
    });
  });
}
