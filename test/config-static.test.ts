/** Config files that are plain data are read without running them; anything else is left to the loader. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readStaticConfig } from '../src/config/static-config.js';

test('plain-data configs are read as data', () => {
  const cases: [string, unknown][] = [
    [
      `import { defineConfig } from 'retort-migrate';\n\n// where the database lives\nexport default defineConfig({\n  url: 'sqlite:///app.db', /* relative */\n  migrations: "migrations",\n  models: ['models/*.ts', \`more/*.ts\`,],\n  lockTimeout: 30,\n  exclude: [],\n  namingConvention: { ix: 'ix_%(table_name)s' },\n});\n`,
      { url: 'sqlite:///app.db', migrations: 'migrations', models: ['models/*.ts', 'more/*.ts'], lockTimeout: 30, exclude: [], namingConvention: { ix: 'ix_%(table_name)s' } },
    ],
    [`import { defineConfig, type RetortConfig } from "retort-migrate"\nexport default { 'url': 'sqlite::memory:', schema: "it's" } satisfies RetortConfig;`, { url: 'sqlite::memory:', schema: "it's" }],
    [`export default defineConfig({ url: 'a\\'b' })`, { url: "a'b" }],
  ];
  for (const [text, expected] of cases) assert.deepEqual(readStaticConfig(text), expected, text);
});

test('configs that compute something are left to the loader', () => {
  const cases = [
    `import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ url: process.env.DB_URL });`,
    `import { base } from './shared';\nexport default defineConfig({ ...base });`,
    `export default defineConfig({ url: \`sqlite:///\${name}.db\` });`,
    `const url = 'x';\nexport default { url };`,
    `export default defineConfig({ url: 'x' });\nconsole.log('side effect');`,
    `module.exports = { url: 'x' };`,
    `export default [1, 2];`,
  ];
  for (const text of cases) assert.equal(readStaticConfig(text), null, text);
});
