/**
 * The remembered declared schema (src/runtime/declared-memo.ts), from the CLI on both dialects. A second `check` with
 * unchanged model files reads the schema they declared from the project's cache instead of running them: shown by
 * planting a wrong schema under the right header, which a remembered run believes. Then every input the schema is a
 * function of changes in turn, and each change is seen: an environment variable a model file reads, a file it
 * imports, which file an import resolves to; a comment, which changes no compiled text, is not a change; a model
 * that reads a file with `fs` is never remembered; what -v lists and the warnings are the same from the memo as from
 * the files.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from './helpers/cli.js';
import { createProject, DIALECTS, retortOk as ok, writeModels, type TestProject } from './helpers/project.js';

const cacheDir = (p: TestProject) => path.join(p.dir, 'node_modules', '.cache', 'retort');
const memoFile = (p: TestProject) => path.join(cacheDir(p), 'declared-schema.txt');

/** `retort check` with environment variables set for it. */
function check(p: TestProject, env: Record<string, string | undefined> = {}, ...args: string[]) {
  return runCli(['--url', p.url, 'check', ...args], { cwd: p.dir, env });
}

/** The memo's header: its last line. */
function header(p: TestProject): { env: [string, string | null][]; program: { file: string }[] } {
  const lines = readFileSync(memoFile(p), 'utf8').split('\n').filter(Boolean);
  return JSON.parse(lines[lines.length - 1]!) as { env: [string, string | null][]; program: { file: string }[] };
}

/**
 * Rewrites the remembered schema, its header kept, with `users` missing column `name`, and removes the remembered
 * "no difference" verdicts (SQLite's, which would answer before the schema is read): a run that uses the memo then
 * reports the column as one to drop.
 */
function plantSchemaWithoutName(p: TestProject): void {
  const lines = readFileSync(memoFile(p), 'utf8').split('\n').filter(Boolean);
  const planted = lines.slice(0, -1).map((line, i) => {
    if (i === 0) return line;
    const table = JSON.parse(line) as { name: string; columns: { name: string }[] };
    return table.name === 'users' ? JSON.stringify({ ...table, columns: table.columns.filter((c) => c.name !== 'name') }) : line;
  });
  assert.notDeepEqual(planted, lines.slice(0, -1), 'the memo holds table users');
  // The header's key is the sha256 of the schema's lines: planted with its key, as a run that collected it would write it.
  const body = planted.join('\n');
  const header = JSON.parse(lines[lines.length - 1]!) as Record<string, unknown>;
  writeFileSync(memoFile(p), `${body}\n${JSON.stringify({ ...header, key: createHash('sha256').update(body).digest('hex') })}\n`);
  rmSync(path.join(cacheDir(p), 'no-difference.txt'), { force: true });
}

/** The memo with one table's line lost and its header kept (a file damaged since it was written). */
function damageMemo(p: TestProject, table: string): void {
  const lines = readFileSync(memoFile(p), 'utf8').split('\n').filter(Boolean);
  const kept = lines.filter((line, i) => i === 0 || i === lines.length - 1 || (JSON.parse(line) as { name: string }).name !== table);
  assert.equal(kept.length, lines.length - 1, `the memo holds table ${table}`);
  writeFileSync(memoFile(p), `${kept.join('\n')}\n`);
  rmSync(path.join(cacheDir(p), 'no-difference.txt'), { force: true });
}

const MODELS = `import { integer, table, text } from 'retort-migrate';
import { audit } from './audit.js';
export const users = table('users', {
  id: integer().primaryKey(),
  name: text(),
  ...(process.env.RETORT_TEST_EMAIL === '1' ? { email: text() } : {}),
  ...audit(),
});
export const posts = table('posts', { id: integer().primaryKey(), title: text().notNull() });
table('drafts', { id: integer().primaryKey() });
`;

const AUDIT = `import { text } from 'retort-migrate';
export const audit = () => ({ created_by: text() });
`;

