/**
 * The programmatic API in-process, on both dialects: the commands take a config path or object, return typed
 * reports, tell progress through events, fail with RetortError and its code, and stop on an aborted signal.
 * (test/package-api.test.ts does the same from a packed, installed package, as a user would.)
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { commands, checkDatabase, current, downgrade, heads, history, isRetortError, lint, RetortError, upgrade, type StepEvent } from '../src/index.js';
import { createProject, DIALECTS, type TestProject } from './helpers/project.js';

const USERS = '3f1c2a9d0b01';
const PROFILES = '8a4e0c7b52d2';
const SLUG = 'e7b3a0d5c904';

for (const dialect of DIALECTS) {
  describe(`the API on ${dialect}`, () => {
    let p: TestProject;
    before(async () => {
      p = await createProject(dialect);
    });
    after(async () => {
      await p.cleanup();
    });

    test('upgrade with a config path: the report, and events for each step with its index and the total', async () => {
      const started: StepEvent[] = [];
      const done: string[] = [];
      const planned: number[] = [];
      const report = await upgrade({ config: 'retort.config.ts', cwd: p.dir, url: p.url, target: PROFILES }, {
        planned: (n) => planned.push(n),
        stepStart: (s) => started.push(s),
        stepDone: (s, ms) => {
          assert.ok(ms >= 0);
          done.push(s.revision);
        },
      });
      assert.deepEqual(planned, [2]);
      assert.deepEqual(started.map((s) => [s.index, s.total, s.revision, s.direction]), [[1, 2, USERS, 'up'], [2, 2, PROFILES, 'up']]);
      assert.equal(started[0]!.description, `upgrade <base> -> ${USERS}, create users`);
      assert.deepEqual(done, [USERS, PROFILES]);
      assert.deepEqual([report.from, report.to, report.steps.map((s) => s.revision)], [[], [PROFILES], [USERS, PROFILES]]);
      assert.ok(report.steps.every((s) => typeof s.durationMs === 'number'));
      assert.deepEqual((await current({ cwd: p.dir, url: p.url })).heads, [PROFILES]);
    });

    test('a config object instead of a file; relative paths resolve against cwd', async () => {
      const config = { url: p.url, migrations: 'migrations', models: ['models/*.ts'] };
      const report = await upgrade({ config, cwd: p.dir });
      assert.deepEqual(report.to, [SLUG]);
      const cur = await current({ config, cwd: p.dir, records: true });
      assert.deepEqual(cur.heads, [SLUG]);
      assert.equal(cur.revisions[0]!.applied?.revision, SLUG);
      assert.deepEqual((await heads({ config, cwd: p.dir })).heads.map((h) => h.revision), [SLUG]);
      assert.equal((await history({ config, cwd: p.dir })).revisions.length, 4);
    });

    test('errors are RetortError with a stable code and a hint; nothing changes', async () => {
      await assert.rejects(downgrade({ cwd: p.dir, url: p.url, target: 'nosuchrev' }), (e: unknown) => {
        assert.ok(e instanceof RetortError);
        assert.ok(isRetortError(e));
        assert.equal(e.code, 'TARGET');
        assert.equal(typeof e.hint, 'string');
        return true;
      });
      await assert.rejects(upgrade({ cwd: p.dir, url: p.url, lockTimeout: -1 }), (e: unknown) => isRetortError(e) && e.code === 'USAGE');
      await assert.rejects(upgrade({ cwd: path.join(p.dir, 'missing'), config: 'nope.ts' }), (e: unknown) => isRetortError(e) && e.code === 'CONFIG');
      assert.deepEqual((await current({ cwd: p.dir, url: p.url })).heads, [SLUG]);
    });

    test('an aborted signal stops the run before it changes anything (INTERRUPTED)', async () => {
      const controller = new AbortController();
      controller.abort();
      await assert.rejects(downgrade({ cwd: p.dir, url: p.url, target: 'base', signal: controller.signal }), (e: unknown) => isRetortError(e) && e.code === 'INTERRUPTED');
      assert.deepEqual((await current({ cwd: p.dir, url: p.url })).heads, [SLUG]);
    });

    test('check is checkDatabase, and commands.check under its CLI name', async () => {
      assert.equal(commands.check, checkDatabase);
      await assert.rejects(checkDatabase({ cwd: p.dir, url: p.url }), (e: unknown) => isRetortError(e) && e.code === 'MODEL');
      const down = await commands.downgrade({ cwd: p.dir, url: p.url, target: 'base' });
      assert.deepEqual(down.to, []);
      assert.equal(down.steps.length, 4);
    });

    test('lint takes a config object, as every command does (it took a path only, and threw a TypeError)', async () => {
      const report = await lint({ cwd: p.dir, url: p.url, config: { migrations: 'migrations', models: ['models/*.ts'] }, range: ':heads' });
      assert.equal(report.revisions.length, 4);
      assert.equal(report.errors, report.findings.filter((f) => f.severity === 'error').length);
    });
  });
}
