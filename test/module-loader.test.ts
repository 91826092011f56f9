/**
 * Users' files load by one of two paths: the direct one (compiled once with
 * esbuild, or sucrase without it, cached by content, `retort-migrate` bound to the running Retort) for
 * files that import nothing else, and the full loader (jiti) for the rest.
 * Both must give the same results, and the cache must never serve stale code.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createProject, revisionSource } from './helpers/project.js';
import { loadModule, loadModules } from '../src/runtime/module-loader.js';
import { NATIVE_FROM_CHARS } from '../src/runtime/transform.js';
import { tempDir } from './helpers/db.js';
import { repoRoot } from './helpers/cli.js';

/** A folder laid out as a user's project: retort-migrate installed in its node_modules. */
function projectDir(): { dir: string; cleanup: () => void } {
  const t = tempDir();
  mkdirSync(path.join(t.dir, 'node_modules'));
  symlinkSync(repoRoot, path.join(t.dir, 'node_modules', 'retort-migrate'), 'dir');
  return t;
}

/** Comment lines enough to make a file big enough for esbuild (NATIVE_FROM_CHARS), appended so no line moves. */
const BIG = `\n${'// padding\n'.repeat(Math.ceil(NATIVE_FROM_CHARS / 11))}`;

function compiledCount(dir: string): number {
  const cache = path.join(dir, 'node_modules', '.cache', 'retort', 'compiled');
  return existsSync(cache) ? readdirSync(cache).filter((f) => f.endsWith('.cjs')).length : 0;
}

