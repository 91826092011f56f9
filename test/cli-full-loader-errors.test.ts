/**
 * An error in a model file that goes through the full loader (it imports a package) names the file that threw and
 * its line, not the model file that imported it (probe finding: a throw at line 4 of models/users.ts was reported as
 * models/billing/invoices.ts, line 2, the import line). Also for a throw in a helper the model imports.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createProject } from './helpers/project.js';

test('a throw in an imported model file or helper names that file and line, through the full loader (sqlite)', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ migrations: 'migrations', models: ['models/**/*.ts'] });\n`);
    mkdirSync(path.join(p.dir, 'node_modules', 'lengths'));
    writeFileSync(path.join(p.dir, 'node_modules', 'lengths', 'package.json'), JSON.stringify({ name: 'lengths', main: 'index.js' }));
    writeFileSync(path.join(p.dir, 'node_modules', 'lengths', 'index.js'), 'exports.extra = 0;\n');
    mkdirSync(path.join(p.dir, 'models', 'billing'), { recursive: true });
    mkdirSync(path.join(p.dir, 'lib'));
    writeFileSync(path.join(p.dir, 'models', 'billing', 'invoices.ts'), `import { integer, table } from 'retort-migrate';
import { users } from '../users';
export const invoices = table('invoices', { id: integer().primaryKey(), user_id: integer().references(() => users.columns.id) });
`);
    const users = (extra: string) => writeFileSync(path.join(p.dir, 'models', 'users.ts'), `import { integer, table } from 'retort-migrate';
import { extra } from 'lengths';
import { width } from '../lib/width';
export const users = table('users', { id: integer().primaryKey() }); void width; void extra;
${extra}
`);
    writeFileSync(path.join(p.dir, 'lib', 'width.ts'), `export const width = 1;\n`);
    users(`const cfg: any = undefined;\nconst x = cfg.len;`);
    let r = await p.retort('check');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /models\/users\.ts cannot be loaded: Cannot read properties of undefined \(reading 'len'\) \(line 6\)/);
    assert.doesNotMatch(r.stderr, /invoices\.ts/);
    users('');
    writeFileSync(path.join(p.dir, 'lib', 'width.ts'), `export const width = 1;\nthrow new Error('width is not configured');\n`);
    r = await p.retort('check');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /lib\/width\.ts cannot be loaded: width is not configured \(line 2\)/);
  } finally {
    await p.cleanup();
  }
});

test('the direct loader names the innermost file too: a helper function that throws as its importer runs (sqlite)', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    mkdirSync(path.join(p.dir, 'lib'));
    writeFileSync(path.join(p.dir, 'lib', 'deep.ts'), `export const deep = 1;\nexport function boom(): number {\n  throw new Error('deep failure');\n}\n`);
    writeFileSync(path.join(p.dir, 'lib', 'mid.ts'), `import { boom } from './deep';\nexport const mid = 1;\nexport const v = boom();\n`);
    mkdirSync(path.join(p.dir, 'models'), { recursive: true });
    writeFileSync(path.join(p.dir, 'models', 'app.ts'), `import { integer, table } from 'retort-migrate';\nimport { v } from '../lib/mid';\nexport const t = table('t', { id: integer().primaryKey() });\nvoid v;\n`);
    const r = await p.retort('check');
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /lib\/deep\.ts cannot be loaded: deep failure \(line 3\)/);
  } finally {
    await p.cleanup();
  }
});
