/**
 * Users' projects come in several kinds: ESM or CommonJS, config in .ts, .mjs
 * or .json, revisions in TypeScript or plain CommonJS JavaScript. All work
 * with no set-up. Also: colour, --debug and --depends-on.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createProject, DIALECTS, revisionSource } from './helpers/project.js';
import { runCli } from './helpers/cli.js';

for (const dialect of DIALECTS) {
  describe(`project kinds on ${dialect}`, () => {
    test('a CommonJS project with a .json config, a TypeScript revision and a CommonJS .js revision', async () => {
      const p = await createProject(dialect, { empty: true });
      try {
        writeFileSync(path.join(p.dir, 'package.json'), JSON.stringify({ name: 'cjs-app', type: 'commonjs' }));
        rmSync(path.join(p.dir, 'retort.config.ts'));
        writeFileSync(path.join(p.dir, 'retort.config.json'), JSON.stringify({ migrations: 'migrations', versionTable: 'alembic_version' }));
        p.writeRevision('c0000000001a_ts.ts', revisionSource('c0000000001a', null, 'typescript', "  op.createTable('a', { id: serial().primaryKey() });", "  op.dropTable('a');"));
        p.writeRevision(
          'c0000000002b_cjs.js',
          `const { integer } = require('retort-migrate');
exports.revision = 'c0000000002b';
exports.downRevision = 'c0000000001a';
exports.message = 'commonjs';
exports.upgrade = function (op) { op.addColumn('a', 'n', integer()); };
exports.downgrade = function (op) { op.dropColumn('a', 'n'); };
`,
        );
        const up = await p.retort('upgrade', 'head');
        assert.equal(up.code, 0, up.stderr);
        assert.deepEqual(await p.query('SELECT version_num FROM alembic_version'), [{ version_num: 'c0000000002b' }]);
        const down = await p.retort('downgrade', 'base');
        assert.equal(down.code, 0, down.stderr);
      } finally {
        await p.cleanup();
      }
    });
  });
}

describe('config and output details', () => {
  test('an .mjs config in an ESM project, --depends-on, colour only when asked, --debug stacks', async () => {
    const p = await createProject('sqlite', { empty: true });
    try {
      writeFileSync(path.join(p.dir, 'package.json'), JSON.stringify({ name: 'esm-app', type: 'module' }));
      rmSync(path.join(p.dir, 'retort.config.ts'));
      writeFileSync(path.join(p.dir, 'retort.config.mjs'), `export default { migrations: 'migrations', url: 'sqlite:///from-config.db' };\n`);
      const plain = (...args: string[]) => runCli(args, { cwd: p.dir });
      assert.equal((await plain('revision', '-m', 'one', '--rev-id', 'd00000000001')).code, 0);
      assert.equal((await plain('revision', '-m', 'two', '--rev-id', 'd00000000002', '--head', 'd00000000001', '--splice', '--branch-label', 'other')).code, 0);
      const dep = await plain('revision', '-m', 'three', '--rev-id', 'd00000000003', '--head', 'd00000000001', '--depends-on', 'other');
      assert.equal(dep.code, 1, 'd00000000001 is no longer a head, so a new revision on it needs --splice');
      const dep2 = await plain('revision', '-m', 'three', '--rev-id', 'd00000000003', '--head', 'd00000000001', '--splice', '--depends-on', 'other');
      assert.equal(dep2.code, 0, dep2.stderr);
      const up = await plain('upgrade', 'd00000000003');
      assert.equal(up.code, 0, up.stderr);
      assert.match(up.stderr, /d00000000002/, 'the dependency ran first');
      const show = await plain('show', 'd00000000003');
      assert.match(show.stdout, /Also depends on: d00000000002/);

      const colour = await runCli(['heads'], { cwd: p.dir, env: { NO_COLOR: undefined, FORCE_COLOR: '1' } });
      assert.match(colour.stdout, /\u001b\[/);
      const noColour = await runCli(['heads'], { cwd: p.dir, env: { NO_COLOR: '1', FORCE_COLOR: '1' } });
      assert.doesNotMatch(noColour.stdout, /\u001b\[/);

      const bad = await runCli(['--url', 'postgresql://u:pw@127.0.0.1:1/x', 'current'], { cwd: p.dir });
      assert.doesNotMatch(bad.stderr, /\n\s+at /);
      const debug = await runCli(['--debug', '--url', 'postgresql://u:pw@127.0.0.1:1/x', 'current'], { cwd: p.dir });
      assert.equal(debug.code, 1);
      assert.match(debug.stderr, /\n\s+at /, '--debug prints the stack');
    } finally {
      await p.cleanup();
    }
  });
});
