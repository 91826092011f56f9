/**
 * The programmatic API as a user gets it: the packed package installed into an empty project, whose own
 * `node:test` file imports `retort-migrate` by name and autogenerates, upgrades, checks and reads the current
 * revision from code, on SQLite and on PostgreSQL; and a TypeScript file using the API type-checks against the
 * package's own .d.ts files.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './helpers/cli.js';
import { createPgDatabase, pgQuery } from './helpers/db.js';
import { packPackage, run, type PackedPackage } from './helpers/pack.js';

let packed: PackedPackage;

before(() => {
  packed = packPackage('retort-api-');
});

after(() => packed.cleanup());

/** The user's test file: what a global set-up would do, asserted. */
const USER_TEST = `import { test } from 'node:test';
import assert from 'node:assert/strict';
import { autogenerate, checkDatabase, commands, current, downgrade, isRetortError, lint, upgrade } from 'retort-migrate';

test('migrations from code', async () => {
  const config = './retort.config.ts';
  const written = await autogenerate({ config, message: 'create users' });
  assert.ok(written.file && written.file.endsWith('_create_users.ts'), 'a revision file is written');
  assert.ok(written.changes.some((c) => c.includes('users')));
  // lint, pull and verify load their modules when first called: the package's function is the command's.
  const linted = await lint({ config });
  assert.deepEqual(linted.revisions.map((r) => r.revision), [written.revision]);
  assert.equal(linted.errors, 0);
  assert.equal(commands.lint, lint);

  const steps = [];
  const up = await upgrade({ config, target: 'head' }, { stepStart: (s) => steps.push(\`\${s.index}/\${s.total} \${s.revision}\`) });
  assert.deepEqual(up.to, [written.revision]);
  assert.deepEqual(steps, [\`1/1 \${written.revision}\`]);

  const { heads } = await current({ config });
  assert.deepEqual(heads, [written.revision]);
  assert.equal((await checkDatabase({ config })).ok, true);

  await assert.rejects(upgrade({ config, target: 'nosuch' }), (e) => isRetortError(e) && e.code === 'TARGET');
  assert.deepEqual((await downgrade({ config, target: 'base' })).to, []);
  assert.deepEqual((await current({ config })).heads, []);
});
`;

/** A TypeScript file that uses the API's types; it must compile against the installed package. */
const TYPED = `import { upgrade, current, lint, RetortError, type MigrateReport, type CurrentReport, type CommandEvents, type LintReport } from 'retort-migrate';
const seen: string[] = [];
const events: CommandEvents = { stepDone: (step, ms) => void seen.push(\`\${step.revision} \${step.index}/\${step.total} \${ms.toFixed(0)}\`) };
export async function main(): Promise<string> {
  const up: MigrateReport = await upgrade({ config: './retort.config.ts', target: 'head', lockTimeout: 30 }, events);
  const now: CurrentReport = await current({ config: { url: 'sqlite:///app.db' } });
  const linted: LintReport = await lint({ config: './retort.config.ts', baselineWasm: true });
  if (linted.errors > 0) throw new Error('lint');
  const step = up.steps[0];
  const ms: number | null = step ? step.durationMs : null;
  if (!(new RetortError('LOCK', 'x') instanceof Error)) throw new Error('no');
  return \`\${now.heads.join(',')} \${ms}\`;
}
// @ts-expect-error a target is a string
void upgrade({ target: 1 });
`;

/** Sets up a project with the installed bin's `init` and runs the user's test file in it. */
function userProject(name: string, env: NodeJS.ProcessEnv): string {
  const app = packed.installInto(name);
  const init = run(path.join(app, 'node_modules', '.bin', 'retort'), ['init'], app, env);
  assert.equal(init.code, 0, init.stderr);
  mkdirSync(path.join(app, 'test'));
  writeFileSync(path.join(app, 'test', 'migrations.test.mjs'), USER_TEST);
  // NODE_TEST_CONTEXT is set by the runner of this test: a nested `node --test` would report to it instead of printing.
  const r = run(process.execPath, ['--test', 'test/migrations.test.mjs'], app, { ...env, NODE_TEST_CONTEXT: undefined });
  assert.equal(r.code, 0, `${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /# pass 1/);
  return app;
}

describe('the API from the installed package, in a test written as a user would', () => {
  test('on SQLite', () => {
    const app = userProject('sqlite-api', {});
    assert.equal(readdirSync(path.join(app, 'migrations')).filter((f) => f.endsWith('.ts')).length, 1);
  });

  test('on PostgreSQL (DATABASE_URL)', async () => {
    const pg = await createPgDatabase();
    try {
      userProject('pg-api', { DATABASE_URL: pg.url });
      assert.deepEqual(await pgQuery(pg.url, "SELECT tablename FROM pg_tables WHERE tablename = 'users'"), [], 'downgraded to base');
      assert.deepEqual(await pgQuery(pg.url, 'SELECT version_num FROM retort_version'), []);
    } finally {
      await pg.drop();
    }
  });

  test('a TypeScript caller type-checks against the shipped .d.ts', () => {
    const app = packed.installInto('typed-api');
    writeFileSync(path.join(app, 'main.ts'), TYPED);
    writeFileSync(path.join(app, 'tsconfig.json'), JSON.stringify({ compilerOptions: { target: 'es2022', module: 'nodenext', moduleResolution: 'nodenext', strict: true, noEmit: true, skipLibCheck: true, types: [] }, files: ['main.ts'] }));
    const tsc = run(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], app);
    assert.equal(tsc.code, 0, `${tsc.stdout}\n${tsc.stderr}`);
    // And a wrong use fails to compile (so the check above is not vacuous).
    writeFileSync(path.join(app, 'main.ts'), `import { current } from 'retort-migrate';\nconst heads: number = (await current({})).heads;\nexport { heads };\n`);
    const bad = run(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json'], app);
    assert.notEqual(bad.code, 0, 'a type error is reported');
    assert.match(bad.stdout + bad.stderr, /not assignable to type 'number'/);
  });
});
