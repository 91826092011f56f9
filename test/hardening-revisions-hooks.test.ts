/**
 * Post-write hooks run without a shell: a project folder (or anything else in the file's path) holding shell
 * text never runs it, and each hook receives the new file's path as one argument.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { runCli } from './helpers/cli.js';
import { tempDir } from './helpers/db.js';

/** A project in a folder whose name is shell text, with a plain-data config and an empty migrations folder. */
function hostileProject(config: Record<string, unknown> = {}): { dir: string; root: string; cleanup: () => void } {
  const { dir: root, cleanup } = tempDir();
  const dir = path.join(root, "app $(touch pwned) `touch pwned2` it's");
  mkdirSync(path.join(dir, 'migrations'), { recursive: true });
  writeFileSync(path.join(dir, 'retort.config.json'), JSON.stringify({ migrations: 'migrations', ...config }));
  return { dir, root, cleanup };
}

/** An executable that records its arguments, NUL-separated, in `record`. */
function recorder(file: string, record: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `#!/bin/sh\nprintf '%s\\0' "$@" > '${record.replace(/'/g, `'\\''`)}'\n`);
  chmodSync(file, 0o755);
}

function recorded(record: string): string[] {
  return readFileSync(record, 'utf8').split('\0').slice(0, -1);
}

function assertNothingRan(root: string, dir: string): void {
  for (const where of [root, dir, path.join(dir, 'migrations')]) {
    assert.deepEqual(readdirSync(where).filter((f) => f.startsWith('pwned')), [], `nothing named pwned in ${where}`);
  }
}

describe('post-write hooks', () => {
  test("the project's prettier gets the file as one argument, and shell text in the folder's name does not run", async () => {
    const p = hostileProject();
    try {
      const record = path.join(p.root, 'prettier-args');
      recorder(path.join(p.dir, 'node_modules', '.bin', 'prettier'), record);
      const r = await runCli(['revision', '-m', 'hooked', '--rev-id', 'a1'], { cwd: p.dir });
      assertNothingRan(p.root, p.dir);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      assert.deepEqual(recorded(record), ['--write', path.join(p.dir, 'migrations', 'a1_hooked.ts')]);
    } finally {
      p.cleanup();
    }
  });

  test('configured hooks: a command line is split into words without a shell, an argv array runs as it is', async () => {
    const p = hostileProject({
      postWriteHooks: [
        'bin/record-one "{file}"',
        ['bin/record-two', '--write', '{file}', 'literal $(touch pwned3)'],
        ['sh', '-c', 'printf "%s" "$1" > "$1.seen"', 'sh', '{file}'],
        'cp {file} {file}.copy',
      ],
    });
    try {
      recorder(path.join(p.dir, 'bin', 'record-one'), path.join(p.root, 'one'));
      recorder(path.join(p.dir, 'bin', 'record-two'), path.join(p.root, 'two'));
      const r = await runCli(['revision', '-m', 'hooked', '--rev-id', 'b2'], { cwd: p.dir });
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      const file = path.join(p.dir, 'migrations', 'b2_hooked.ts');
      assert.deepEqual(recorded(path.join(p.root, 'one')), [file]);
      assert.deepEqual(recorded(path.join(p.root, 'two')), ['--write', file, 'literal $(touch pwned3)']);
      assert.equal(readFileSync(`${file}.seen`, 'utf8'), file);
      assert.equal(readFileSync(`${file}.copy`, 'utf8'), readFileSync(file, 'utf8'));
      assertNothingRan(p.root, p.dir);
    } finally {
      p.cleanup();
    }
  });

  test('a hook written for a shell is refused before anything is written: one line naming the config, the hook and the fix', async () => {
    // Each case is the config's whole postWriteHooks value.
    const cases: [unknown, RegExp][] = [
      ['prettier --write {file} && touch pwned', /uses shell syntax \(&\), but hooks run without a shell$/],
      [['prettier --write "$(touch pwned)"'], /uses shell syntax \(\$\), but hooks run without a shell$/],
      [['prettier --write {file} > out'], /uses shell syntax \(>\), but hooks run without a shell$/],
      [['prettier --write "{file}'], /has an unclosed quote, but hooks run without a shell$/],
      [["sh -c 'prettier --write {file}'"], /puts \{file\} inside a script, where the path would be read as shell text$/],
      [[['sh', '-c', 'prettier --write "{file}"']], /puts \{file\} inside a script, where the path would be read as shell text$/],
      [[[]], /has no command$/],
      [[[['nested']]], /"postWriteHooks" must be a list of commands, each a string or an array of strings$/],
    ];
    for (const [postWriteHooks, message] of cases) {
      const p = hostileProject({ postWriteHooks });
      try {
        const r = await runCli(['revision', '-m', 'hooked', '--rev-id', 'c3'], { cwd: p.dir });
        assert.equal(r.code, 1, r.stderr);
        const [first, ...rest] = r.stderr.trimEnd().split('\n');
        assert.ok(first!.startsWith(`error: ${path.join(p.dir, 'retort.config.json')}: `), r.stderr);
        assert.match(first!, message);
        assert.ok(rest.every((l) => l.startsWith('hint: ')), r.stderr);
        assert.deepEqual(readdirSync(path.join(p.dir, 'migrations')), [], 'nothing written');
        assert.ok(!existsSync(path.join(p.dir, 'pwned')));
      } finally {
        p.cleanup();
      }
    }
  });

  test('a hook that cannot run or fails is a warning; the revision is written', async () => {
    const p = hostileProject({ postWriteHooks: ['no-such-formatter-xyz {file}', ['node', '-e', 'console.error("bad format"); process.exit(4)', '{file}']] });
    try {
      const r = await runCli(['revision', '-m', 'hooked', '--rev-id', 'd4'], { cwd: p.dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /^warning: post-write hook `no-such-formatter-xyz \{file\}` failed \(cannot run no-such-formatter-xyz \(ENOENT\)\)$/m);
      assert.match(r.stderr, /^warning: post-write hook `\["node","-e",.*\]` failed \(exit 4\): bad format$/m);
      assert.deepEqual(readdirSync(path.join(p.dir, 'migrations')), ['d4_hooked.ts']);
    } finally {
      p.cleanup();
    }
  });
});
