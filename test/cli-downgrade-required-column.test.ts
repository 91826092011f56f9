/**
 * The generated downgrade of a dropped NOT NULL column without a default adds it back with nothing to fill it, which
 * fails on a table with rows (probe finding: lint reads upgrades only, and nothing said so). Autogenerate says so, as
 * a warning and as a `// FAILS ON ROWS:` note above the call in the downgrade.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createProject, DIALECTS, retortOk as ok, writeModels } from './helpers/project.js';

for (const dialect of DIALECTS) {
  test(`dropping a NOT NULL column: the downgrade that adds it back is flagged (${dialect})`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      const models = (extra: string) => `import { integer, table, text } from 'retort-migrate';
export const items = table('items', { id: integer().primaryKey(), ${extra}note: text() });
`;
      writeModels(p, models("code: text().notNull(), qty: integer().notNull().serverDefault(0), "));
      await ok(p, 'revision', '--autogenerate', '-m', 'init', '--rev-id', 'dc0000000001');
      await ok(p, 'upgrade', 'head');
      writeModels(p, models(''));
      const r = await p.retort('revision', '--autogenerate', '-m', 'drop code', '--rev-id', 'dc0000000002');
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /warning: the downgrade adds "items"\."code" back NOT NULL without a default: it fails once "items" has a row/);
      assert.doesNotMatch(r.stderr, /"items"\."qty" back/, 'a column with a default comes back filled');
      const file = readdirSync(path.join(p.dir, 'migrations')).find((f) => f.startsWith('dc0000000002'))!;
      const down = readFileSync(path.join(p.dir, 'migrations', file), 'utf8').split('export function downgrade')[1]!;
      assert.match(down, /\/\/ FAILS ON ROWS: "items"\."code" is added NOT NULL without a default[^\n]*\n\s*op\.addColumn\('items', 'code'/);
      assert.equal(down.match(/FAILS ON ROWS/g)?.length, 1);
      await ok(p, 'upgrade', 'head');
      await ok(p, 'downgrade', '-1');
    } finally {
      await p.cleanup();
    }
  });
}