for (const dialect of DIALECTS) {
  describe(`the declared schema is remembered on ${dialect}`, () => {
    test('unchanged model files are not run again; a changed variable, imported file or import target is seen', async () => {
      const p = await createProject(dialect, { empty: true });
      try {
        writeModels(p, MODELS);
        writeModels(p, AUDIT, 'audit.ts');
        await ok(p, 'revision', '--autogenerate', '-m', 'init');
        await ok(p, 'upgrade', 'head');
        const first = await check(p, {}, '-v');
        assert.equal(first.code, 0, first.stderr);
        assert.ok(existsSync(memoFile(p)), 'the declared schema was remembered');
        // The variable the model file read is in the key, unset; both files that ran are.
        assert.deepEqual(header(p).env.filter(([name]) => name === 'RETORT_TEST_EMAIL'), [['RETORT_TEST_EMAIL', null]]);
        assert.deepEqual(header(p).program.map((f) => path.basename(f.file)).sort(), ['app.ts', 'audit.ts']);

        // Remembered: the planted schema is believed, and -v and the warnings say what the files' run said.
        plantSchemaWithoutName(p);
        const planted = await check(p, {}, '-v');
        assert.equal(planted.code, 1, planted.stderr);
        assert.match(planted.stdout, /- column users\.name/);
        assert.equal(planted.stderr, first.stderr);
        assert.match(planted.stderr, /^models\/app\.ts: users, posts$/m);
        assert.match(planted.stderr, /table "drafts" is declared in a model file but not exported/);

        // A comment added and a line broken differently: the text changed, the compiled text did not, so the files
        // still do not run (the planted schema is still believed). A change that compiles differently is seen below.
        const app = path.join(p.dir, 'models', 'app.ts');
        writeFileSync(app, `// users and posts\n${readFileSync(app, 'utf8').replace('name: text(),', 'name:\n    text(),')}`);
        const commented = await check(p);
        assert.equal(commented.code, 1, commented.stderr);
        assert.match(commented.stdout, /- column users\.name/);

        // The variable the file reads changes: the files run again (the planted schema is gone) and the column is seen.
        const withEmail = await check(p, { RETORT_TEST_EMAIL: '1' });
        assert.equal(withEmail.code, 1, withEmail.stderr);
        assert.match(withEmail.stdout, /\+ column users\.email/);
        assert.doesNotMatch(withEmail.stdout, /users\.name/);
        // ...and back: the memo now holds the schema with the variable set, which this run's value does not match.
        assert.equal((await check(p)).code, 0);

        // An imported file changes.
        plantSchemaWithoutName(p);
        writeModels(p, AUDIT.replace('created_by: text()', 'created_by: text(), updated_by: text()'), 'audit.ts');
        const imported = await check(p);
        assert.equal(imported.code, 1, imported.stderr);
        assert.match(imported.stdout, /\+ column users\.updated_by/);
        assert.doesNotMatch(imported.stdout, /users\.name/);
        writeModels(p, AUDIT, 'audit.ts');
        assert.equal((await check(p)).code, 0);

        // A file added beside the import's target changes what it resolves to ('./audit.js' means audit.ts before
        // audit.js): the texts of the files that ran are unchanged, their import is not.
        rmSync(path.join(p.dir, 'models', 'audit.ts'));
        writeModels(p, 'export const audit = () => ({});\n', 'audit.js');
        assert.equal((await check(p)).code, 1, 'created_by is no longer declared');
        plantSchemaWithoutName(p);
        writeModels(p, AUDIT, 'audit.ts');
        const resolved = await check(p);
        assert.equal(resolved.code, 0, `${resolved.stdout}${resolved.stderr}`);
      } finally {
        await p.cleanup();
      }
    });

    test('a settled file is taken as unchanged by its time stamps and size; a change that keeps size and mtime is still seen', async () => {
      const p = await createProject(dialect, { empty: true });
      try {
        writeModels(p, MODELS);
        writeModels(p, AUDIT, 'audit.ts');
        const written = Date.now();
        await ok(p, 'revision', '--autogenerate', '-m', 'init');
        await ok(p, 'upgrade', 'head');
        // Stamps younger than two seconds are never trusted (a change in the same clock tick would share them).
        await new Promise((r) => setTimeout(r, Math.max(0, written + 2200 - Date.now())));
        assert.equal((await check(p)).code, 0);
        const program = header(p).program as unknown as { file: string; stamp: [number, number, number] }[];
        assert.ok(program.every((f) => f.stamp[2] > 0), 'the stamps were settled when written');

        plantSchemaWithoutName(p);
        const planted = await check(p);
        assert.equal(planted.code, 1, planted.stderr);
        assert.match(planted.stdout, /- column users\.name/);

        // Same size, same modification time: the status-change time still differs, so the text is read and hashed.
        const audit = path.join(p.dir, 'models', 'audit.ts');
        const before = statSync(audit, { bigint: true });
        writeFileSync(audit, AUDIT.replace('created_by', 'created_at'));
        // To the nanosecond (utimes takes seconds as a double, which may round them).
        const ns = before.mtimeNs;
        const touched = spawnSync('touch', ['-m', '-d', `@${ns / 1_000_000_000n}.${String(ns % 1_000_000_000n).padStart(9, '0')}`, audit]);
        assert.equal(touched.status, 0, String(touched.stderr));
        const after = statSync(audit, { bigint: true });
        assert.equal(after.size, before.size);
        assert.equal(after.mtimeNs, before.mtimeNs);
        const changed = await check(p);
        assert.equal(changed.code, 1, changed.stderr);
        assert.match(changed.stdout, /\+ column users\.created_at/);
        assert.doesNotMatch(changed.stdout, /users\.name/);
      } finally {
        await p.cleanup();
      }
    });

    test('a model file that reads the clock, randomness, the command line or the working folder is never remembered; a fixed date is', async () => {
      const p = await createProject(dialect, { empty: true });
      try {
        const model = (expr: string) => `import { integer, table } from 'retort-migrate';
const value: unknown = ${expr};
export const events = table(\`events_\${String(value).length > 0 ? 'x' : 'y'}\`, { id: integer().primaryKey() });
`;
        const remembered = async (expr: string): Promise<boolean> => {
          rmSync(cacheDir(p), { recursive: true, force: true });
          writeModels(p, model(expr));
          const r = await check(p);
          assert.equal(r.code, 1, r.stderr);
          assert.match(r.stdout, /\+ table events_x/, expr);
          return existsSync(memoFile(p));
        };
        // A partition per month from the clock must be worked out on every run, not the month of the first.
        for (const expr of ['new Date()', 'Date.now()', 'Date()', 'Math.random()', 'performance.now()', 'process.hrtime()', 'process.argv.join(" ")', 'process.cwd()', 'crypto.randomUUID()',
          "new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit' }).format()", 'performance.timeOrigin', 'process.pid',
          "(process as unknown as { getBuiltinModule(n: string): typeof import('node:fs') }).getBuiltinModule('fs').existsSync('cols.txt')"]) {
          assert.equal(await remembered(expr), false, `${expr}: nothing remembered`);
        }
        // A date from a fixed text reads no clock; the Date of a model is still the real one.
        const fixed = "(() => { class Day extends Date {} const d = new Day('2024-01-01T00:00:00Z'); if (!(d instanceof Date) || d.getUTCFullYear() !== 2024) throw new Error('not a date'); return d.toISOString(); })()";
        assert.equal(await remembered(fixed), true, 'a fixed date is remembered');
        assert.equal(typeof Date.now(), 'number');
      } finally {
        await p.cleanup();
      }
    });

    test('a model file that imports a JSON file loads, and a change to the JSON is seen', async () => {
      const p = await createProject(dialect, { empty: true });
      try {
        // The direct loader's resolution once looked for ./columns.json/index.ts and stopped on ENOTDIR.
        writeModels(p, `import { integer, table, text } from 'retort-migrate';
import spec from './columns.json';
export const notes = table('notes', { id: integer().primaryKey(), ...Object.fromEntries(spec.cols.map((n: string) => [n, text()])) });
`);
        writeFileSync(path.join(p.dir, 'models', 'columns.json'), JSON.stringify({ cols: ['title'] }));
        const first = await check(p);
        assert.equal(first.code, 1, first.stderr);
        assert.match(first.stdout, /\+ table notes/);
        await ok(p, 'revision', '--autogenerate', '-m', 'init');
        await ok(p, 'upgrade', 'head');
        assert.equal((await check(p)).code, 0);
        writeFileSync(path.join(p.dir, 'models', 'columns.json'), JSON.stringify({ cols: ['title', 'body'] }));
        const changed = await check(p);
        assert.equal(changed.code, 1, changed.stderr);
        assert.match(changed.stdout, /\+ column notes\.body/);
      } finally {
        await p.cleanup();
      }
    });

    test('a remembered schema damaged since it was written is not believed: the files run, and it is written anew', async () => {
      const p = await createProject(dialect, { empty: true });
      try {
        writeModels(p, MODELS);
        writeModels(p, AUDIT, 'audit.ts');
        await ok(p, 'revision', '--autogenerate', '-m', 'init');
        await ok(p, 'upgrade', 'head');
        assert.equal((await check(p)).code, 0);
        assert.ok(existsSync(memoFile(p)));
        // A table's line lost: believed, autogenerate would have written a DROP TABLE for posts.
        damageMemo(p, 'posts');
        const r = await check(p);
        assert.equal(r.code, 0, r.stdout + r.stderr);
        assert.match(r.stdout, /No changes detected/);
        const gen = await p.retort('revision', '--autogenerate', '-m', 'nothing');
        assert.match(gen.stdout, /No changes detected/, gen.stdout + gen.stderr);
        assert.match(readFileSync(memoFile(p), 'utf8'), /"name":"posts"/, 'written anew, whole');
        // The first line lost (the schema without its tables): the same.
        const lines = readFileSync(memoFile(p), 'utf8').split('\n');
        writeFileSync(memoFile(p), lines.slice(1).join('\n'));
        rmSync(path.join(cacheDir(p), 'no-difference.txt'), { force: true });
        const again = await check(p);
        assert.equal(again.code, 0, again.stdout + again.stderr);
      } finally {
        await p.cleanup();
      }
    });

    test('a variable tested with Object.hasOwn, and the time zone, are part of the key', async () => {
      const p = await createProject(dialect, { empty: true });
      try {
        writeModels(p, `import { integer, table } from 'retort-migrate';
const hour = new Date(2024, 0, 1).toISOString().slice(11, 13);
const flag = Object.hasOwn(process.env, 'RETORT_TEST_FLAG') ? 'on' : 'off';
export const t = table(\`t_\${hour}_\${flag}\`, { id: integer().primaryKey() });
`);
        const table = async (env: Record<string, string | undefined>) => {
          const r = await check(p, { TZ: 'UTC', RETORT_TEST_FLAG: undefined, ...env });
          assert.equal(r.code, 1, r.stderr);
          return /\+ table (\w+)/.exec(r.stdout)?.[1];
        };
        assert.equal(await table({}), 't_00_off');
        assert.ok(existsSync(memoFile(p)), 'remembered: what it read is keyed');
        assert.equal(await table({}), 't_00_off');
        assert.equal(await table({ RETORT_TEST_FLAG: '' }), 't_00_on');
        assert.equal(await table({ TZ: 'Asia/Tokyo' }), 't_15_off');
        assert.equal(await table({}), 't_00_off');
      } finally {
        await p.cleanup();
      }
    });

    test('a config that sets globals (which a model may read) keeps the model files from being remembered', async () => {
      const p = await createProject(dialect, { empty: true });
      try {
        writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';
(globalThis as Record<string, unknown>).__retortTestPrefix = process.env.RETORT_TEST_PREFIX ?? 'app';
export default defineConfig({ migrations: 'migrations', models: ['models/*.ts'] });
`);
        writeModels(p, `import { integer, table } from 'retort-migrate';
export const users = table(\`\${(globalThis as Record<string, unknown>).__retortTestPrefix}_users\`, { id: integer().primaryKey() });
`);
        for (const prefix of ['a', 'b', 'a']) {
          const r = await check(p, { RETORT_TEST_PREFIX: prefix });
          assert.equal(r.code, 1, r.stderr);
          assert.match(r.stdout, new RegExp(`\\+ table ${prefix}_users`));
        }
        assert.equal(existsSync(memoFile(p)), false, 'nothing remembered');
        // The same config without the global: remembered.
        writeFileSync(path.join(p.dir, 'retort.config.ts'), `import { defineConfig } from 'retort-migrate';
const prefix = process.env.RETORT_TEST_PREFIX ?? 'app';
export default defineConfig({ migrations: 'migrations', models: ['models/*.ts'], exclude: [\`\${prefix}_none\`] });
`);
        writeModels(p, `import { integer, table } from 'retort-migrate';
export const users = table('users', { id: integer().primaryKey() });
`);
        assert.equal((await check(p)).code, 1);
        assert.equal(existsSync(memoFile(p)), true, 'a config that only reads the environment sets no global');
      } finally {
        await p.cleanup();
      }
    });

    test('a model file that reads a file with fs is never remembered', async () => {
      const p = await createProject(dialect, { empty: true });
      try {
        writeFileSync(path.join(p.dir, 'columns.json'), JSON.stringify(['title']));
        writeModels(p, `import { readFileSync } from 'node:fs';
import path from 'node:path';
import { integer, table, text } from 'retort-migrate';
const names = JSON.parse(readFileSync(path.join(__dirname, '..', 'columns.json'), 'utf8')) as string[];
export const notes = table('notes', { id: integer().primaryKey(), ...Object.fromEntries(names.map((n) => [n, text()])) });
`);
        await ok(p, 'revision', '--autogenerate', '-m', 'init');
        await ok(p, 'upgrade', 'head');
        assert.equal((await check(p)).code, 0);
        assert.equal(existsSync(memoFile(p)), false, 'nothing remembered: what fs read has no key');
        writeFileSync(path.join(p.dir, 'columns.json'), JSON.stringify(['title', 'body']));
        const changed = await check(p);
        assert.equal(changed.code, 1, changed.stderr);
        assert.match(changed.stdout, /\+ column notes\.body/);
      } finally {
        await p.cleanup();
      }
    });
  });
}
