/**
 * A hostile database: names, comments and texts read from the live database must stay inert in every file Retort
 * writes (revisions, models, the config) and in SQL it runs; a name can hold any character PostgreSQL and SQLite
 * accept, line terminators included.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createProject, DIALECTS, writeModels, type TestProject } from './helpers/project.js';
import { createPgDatabase, pgQuery } from './helpers/db.js';
import { runCli } from './helpers/cli.js';

const quoteIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

for (const dialect of DIALECTS) {
  describe(`names that end a comment stay inert (${dialect})`, () => {
    let p: TestProject;
    // Short: PostgreSQL keeps 63 bytes of a name, and the payload must be whole to run.
    const marker = path.join(os.tmpdir(), `rh${process.pid % 10000}${dialect[0]}`);
    before(async () => {
      p = await createProject(dialect, { empty: true });
      rmSync(marker, { force: true });
    });
    after(async () => {
      rmSync(marker, { force: true });
      await p.cleanup();
    });

    test('autogenerate, pull and the baseline write names from the database on one comment line', async () => {
      // Each line terminator JavaScript knows ends a `//` comment: what follows it would run when the file loads.
      // No dot: PostgreSQL's `a.b` names read as schema.table.
      const payload = (sep: string) => `x${sep}require('fs')['writeFileSync'](${JSON.stringify(marker)},'')//`;
      await p.query(`CREATE TABLE t1 (id integer PRIMARY KEY, ${quoteIdent(payload('\n'))} integer)`);
      await p.query(`CREATE TABLE ${quoteIdent(payload('\u2028'))} (id integer PRIMARY KEY)`);
      await p.query(`CREATE TABLE ${quoteIdent(payload('\r'))} (id integer PRIMARY KEY)`);
      // Models that declare none of it: autogenerate drops all three (DESTRUCTIVE notes name them) and loads the
      // file it wrote for its lint.
      writeModels(p, `import { table, integer } from 'retort-migrate';\nexport const t1 = table('t1', { id: integer().primaryKey() });\n`);
      const r = await p.retort('revision', '--autogenerate', '-m', 'drop them');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(existsSync(marker), false, 'a name from the database ran as code');
      const file = readdirSync(path.join(p.dir, 'migrations')).find((f) => f.endsWith('_drop_them.ts'))!;
      const text = readFileSync(path.join(p.dir, 'migrations', file), 'utf8');
      for (const line of text.split(/\r\n|[\n\r\u2028\u2029]/)) assert.doesNotMatch(line, /^\s*require\(/, `a name began a line of code:\n${text}`);
      assert.match(text, /\/\/ DESTRUCTIVE: drops column t1\.x require\('fs'\)\['writeFileSync'\]/);
      // Upgrade and downgrade load the file; the downgrade creates them again.
      for (const args of [['upgrade', 'head'], ['downgrade', 'base']]) {
        const run = await p.retort(...args);
        assert.equal(run.code, 0, run.stderr);
      }
      assert.equal(existsSync(marker), false);
      rmSync(path.join(p.dir, 'migrations', file));
      // pull writes models (and a baseline whose downgrade drops the tables) from the same database.
      const pulled = await p.retort('pull', '--baseline', '-m', 'baseline', '--force');
      assert.equal(pulled.code, 0, pulled.stderr);
      const check = await p.retort('check');
      assert.ok(check.code === 0 || check.code === 1, check.stderr);
      assert.equal(existsSync(marker), false, 'pulled models or their baseline ran a name as code');
      for (const dir of ['models', 'migrations']) {
        for (const f of readdirSync(path.join(p.dir, dir))) {
          const written = readFileSync(path.join(p.dir, dir, f), 'utf8');
          for (const line of written.split(/\r\n|[\n\r\u2028\u2029]/)) assert.doesNotMatch(line, /^\s*require\(/, `${dir}/${f}:\n${written}`);
        }
      }
    });
  });
}

describe('names inside the PostgreSQL blocks Retort writes (DO $$ ... $$)', () => {
  test('a view or function named with a dollar quote cannot end the block Retort wraps around its name', async () => {
    const p = await createProject('postgresql', { empty: true });
    const fresh = await createPgDatabase();
    try {
      // The view-grant and function-grant restores name the object inside a DO block: a fixed tag in the name
      // ended the block and ran the rest as SQL (in a psql script) or failed every upgrade.
      for (const tag of ['$$', '$r0$', '$retort$']) {
        const name = `v${tag};CREATE TABLE pwned();SELECT${tag}`;
        await p.query(`CREATE VIEW ${quoteIdent(name)} AS SELECT 1 AS a`);
        await p.query(`CREATE FUNCTION ${quoteIdent(`f${name}`)}() RETURNS int LANGUAGE sql AS 'SELECT 1'`);
      }
      const pulled = await p.retort('pull', '--baseline', '-m', 'baseline');
      assert.equal(pulled.code, 0, pulled.stderr);
      const up = await runCli(['--url', fresh.url, 'upgrade', 'head'], { cwd: p.dir });
      assert.equal(up.code, 0, up.stderr);
      const pwned = await pgQuery(fresh.url, `SELECT 1 FROM pg_tables WHERE tablename = 'pwned'`);
      assert.equal(pwned.length, 0, 'SQL inside a name ran');
      const views = await pgQuery<{ n: string }>(fresh.url, `SELECT count(*)::text AS n FROM pg_views WHERE schemaname = 'public'`);
      assert.equal(views[0]!.n, '3');
    } finally {
      await fresh.drop();
      await p.cleanup();
    }
  });
});

for (const dialect of DIALECTS) {
  test(`a comment inside a CHECK or an index's WHERE is dropped, never read as an operator (${dialect})`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      // `n < 100 -- 50` was spelled `n < 100 - -50` on SQLite (a CHECK allowing up to 149, and check found no
      // difference); written inside CHECK (...) a line comment took the closing parenthesis with it.
      writeModels(p, `import { table, integer, check, index, sql } from 'retort-migrate';
export const t = table('t', { id: integer().primaryKey(), n: integer() }, (t) => [
  check('n_small', sql\`n < 100 -- 50\`),
  check('n_positive', sql\`n /* it's */ > 0\`),
  index('t_big').on(t.n).where(sql\`n > 5 -- x\`),
]);
`);
      const r = await p.retort('revision', '--autogenerate', '-m', 'checks');
      assert.equal(r.code, 0, r.stderr);
      const file = readdirSync(path.join(p.dir, 'migrations')).find((f) => f.endsWith('_checks.ts'))!;
      const text = readFileSync(path.join(p.dir, 'migrations', file), 'utf8');
      // SQLite's revision holds its spelling of the expression; PostgreSQL's the models' text, the comment dropped
      // when the statement is written.
      assert.doesNotMatch(text, /- -50|\/ \*/);
      if (dialect === 'sqlite') assert.match(text, /check\('n_small', sql`n < 100`\)/);
      const up = await p.retort('upgrade', 'head');
      assert.equal(up.code, 0, up.stderr);
      const clean = await p.retort('check');
      assert.equal(clean.code, 0, clean.stdout + clean.stderr);
      await p.query('INSERT INTO t (id, n) VALUES (1, 99)');
      await assert.rejects(p.query('INSERT INTO t (id, n) VALUES (2, 120)'), /n_small|CHECK/i);
      await assert.rejects(p.query('INSERT INTO t (id, n) VALUES (3, 0)'), /n_positive|CHECK/i);
      const sql = await p.retort('upgrade', 'base:head', '--sql');
      assert.equal(sql.code, 0, sql.stderr);
      assert.doesNotMatch(sql.stdout, /-- 50|it's/);
    } finally {
      await p.cleanup();
    }
  });
}

for (const dialect of DIALECTS) {
  test(`control characters in a name are shown escaped, never sent to the terminal (${dialect})`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      writeModels(p, `import { table, integer } from 'retort-migrate';\nexport const t = table('t', { id: integer().primaryKey() });\n`);
      // Clears the screen, sets the window title, moves to the start of the line: a name can fake or hide lines.
      await p.query(`CREATE TABLE ${quoteIdent('e\x1b[2J\x1b]0;title\x07x\rfake')} (id integer)`);
      const r = await p.retort('check');
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stdout, /- table e\\x1b\[2J\\x1b\]0;title\\x07x\\rfake/);
      assert.doesNotMatch(r.stdout + r.stderr, /[\x07\r]|\x1b\[2J|\x1b\]/);
      // JSON keeps the name exactly (escaped by JSON itself).
      const json = await p.retort('check', '--json');
      assert.ok(JSON.stringify(JSON.parse(json.stdout)).includes('e\\u001b[2J\\u001b]0;title\\u0007x\\rfake'), json.stdout);
    } finally {
      await p.cleanup();
    }
  });
}
