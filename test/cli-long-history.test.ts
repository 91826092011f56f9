/**
 * A long run of small revisions. On PostgreSQL the runner sends them in
 * growing groups (one transaction per revision still); on SQLite one by one.
 * Whichever way, the output, the version table, the history rows and a
 * failure deep inside a group must look exactly as if each revision had been
 * sent alone.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createProject, DIALECTS, revisionSource } from './helpers/project.js';

const COUNT = 60;
const id = (i: number) => `f${String(i).padStart(11, '0')}`;

function writeHistory(p: { writeRevision(name: string, source: string): void }, body: (i: number) => [string, string]): void {
  for (let i = 1; i <= COUNT; i++) {
    const [up, down] = body(i);
    p.writeRevision(`${id(i)}_r${i}.ts`, revisionSource(id(i), i === 1 ? null : id(i - 1), `step ${i}`, up, down));
  }
}

for (const dialect of DIALECTS) {
  describe(`a long history on ${dialect}`, () => {
    test('every revision reports one line, commits once and is recorded; downgrade base undoes all', async () => {
      const p = await createProject(dialect, { empty: true });
      try {
        writeHistory(p, (i) =>
          i === 1
            ? ["  op.createTable('t', { id: serial().primaryKey() });", "  op.dropTable('t');"]
            : [`  op.addColumn('t', 'c${i}', integer());`, `  op.dropColumn('t', 'c${i}');`],
        );
        const up = await p.retort('upgrade', 'head');
        assert.equal(up.code, 0, up.stderr);
        const lines = up.stderr.split('\n').filter((l) => l.startsWith('Running'));
        assert.equal(lines.length, COUNT);
        lines.forEach((l, k) => assert.match(l, new RegExp(`^Running upgrade .*-> ${id(k + 1)}, step ${k + 1} \\(.+\\)$`)));
        assert.deepEqual(await p.query('SELECT version_num FROM retort_version'), [{ version_num: id(COUNT) }]);
        const rows = await p.query<{ revision: string }>("SELECT revision FROM retort_history WHERE direction = 'up' ORDER BY applied_at, revision");
        assert.deepEqual(new Set(rows.map((r) => r.revision)), new Set(Array.from({ length: COUNT }, (_, k) => id(k + 1))));
        assert.equal(rows.length, COUNT);
        const down = await p.retort('downgrade', 'base');
        assert.equal(down.code, 0, down.stderr);
        assert.equal(down.stderr.split('\n').filter((l) => l.startsWith('Running downgrade')).length, COUNT);
        assert.deepEqual(await p.query('SELECT version_num FROM retort_version'), []);
      } finally {
        await p.cleanup();
      }
    });

    test('a revision failing deep in the run leaves the database at the one before it, named with its statement', async () => {
      const p = await createProject(dialect, { empty: true });
      const bad = 45;
      try {
        writeHistory(p, (i) =>
          i === 1
            ? ["  op.createTable('t', { id: serial().primaryKey() });", "  op.dropTable('t');"]
            : i === bad
              ? ["  op.addColumn('missing_table', 'x', integer());", "  op.dropColumn('missing_table', 'x');"]
              : [`  op.addColumn('t', 'c${i}', integer());`, `  op.dropColumn('t', 'c${i}');`],
        );
        const up = await p.retort('upgrade', 'head');
        assert.equal(up.code, 1);
        assert.match(up.stderr, new RegExp(`error: upgrade ${id(bad - 1)} -> ${id(bad)}, step ${bad} failed .*; rolled back, the database stays at ${id(bad - 1)}`));
        // PostgreSQL names the statement the server refused; SQLite's compiler refuses before sending anything.
        if (dialect === 'postgresql') assert.match(up.stderr, /statement: ALTER TABLE "missing_table" ADD COLUMN "x"/);
        else assert.match(up.stderr, /missing_table/);
        assert.doesNotMatch(up.stderr, /\n\s+at /, 'no stack trace');
        const lines = up.stderr.split('\n').filter((l) => l.startsWith('Running'));
        assert.equal(lines.length, bad, 'one line per revision that ran, the failed one last');
        assert.match(lines[bad - 1]!, new RegExp(`-> ${id(bad)}, step ${bad}`));
        assert.deepEqual(await p.query('SELECT version_num FROM retort_version'), [{ version_num: id(bad - 1) }]);
        const recorded = await p.query<{ n: number | string }>("SELECT COUNT(*) AS n FROM retort_history WHERE direction = 'up'");
        assert.equal(Number(recorded[0]!.n), bad - 1);
        const columns = dialect === 'postgresql'
          ? await p.query<{ n: number | string }>("SELECT COUNT(*) AS n FROM information_schema.columns WHERE table_name = 't'")
          : await p.query<{ n: number | string }>("SELECT COUNT(*) AS n FROM pragma_table_info('t')");
        assert.equal(Number(columns[0]!.n), bad - 1, 'id and the columns of revisions 2..bad-1');
      } finally {
        await p.cleanup();
      }
    });

    test('a revision that queries the database mid-run sees every revision before it', async () => {
      const p = await createProject(dialect, { empty: true });
      const asking = 37;
      try {
        writeHistory(p, (i) =>
          i === 1
            ? ["  op.createTable('t', { id: serial().primaryKey(), n: integer() });", "  op.dropTable('t');"]
            : i === asking
              ? [
                  `  if (!ctx.isOffline) {\n    const rows = await ctx.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM t');\n    await ctx.query('INSERT INTO t (n) VALUES (' + (Number(rows[0]!.n) + 100) + ')');\n  }`,
                  '',
                ]
              : [`  op.execute('INSERT INTO t (n) VALUES (${i})');`, `  op.execute('DELETE FROM t WHERE n = ${i}');`],
        );
        const up = await p.retort('upgrade', 'head');
        assert.equal(up.code, 0, up.stderr);
        const rows = await p.query<{ n: number | string }>('SELECT n FROM t WHERE n >= 100');
        // Revisions 2..36 inserted one row each before 37 counted them.
        assert.deepEqual(rows.map((r) => Number(r.n)), [100 + asking - 2]);
        assert.equal(up.stderr.split('\n').filter((l) => l.startsWith('Running')).length, COUNT);
      } finally {
        await p.cleanup();
      }
    });
  });
}
