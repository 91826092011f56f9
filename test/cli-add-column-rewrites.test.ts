/**
 * Autogenerate marks what it cannot make lock-safe: a column added to an existing PostgreSQL table with a value for
 * every row (a volatile default, serial) rewrites the table under ACCESS EXCLUSIVE, and the revision says so above the
 * call, as it does for a type change that rewrites. It was written plain, with no mark.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkClean, createProject, writeModels } from './helpers/project.js';

test('an added column with gen_random_uuid() or serial is marked REWRITES in the revision; a constant default is not (PostgreSQL)', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    writeModels(p, `import { table, integer } from 'retort-migrate';\nexport const t = table('t', { id: integer().primaryKey() });\n`);
    assert.equal((await p.retort('revision', '--autogenerate', '-m', 'start')).code, 0);
    assert.equal((await p.retort('upgrade', 'head')).code, 0);
    await p.query('INSERT INTO t SELECT g FROM generate_series(1, 10) g');
    writeModels(p, `import { table, integer, uuid, serial, sql } from 'retort-migrate';
export const t = table('t', { id: integer().primaryKey(), u: uuid().serverDefault(sql\`gen_random_uuid()\`), s: serial(), z: integer().notNull().serverDefault(sql\`0\`) });
`);
    const r = await p.retort('revision', '--autogenerate', '-m', 'add columns');
    assert.equal(r.code, 0, r.stderr);
    const file = readdirSync(path.join(p.dir, 'migrations')).find((f) => f.endsWith('_add_columns.ts'))!;
    const text = readFileSync(path.join(p.dir, 'migrations', file), 'utf8');
    assert.match(text, /\/\/ REWRITES "t": adding "u" as a default calling gen_random_uuid\(\) writes a value into every row under ACCESS EXCLUSIVE[^\n]*\n\s*op\.addColumn\('t', 'u'/);
    assert.match(text, /\/\/ REWRITES "t": adding "s" as a serial column[^\n]*\n\s*op\.addColumn\('t', 's'/);
    assert.doesNotMatch(text, /REWRITES "t": adding "z"/);
    const up = await p.retort('upgrade', 'head');
    assert.equal(up.code, 0, up.stderr);
    await checkClean(p);
    assert.deepEqual(await p.query(`SELECT count(DISTINCT u)::text AS n FROM t`), [{ n: '10' }]);
  } finally {
    await p.cleanup();
  }
});
