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
    `export default defineConfig({ url: process.env.DB_URL + '?x' });`,
    `export default defineConfig({ url: process.env[name] });`,
    `export default defineConfig({ url: process.env.DB_URL ?? other });`,
    `import { base } from './shared';\nexport default defineConfig({ ...base });`,
    `export default defineConfig({ url: \`sqlite:///\${name}.db\` });`,
    `const url = 'x';\nexport default { url };`,
    `export default defineConfig({ url: 'x' });\nconsole.log('side effect');`,
    `module.exports = { url: 'x' };`,
    `export default [1, 2];`,
  ];
  for (const text of cases) assert.equal(readStaticConfig(text), null, text);
});

test('environment variables read as most configs read them are data, taken from this process', () => {
  const saved = { ...process.env };
  try {
    process.env.RETORT_T_URL = 'postgresql://db/app';
    process.env.RETORT_T_EMPTY = '';
    delete process.env.RETORT_T_UNSET;
    const cases: [string, unknown][] = [
      [`import { defineConfig } from 'retort-migrate';\nexport default defineConfig({ url: process.env.RETORT_T_URL });`, { url: 'postgresql://db/app' }],
      [`export default defineConfig({ url: process.env['RETORT_T_URL']! })`, { url: 'postgresql://db/app' }],
      // Unset: the key holds undefined, as running the file gives, and the config treats it as not given.
      [`export default defineConfig({ url: process.env.RETORT_T_UNSET, migrations: 'm' })`, { url: undefined, migrations: 'm' }],
      [`export default defineConfig({ url: process.env.RETORT_T_UNSET ?? 'sqlite:///dev.db' })`, { url: 'sqlite:///dev.db' }],
      // ?? keeps an empty string (which the config then refuses by name); || does not.
      [`export default defineConfig({ url: process.env.RETORT_T_EMPTY ?? 'sqlite:///dev.db' })`, { url: '' }],
      [`export default defineConfig({ url: process.env.RETORT_T_EMPTY || process.env.RETORT_T_UNSET || "sqlite:///b.db" })`, { url: 'sqlite:///b.db' }],
      [`export default defineConfig({ lockTimeout: process.env.RETORT_T_UNSET ?? 30 })`, { lockTimeout: 30 }],
    ];
    for (const [text, expected] of cases) assert.deepEqual(readStaticConfig(text), expected, text);
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
});
