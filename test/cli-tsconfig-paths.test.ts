/**
 * A model file importing through a tsconfig.json `paths` alias (`@/lib/cols`), as tsc accepts it, in a CommonJS and
 * an ES module project (probe finding: "Cannot find module '@/lib/cols'", where the docs promise TypeScript's
 * resolution). The alias comes from the nearest tsconfig.json, comments, trailing commas and `extends` included.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { checkClean, createProject, retortOk as ok, writeModels } from './helpers/project.js';

for (const kind of ['commonjs', 'module'] as const) {
  test(`a paths alias in tsconfig.json resolves in a model file (${kind} project, sqlite)`, async () => {
    const p = await createProject('sqlite', { empty: true });
    try {
      writeFileSync(path.join(p.dir, 'package.json'), JSON.stringify({ name: 'aliased', type: kind }));
      // The alias lives in a base config the project's tsconfig.json extends, written with a comment and a trailing comma.
      writeFileSync(path.join(p.dir, 'tsconfig.base.json'), `{
  // shared settings
  "compilerOptions": { "strict": true, "paths": { "@/*": ["./src/*"], "#cols": ["./src/lib/cols.ts"], }, },
}`);
      writeFileSync(path.join(p.dir, 'tsconfig.json'), `{ "extends": "./tsconfig.base.json", "compilerOptions": { "noEmit": true } }`);
      mkdirSync(path.join(p.dir, 'src', 'lib'), { recursive: true });
      writeFileSync(path.join(p.dir, 'src', 'lib', 'cols.ts'), `import { varchar } from 'retort-migrate';\nexport const email = () => varchar(255).notNull();\n`);
      writeModels(p, `import { serial, table } from 'retort-migrate';
import { email } from '@/lib/cols';
import * as cols from '#cols';
export const users = table('users', { id: serial().primaryKey(), email: email(), backup: cols.email() });
`);
      const out = await ok(p, 'revision', '--autogenerate', '-m', 'init', '--rev-id', 'a1a500000001');
      assert.match(out, /\+ table users/);
      await ok(p, 'upgrade', 'head');
      await checkClean(p);
      const columns = await p.query<{ name: string; type: string }>(`SELECT name, type FROM pragma_table_info('users') ORDER BY cid`);
      assert.deepEqual(columns.map((c) => `${c.name} ${c.type}`), ['id INTEGER', 'email VARCHAR(255)', 'backup VARCHAR(255)']);
    } finally {
      await p.cleanup();
    }
  });
}