describe('module loader', () => {
  test('a file that imports only retort-migrate takes the direct path and is compiled once per content', async () => {
    const { dir, cleanup } = projectDir();
    try {
      const file = path.join(dir, 'rev.ts');
      const cache = path.join(dir, 'node_modules', '.cache', 'retort', 'compiled');
      mkdirSync(cache, { recursive: true });
      writeFileSync(path.join(cache, `${'a'.repeat(40)}-0.0.1.cjs`), 'an entry in an older naming');
      writeFileSync(file, `import { integer, type Op } from 'retort-migrate';\nexport const n: number = 1;\nexport function upgrade(op: Op): void { op.addColumn('t', 'c', integer()); }\n`);
      const first = await loadModule(file, 'revision file');
      assert.equal(first.n, 1);
      assert.equal(typeof first.upgrade, 'function');
      assert.equal(compiledCount(dir), 1);
      // Same content: same compiled file, same module object.
      assert.equal(await loadModule(file, 'revision file'), first);
      assert.equal(compiledCount(dir), 1);
      assert.ok(!readdirSync(cache).some((f) => f.endsWith('-0.0.1.cjs')), 'the older naming is gone');
      // New content: compiled again, never the stale code; the entry for the old content goes, so the cache does
      // not grow with every edit.
      const before = readdirSync(cache);
      // Another Retort version's entry for the same file (a global and a local install sharing the folder) stays.
      const otherVersion = `${before[0]!.slice(0, 12)}-${'b'.repeat(40)}-9.9.9.cjs`;
      writeFileSync(path.join(cache, otherVersion), 'compiled by another version');
      writeFileSync(file, `import { integer, type Op } from 'retort-migrate';\nexport const n: number = 2;\nexport function upgrade(op: Op): void { op.addColumn('t', 'c', integer()); }\n`);
      assert.equal((await loadModule(file, 'revision file')).n, 2);
      assert.equal(compiledCount(dir), 2, 'this version\'s new entry and the other version\'s');
      const after = readdirSync(cache);
      assert.ok(before.every((f) => !after.includes(f)), `${before.join(', ')} are gone: ${after.join(', ')}`);
      assert.ok(after.includes(otherVersion), 'another version\'s entry is kept');
    } finally {
      cleanup();
    }
  });

  test('the direct path binds retort-migrate to the running Retort', async () => {
    const { dir, cleanup } = projectDir();
    try {
      const file = path.join(dir, 'm.ts');
      writeFileSync(file, `import * as api from 'retort-migrate';\nimport { sql } from 'retort-migrate';\nexport const same = api.sql === sql;\nexport const api2 = api;\n`);
      const mod = await loadModule(file, 'model file');
      const ours = await import('../src/index.js');
      assert.equal(mod.same, true);
      assert.equal((mod.api2 as { sql: unknown }).sql, ours.sql);
    } finally {
      cleanup();
    }
  });

  test('model files that import one another load directly, each once, so a shared enum is one object', async () => {
    const { dir, cleanup } = projectDir();
    try {
      mkdirSync(path.join(dir, 'models', 'shared'), { recursive: true });
      writeFileSync(path.join(dir, 'models', 'shared', 'index.ts'), `import { enumType } from 'retort-migrate';\nexport const status = enumType('status', ['a', 'b']);\n`);
      writeFileSync(path.join(dir, 'models', 'enums.ts'), `export { status } from './shared';\n`);
      writeFileSync(path.join(dir, 'models', 'users.ts'), `import { table, serial, enumColumn } from 'retort-migrate';\nimport { status } from './enums.js';\nexport { status };\nexport const users = table('users', { id: serial().primaryKey(), s: enumColumn(status) });\n`);
      const [enums, users] = await loadModules([path.join(dir, 'models', 'enums.ts'), path.join(dir, 'models', 'users.ts')], 'model file');
      assert.ok(enums!.status, 'enum loaded');
      assert.equal(enums!.status, users!.status, 'users.ts sees the very enum object enums.ts exported');
      assert.equal(compiledCount(dir), 3, 'all three files took the direct path');
    } finally {
      cleanup();
    }
  });

  test('a set in which one file imports another package goes through the full loader as a whole, still one object per module', async () => {
    const { dir, cleanup } = projectDir();
    try {
      mkdirSync(path.join(dir, 'node_modules', 'house-rules'));
      writeFileSync(path.join(dir, 'node_modules', 'house-rules', 'package.json'), JSON.stringify({ name: 'house-rules', main: 'index.js' }));
      writeFileSync(path.join(dir, 'node_modules', 'house-rules', 'index.js'), `exports.prefix = 'app_';\n`);
      writeFileSync(path.join(dir, 'enums.ts'), `import { enumType } from 'retort-migrate';\nimport { prefix } from 'house-rules';\nexport const status = enumType(prefix + 'status', ['a', 'b']);\n`);
      writeFileSync(path.join(dir, 'users.ts'), `import { table, serial, enumColumn } from 'retort-migrate';\nimport { status } from './enums';\nexport { status };\nexport const users = table('users', { id: serial().primaryKey(), s: enumColumn(status) });\n`);
      const [enums, users] = await loadModules([path.join(dir, 'enums.ts'), path.join(dir, 'users.ts')], 'model file');
      assert.equal(enums!.status, users!.status);
      assert.equal((enums!.status as { enumName: string }).enumName, 'app_status', 'the package was loaded');
    } finally {
      cleanup();
    }
  });

  test('dynamic import() and import.meta send a file to the full loader, which runs it', async () => {
    const { dir, cleanup } = projectDir();
    try {
      writeFileSync(path.join(dir, 'helper.mjs'), `export const answer = 42;\n`);
      const file = path.join(dir, 'dyn.ts');
      writeFileSync(file, `export const where: string = import.meta.url;\nexport async function get(): Promise<number> { return (await import('./helper.mjs')).answer; }\n`);
      const mod = await loadModule(file, 'revision file');
      assert.match(String(mod.where), /dyn\.ts$/);
      assert.equal(await (mod.get as () => Promise<number>)(), 42);
    } finally {
      cleanup();
    }
  });

  test('a syntax error is reported with the file and its line, whichever path', async () => {
    const { dir, cleanup } = projectDir();
    try {
      for (const [name, tail] of [['bad.ts', ''], ['bad-big.ts', BIG]]) {
        const file = path.join(dir, name!);
        writeFileSync(file, `import { integer } from 'retort-migrate';\nexport function upgrade(op) {\n  op.addColumn('t', 'c', integer(;\n}\n${tail}`);
        await assert.rejects(loadModule(file, 'revision file'), (e: Error) => {
          assert.match(e.message, new RegExp(`^revision file .*${name!.replace('.', '\\.')} cannot be loaded: syntax error at line 3, column \\d+: `));
          return true;
        });
      }
    } finally {
      cleanup();
    }
  });

  test('an error thrown while a file runs names the file; without node_modules nothing is cached and files still load', async () => {
    const { dir, cleanup } = tempDir();
    try {
      const file = path.join(dir, 'throws.ts');
      writeFileSync(file, `export const x: number = 1;\nthrow new Error('boom at load');\n`);
      await assert.rejects(loadModule(file, 'revision file'), /revision file .*throws\.ts cannot be loaded: boom at load/);
      const ok = path.join(dir, 'ok.ts');
      writeFileSync(ok, `export const y: number = 3;\n`);
      assert.equal((await loadModule(ok, 'revision file')).y, 3);
      assert.equal(existsSync(path.join(dir, 'node_modules')), false);
    } finally {
      cleanup();
    }
  });

  test('an error names the line the user wrote, compiled now or read from the cache (esbuild, for big files, does not keep lines)', async () => {
    const { dir, cleanup } = projectDir();
    try {
      const file = path.join(dir, 'lines.ts');
      // Type-only lines, comments and blank lines vanish from esbuild's output and the import becomes its prelude,
      // so the compiled line of the throw is not line 12.
      writeFileSync(file, [
        `import { integer, type Op } from 'retort-migrate';`,
        `type Shape = { a: number };`,
        `/**`,
        ` * comments go`,
        ` */`,
        ``,
        `interface Gone { b: string }`,
        `export const col = integer();`,
        ``,
        `function check(s: Shape): void {`,
        `  if (s.a > 0)`,
        `    throw new Error('no');`,
        `}`,
        `check({ a: 1 });`,
        ``,
      ].join('\n') + BIG);
      for (const run of ['compiled now', 'from the cache']) {
        await assert.rejects(loadModule(file, 'model file'), (e: Error) => {
          assert.match(e.message, /lines\.ts cannot be loaded: no \(line 12\)$/, run);
          return true;
        });
      }
      assert.equal(compiledCount(dir), 1);
      const cache = path.join(dir, 'node_modules', '.cache', 'retort', 'compiled');
      const maps = readdirSync(cache).filter((f) => f.endsWith('.map'));
      assert.equal(maps.length, 1, 'esbuild compiled it: the map the error asked for is kept');
      // A damaged map costs the line's accuracy, never the error being reported.
      writeFileSync(path.join(cache, maps[0]!), '!!not a map');
      await assert.rejects(loadModule(file, 'model file'), /lines\.ts cannot be loaded: no \(line \d+\)$/);
      // A compiled form the map would not describe (written by another esbuild, say) gets no map: the compiled line.
      rmSync(path.join(cache, maps[0]!));
      const form = readdirSync(cache).find((f) => f.endsWith('.cjs'))!;
      const sealedText = readFileSync(path.join(cache, form), 'utf8');
      const text = sealedText.replace(/\n\/\*retort:\d+\*\/$/, '');
      assert.notEqual(text, sealedText, 'a cache entry ends with its length');
      const firstLineEnd = text.indexOf('\n');
      const other = `${text.slice(0, firstLineEnd)}\n// another compiler's line${text.slice(firstLineEnd)}`;
      writeFileSync(path.join(cache, form), `${other}\n/*retort:${other.length}*/`);
      const compiledLine = text.slice(0, text.indexOf("throw new Error(\"no\")")).split('\n').length + 1;
      assert.notEqual(compiledLine, 12);
      await assert.rejects(loadModule(file, 'model file'), (e: Error) => {
        assert.match(e.message, new RegExp(`lines\\.ts cannot be loaded: no \\(line ${compiledLine}\\)$`));
        return true;
      });
      assert.equal(readdirSync(cache).filter((f) => f.endsWith('.map')).length, 0, 'no map for another compiler\'s code');
      // A small file (a revision) is compiled by sucrase, which keeps lines: no map.
      const small = path.join(dir, 'small.ts');
      writeFileSync(small, `export const s: number = 1;\n`);
      assert.equal((await loadModule(small, 'revision file')).s, 1);
      assert.equal(compiledCount(dir), 2);
      assert.equal(readdirSync(cache).filter((f) => f.endsWith('.map')).length, 0, 'no map for the small file');
    } finally {
      cleanup();
    }
  });

  test('both compilers give class fields the same (define) semantics: a base class setter is not called', async () => {
    const { dir, cleanup } = projectDir();
    try {
      const source = `const seen: string[] = [];\nclass A { set mode(v: string) { seen.push(v); } }\nclass B extends A { mode = 'field'; }\nnew B();\nexport const semantics = seen.length === 0 ? 'define' : 'assign';\n`;
      writeFileSync(path.join(dir, 'by-sucrase.ts'), source);
      writeFileSync(path.join(dir, 'by-esbuild.ts'), source);
      assert.equal((await loadModule(path.join(dir, 'by-sucrase.ts'), 'revision file')).semantics, 'define', 'sucrase (a small file by size)');
      assert.equal((await loadModules([path.join(dir, 'by-esbuild.ts')], 'model file', true, 'native'))[0]!.semantics, 'define', 'esbuild');
    } finally {
      cleanup();
    }
  });

  test('a cache entry emptied or cut short is a miss: the file is compiled again, never run as what is left', async () => {
    const { dir, cleanup } = projectDir();
    try {
      const file = path.join(dir, 'model.ts');
      writeFileSync(file, `export const tables: string[] = ['users', 'posts'];\n`);
      assert.deepEqual((await loadModule(file, 'model file')).tables, ['users', 'posts']);
      const cache = path.join(dir, 'node_modules', '.cache', 'retort', 'compiled');
      const entry = path.join(cache, readdirSync(cache).find((f) => f.endsWith('.cjs'))!);
      const whole = readFileSync(entry, 'utf8');
      for (const damaged of ['', '// nothing', whole.slice(0, whole.length - 3), whole.slice(0, whole.lastIndexOf('\n'))]) {
        writeFileSync(entry, damaged);
        // Each load in a fresh process: this one keeps what it ran.
        const loader = path.join(repoRoot, 'dist', 'src', 'runtime', 'module-loader.js');
        const out = execFileSync(process.execPath, ['-e', `import(${JSON.stringify(loader)}).then((m) => m.loadModule(${JSON.stringify(file)}, 'model file')).then((x) => console.log(JSON.stringify(x.tables)))`], { encoding: 'utf8' });
        assert.equal(out.trim(), '["users","posts"]', `entry ${JSON.stringify(damaged.slice(0, 20))}`);
        assert.equal(readFileSync(entry, 'utf8'), whole, 'compiled again and kept whole');
      }
    } finally {
      cleanup();
    }
  });

  test('files compiled once per process (the model files) take esbuild at any size, and name their lines', async () => {
    const { dir, cleanup } = projectDir();
    try {
      const cache = path.join(dir, 'node_modules', '.cache', 'retort', 'compiled');
      const maps = () => (existsSync(cache) ? readdirSync(cache).filter((f) => f.endsWith('.map')).length : 0);
      writeFileSync(path.join(dir, 'shared.ts'), `export const base: number = 40;\n`);
      writeFileSync(path.join(dir, 'small.ts'), `import { base } from './shared.js';\n\ntype N = number;\nexport const answer: N = base + 2;\n`);
      const [small] = await loadModules([path.join(dir, 'small.ts')], 'model file', true, 'native');
      assert.equal(small!.answer, 42);
      assert.ok(2 < NATIVE_FROM_CHARS, 'far below the size esbuild is chosen by');
      assert.ok(readdirSync(cache).filter((f) => f.endsWith('.cjs')).length === 2, 'esbuild compiled the file and its import');
      assert.equal(maps(), 0, 'no map is made until a line is asked for');
      // Its lines still read as the source's.
      writeFileSync(path.join(dir, 'bad.ts'), `type N = number;\n\nexport const n: N = 1;\nthrow new Error('bad model');\n`);
      await assert.rejects(loadModules([path.join(dir, 'bad.ts')], 'model file', true, 'native'), /bad\.ts cannot be loaded: bad model \(line 4\)$/);
      assert.equal(maps(), 1, 'the error asked for a line of bad.ts: its map was made and kept');
      // By size (the default, as revisions load), such a file is sucrase's: no map.
      writeFileSync(path.join(dir, 'other.ts'), `export const other: number = 1;\n`);
      assert.equal((await loadModules([path.join(dir, 'other.ts')], 'revision file'))[0]!.other, 1);
      assert.equal(maps(), 1);
    } finally {
      cleanup();
    }
  });

  test('without esbuild (its binary missing or broken) files compile with sucrase, line for line', () => {
    const { dir, cleanup } = projectDir();
    try {
      const fake = path.join(dir, 'esbuild-broken');
      writeFileSync(fake, '#!/bin/sh\nexit 1\n', { mode: 0o755 });
      const file = path.join(dir, 'm.ts');
      writeFileSync(file, `import { integer } from 'retort-migrate';\n\n// a comment\nexport const c = integer();\nexport const n: number = 7;\nif (n > 1) throw new Error('seven');\n${BIG}`);
      const loader = path.join(repoRoot, 'dist', 'src', 'runtime', 'module-loader.js');
      const script = `import(${JSON.stringify(loader)}).then((m) => m.loadModule(${JSON.stringify(file)}, 'model file')).catch((e) => console.log(e.message));`;
      const out = execFileSync(process.execPath, ['-e', script], { env: { ...process.env, ESBUILD_BINARY_PATH: fake }, encoding: 'utf8' });
      assert.match(out, /m\.ts cannot be loaded: seven \(line 6\)/);
      const cache = path.join(dir, 'node_modules', '.cache', 'retort', 'compiled');
      const names = readdirSync(cache);
      assert.ok(!names.some((f) => f.endsWith('.map')), `sucrase keeps lines, no map: ${names.join(', ')}`);
      const code = readFileSync(path.join(cache, names.find((f) => f.endsWith('.cjs'))!), 'utf8');
      assert.match(code, /_retortmigrate\.integer/, 'sucrase\'s output');
    } finally {
      cleanup();
    }
  });

  test('a file runs in strict mode, as an ES module does, whichever compiler', async () => {
    const { dir, cleanup } = projectDir();
    try {
      for (const [name, tail] of [['sloppy-big.ts', BIG], ['sloppy.ts', '']] as const) {
        const file = path.join(dir, name);
        writeFileSync(file, `export const a: number = 1;\n// @ts-ignore\nundeclaredName = 2;\n${tail}`);
        await assert.rejects(loadModule(file, 'model file'), new RegExp(`${name.replace('.', '\\.')} cannot be loaded: undeclaredName is not defined \\(line 3\\)`));
      }
    } finally {
      cleanup();
    }
  });

  test('files that import each other in a cycle see each other\'s exports once they are set', async () => {
    const { dir, cleanup } = projectDir();
    try {
      writeFileSync(path.join(dir, 'a.ts'), `import { fromB } from './b.js';\nexport const name: string = 'a';\nexport const viaB = fromB();\n`);
      writeFileSync(path.join(dir, 'b.ts'), `import { name } from './a.js';\nexport function fromB(): string { return name; }\n${BIG}`);
      const [a] = await loadModules([path.join(dir, 'a.ts')], 'model file');
      assert.equal(a!.viaB, 'a');
    } finally {
      cleanup();
    }
  });

  test('an unwritable cache folder does not stop a file from loading', async () => {
    const { dir, cleanup } = tempDir();
    try {
      mkdirSync(path.join(dir, 'node_modules', '.cache', 'retort'), { recursive: true });
      // A file where the cache folder should be: every write fails.
      writeFileSync(path.join(dir, 'node_modules', '.cache', 'retort', 'compiled'), 'not a folder');
      const file = path.join(dir, 'r.ts');
      writeFileSync(file, `export const z: number = 5;\n`);
      assert.equal((await loadModule(file, 'revision file')).z, 5);
    } finally {
      cleanup();
    }
  });
});

describe('revisions through the CLI use the compile cache', () => {
  test('upgrade compiles each revision once; an edited revision is compiled again and its new code runs', async () => {
    const p = await createProject('sqlite', { empty: true });
    try {
      p.writeRevision('e00000000001_a.ts', revisionSource('e00000000001', null, 'a', "  op.createTable('a', { id: serial().primaryKey() });", "  op.dropTable('a');"));
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      assert.equal(compiledCount(p.dir), 1);
      assert.equal((await p.retort('downgrade', 'base')).code, 0);
      assert.equal(compiledCount(p.dir), 1, 'the same file is not compiled twice');
      p.writeRevision('e00000000001_a.ts', revisionSource('e00000000001', null, 'a', "  op.createTable('b', { id: serial().primaryKey() });", "  op.dropTable('b');"));
      const up = await p.retort('upgrade', 'head', '--allow-changed');
      assert.equal(up.code, 0, up.stderr);
      assert.equal(compiledCount(p.dir), 1, 'the edited revision replaced its old compiled form');
      assert.deepEqual(await p.query("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('a', 'b')"), [{ name: 'b' }]);
      rmSync(path.join(p.dir, 'node_modules', '.cache'), { recursive: true });
      assert.equal((await p.retort('downgrade', 'base')).code, 0, 'runs with the cache removed');
    } finally {
      await p.cleanup();
    }
  });

  test('the runner keeps V8\'s code for a revision as the run left it (its functions compiled), a plain load as the body left it', async () => {
    const p = await createProject('sqlite', { empty: true });
    try {
      p.writeRevision('e00000000002_a.ts', revisionSource('e00000000002', null, 'a', "  op.createTable('a', { id: serial().primaryKey() });", "  op.dropTable('a');"));
      const cache = path.join(p.dir, 'node_modules', '.cache', 'retort', 'compiled');
      assert.equal((await p.retort('upgrade', 'head')).code, 0);
      const v8 = () => readdirSync(cache).filter((f) => f.endsWith('.bin'));
      // Written when the process exited, after upgrade() ran: the runner's own name, read first by every caller.
      assert.equal(v8().length, 1, v8().join(', '));
      assert.match(v8()[0]!, /-ran\.bin$/);
      // A load that calls nothing (here in this process) writes the body's code at once, under the plain name.
      rmSync(path.join(cache, v8()[0]!));
      await loadModule(path.join(p.dir, 'migrations', 'e00000000002_a.ts'), 'revision file');
      assert.equal(v8().length, 1, v8().join(', '));
      assert.doesNotMatch(v8()[0]!, /-ran\.bin$/);
    } finally {
      await p.cleanup();
    }
  });
});
