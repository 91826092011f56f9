/**
 * The listing memo: the quick path keeps the text of plain `history`, `heads` and `branches` beside the header cache
 * (src/revisions/header-cache.ts, `derived`) and prints it while the folder check vouches for the same generation of
 * the cache. Each test proves the kept text was (or was not) used, and compares every answer with the full CLI's.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, runCli } from './helpers/cli.js';
import { tempDir } from './helpers/db.js';
import { RevisionFolder } from '../src/revisions/revision-scan.js';
import { createProject, DIALECTS, revisionSource, type TestProject } from './helpers/project.js';

/** Waits until a time stamp taken now is settled (header-cache.ts: SETTLE_MS), without a timer that asserts time. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 2100));

const rev = (p: TestProject, id: string, down: string | string[] | null, message = `step ${id}`, extra = '') =>
  p.writeRevision(`${id}_r.ts`, revisionSource(id, down, message, '', '', extra));

/** A branch point (a2), a label, a merge (m1) and two heads. */
function writeHistory(p: TestProject): void {
  rev(p, 'a1', null);
  rev(p, 'a2', 'a1');
  rev(p, 'b1', 'a2', 'step b1', "export const branchLabels = ['feature'];");
  rev(p, 'c1', 'a2');
  rev(p, 'm1', ['b1', 'c1']);
  rev(p, 'z9', null);
}

const cacheDir = (p: TestProject) => path.join(p.dir, 'node_modules', '.cache', 'retort');
/** The header cache file (there is one migrations folder). */
function cacheFile(p: TestProject): string {
  const names = readdirSync(cacheDir(p)).filter((n) => /^headers-\w+\.json$/.test(n));
  assert.equal(names.length, 1, names.join(' '));
  return path.join(cacheDir(p), names[0]!);
}
const memoFile = (p: TestProject, command: string) => `${cacheFile(p)}.derived-${command}`;

/** Rewrites the kept text of `command` (its key line kept), so that a run that prints it is seen to. */
function replaceKeptText(p: TestProject, command: string, text: string): void {
  const file = memoFile(p, command);
  const kept = readFileSync(file, 'utf8');
  // The key line ends with the text's length (a text cut short is not used): planted with its own.
  const key = JSON.parse(kept.slice(0, kept.indexOf('\n'))) as unknown[];
  writeFileSync(file, `${JSON.stringify([key[0], key[1], text.length])}\n${text}`);
}

type Env = Record<string, string | undefined>;

/** Runs `argv` on the quick path and on the full CLI (RETORT_QUICK=0) and checks they agree; gives the quick one's output. */
async function both(p: TestProject, argv: string[], env: Env = {}, cwd = p.dir): Promise<string> {
  const quick = await runCli(argv, { cwd, env });
  const full = await runCli(argv, { cwd, env: { ...env, RETORT_QUICK: '0' } });
  assert.equal(full.code, 0, full.stderr);
  assert.deepEqual(quick, full, argv.join(' '));
  return quick.stdout;
}

test('a second history is printed from the kept text, without reading the cached headers', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    writeHistory(p);
    await settle();
    const first = await both(p, ['history']);
    assert.match(first, /^a2 -> c1, step c1$/m);
    assert.ok(existsSync(memoFile(p, 'history')), 'the first run kept the text');
    // The cached header rows say another message, the meta (and so the folder check) is intact: a run that built the
    // graph from the cache would print it, the kept text does not.
    const file = cacheFile(p);
    const cached = readFileSync(file, 'utf8');
    assert.ok(cached.includes('"step c1"'));
    writeFileSync(file, cached.replace('"step c1"', '"step CACHED"'));
    assert.equal((await runCli(['history'], { cwd: p.dir })).stdout, first);
    // And what is printed is the kept text itself.
    replaceKeptText(p, 'history', 'kept text');
    assert.equal((await runCli(['history'], { cwd: p.dir })).stdout, 'kept text\n');
  } finally {
    await p.cleanup();
  }
});

test('heads, branches and verbose listings are kept each under their own key', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    writeHistory(p);
    await settle();
    for (const argv of [['heads'], ['branches'], ['heads', '-v'], ['branches', '-v'], ['history', '-v']]) {
      const out = await both(p, argv);
      assert.notEqual(out, '');
      replaceKeptText(p, argv[0]!, `kept ${argv.join(' ')}`);
      assert.equal((await runCli(argv, { cwd: p.dir })).stdout, `kept ${argv.join(' ')}\n`, `${argv.join(' ')} is served from the kept text`);
    }
    // The slot of `history` holds `history -v` now: plain history is another key, so it is derived again.
    await both(p, ['history']);
    assert.equal((await runCli(['history', '-v'], { cwd: p.dir })).stdout, (await runCli(['history', '-v'], { cwd: p.dir, env: { RETORT_QUICK: '0' } })).stdout);
  } finally {
    await p.cleanup();
  }
});

test('a new file, a head edited in place, colour and the working folder of -v each give fresh text', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    writeHistory(p);
    await settle();
    await both(p, ['history']);
    replaceKeptText(p, 'history', 'stale');

    // A new revision file: the folder changed.
    rev(p, 'm2', 'm1');
    assert.match(await both(p, ['history']), /^m1 -> m2 \(head\) \(feature\), step m2$/m);
    await settle();
    await both(p, ['history']);
    replaceKeptText(p, 'history', 'stale');

    // A head's message edited in place (the folder untouched): the folder check stats the heads.
    const head = path.join(p.dir, 'migrations', 'm2_r.ts');
    writeFileSync(head, readFileSync(head, 'utf8').replace("'step m2'", "'step M2, edited'"));
    assert.match(await both(p, ['history']), /^m1 -> m2 \(head\) \(feature\), step M2, edited$/m);
    await settle();

    // Colour: the level is part of the key.
    const plainText = await both(p, ['history'], { NO_COLOR: '1' });
    const coloured = await both(p, ['history'], { NO_COLOR: undefined, FORCE_COLOR: '1' });
    assert.notEqual(coloured, plainText);
    assert.match(coloured, /\x1b\[/);
    assert.equal(await both(p, ['history'], { NO_COLOR: '1' }), plainText);

    // Verbose blocks print paths relative to the working folder.
    const sub = path.join(p.dir, 'sub');
    mkdirSync(sub);
    const here = await both(p, ['heads', '-v']);
    assert.match(here, /^Path: migrations\/m2_r\.ts$/m);
    const there = await both(p, ['heads', '-v'], {}, sub);
    assert.match(there, /^Path: \.\.\/migrations\/m2_r\.ts$/m);
    // Plain lines name no path: one kept text serves every working folder.
    await both(p, ['heads']);
    replaceKeptText(p, 'heads', 'kept heads');
    assert.equal((await runCli(['heads'], { cwd: sub })).stdout, 'kept heads\n');
  } finally {
    await p.cleanup();
  }
});

/**
 * A settled history whose kept text is served: the listing as the full CLI prints it (the kept text is then replaced
 * by 'kept', which the next quick `history` prints, showing that it is served).
 */
async function keptHistoryServed(p: Awaited<ReturnType<typeof createProject>>): Promise<string> {
  writeHistory(p);
  await settle();
  const text = await both(p, ['history']);
  replaceKeptText(p, 'history', 'kept');
  assert.equal((await runCli(['history'], { cwd: p.dir })).stdout, 'kept\n');
  return text;
}

test('text kept for another generation of the cache is not used', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    const text = await keptHistoryServed(p);
    // Another run saved the cache in between (same headers, its own generation): the kept text is not vouched for.
    const file = cacheFile(p);
    const cached = readFileSync(file, 'utf8');
    const meta = JSON.parse(cached.slice(0, cached.indexOf('\n'))) as { generation: string };
    writeFileSync(file, cached.replace(JSON.stringify(meta.generation), JSON.stringify(`${meta.generation}-other`)));
    assert.equal(await both(p, ['history']), text);
  } finally {
    await p.cleanup();
  }
});

test('kept text cut short or with a line lost is not printed: the listing is made again', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    writeHistory(p);
    await settle();
    const text = await both(p, ['history']);
    const file = memoFile(p, 'history');
    const kept = readFileSync(file, 'utf8');
    assert.equal(`${kept.slice(kept.indexOf('\n') + 1)}\n`, text, 'the listing is what was kept');
    const lines = kept.split('\n');
    assert.ok(lines.length > 3, 'a listing of several lines');
    for (const damaged of [lines.slice(0, 2).join('\n'), [...lines.slice(0, 2), ...lines.slice(3)].join('\n'), lines[0]!]) {
      writeFileSync(file, damaged);
      assert.equal(await both(p, ['history']), text);
    }
  } finally {
    await p.cleanup();
  }
});

test('text kept by another build of Retort is not used', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    const text = await keptHistoryServed(p);
    // The quick bundle written again (here only its times set, which moves its status-change time as any write
    // does): its stamp is part of the key.
    const bundle = path.join(repoRoot, 'dist', 'quick.cjs');
    const st = statSync(bundle);
    utimesSync(bundle, st.atime, st.mtime);
    assert.equal(await both(p, ['history']), text);
  } finally {
    await p.cleanup();
  }
});

test('an unsettled folder is neither trusted nor kept', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    writeHistory(p);
    // Listed within SETTLE_MS of the last change: the folder stamp is not recorded, so nothing may be kept.
    const text = await both(p, ['history']);
    assert.ok(!existsSync(memoFile(p, 'history')), 'nothing kept for an unsettled folder');
    await settle();
    assert.equal(await both(p, ['history']), text);
    assert.ok(existsSync(memoFile(p, 'history')));
    replaceKeptText(p, 'history', 'kept');
    // A file added: the folder is unsettled again, the kept text is not used and not replaced.
    rev(p, 'm2', 'm1');
    const fresh = await both(p, ['history']);
    assert.match(fresh, /step m2/);
    assert.match(readFileSync(memoFile(p, 'history'), 'utf8'), /\nkept$/);
  } finally {
    await p.cleanup();
  }
});

test('an empty listing is kept as such, and a listing that fails is never kept', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    rev(p, 'a1', null);
    rev(p, 'a2', 'a1');
    await settle();
    // A straight line has no branch point: `branches` prints nothing, and keeps that.
    assert.equal(await both(p, ['branches']), '');
    assert.equal(readFileSync(memoFile(p, 'branches'), 'utf8').split('\n')[1], '');
    assert.equal(await both(p, ['branches']), '');

    // A parent no file has: the full CLI reports it, on every run; nothing is kept.
    rev(p, 'b1', 'nope');
    await settle();
    for (let i = 0; i < 2; i++) {
      const quick = await runCli(['history'], { cwd: p.dir });
      const full = await runCli(['history'], { cwd: p.dir, env: { RETORT_QUICK: '0' } });
      assert.notEqual(quick.code, 0);
      assert.deepEqual(quick, full);
    }
    assert.ok(!existsSync(memoFile(p, 'history')));
  } finally {
    await p.cleanup();
  }
});

test('the header cache keeps derived text for the generation that holds the headers read, saved or found unchanged', async (t) => {
  const { dir, cleanup } = tempDir();
  t.after(cleanup);
  const cache = path.join(dir, 'cache', 'headers.json');
  const migrations = path.join(dir, 'migrations');
  mkdirSync(migrations);
  const write = (id: string, down: string | null) => writeFileSync(path.join(migrations, `${id}_r.ts`), revisionSource(id, down, `step ${id}`, ''));
  write('a1', null);
  write('a2', 'a1');
  await settle();
  const open = () => new RevisionFolder(migrations, cache);

  // Saved by this run, with a settled folder stamp: kept, and served to a later folder check, for that key only.
  const first = open();
  assert.equal(first.headers('files').length, 2);
  first.keepDerived('listing', 'k', 'one');
  assert.equal(open().derived('listing', 'k'), 'one');
  assert.equal(open().derived('listing', 'other key'), null);
  assert.equal(open().derived('other', 'k'), null);

  // Read with the files check and found unchanged (not saved again): the cache's generation still holds those headers.
  const unchanged = open();
  unchanged.headers('files');
  unchanged.keepDerived('listing', 'k', 'two');
  assert.equal(open().derived('listing', 'k'), 'two');

  // Read through the folder check: the same.
  const vouched = open();
  assert.equal(vouched.derived('listing', 'k'), 'two');
  assert.equal(vouched.headers('folder').length, 2);
  vouched.keepDerived('listing', 'k', 'three');
  assert.equal(open().derived('listing', 'k'), 'three');

  // A folder changed less than SETTLE_MS ago: its stamp is not recorded, nothing is kept or served.
  write('a3', 'a2');
  const unsettled = open();
  assert.equal(unsettled.derived('listing', 'k'), null);
  assert.equal(unsettled.headers('folder').length, 3);
  unsettled.keepDerived('listing', 'k', 'four');
  assert.equal(open().derived('listing', 'k'), null);
  assert.match(readFileSync(`${cache}.derived-listing`, 'utf8'), /\nthree$/);
});

for (const dialect of DIALECTS) {
  test(`current is printed from the text kept for the heads the database names (${dialect})`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      writeHistory(p);
      await settle();
      const current = ['--url', p.url, 'current'];
      assert.equal((await p.retort('stamp', 'm1')).code, 0);
      assert.equal(await both(p, current), 'm1 (head) (feature) (mergepoint)\n');
      assert.ok(existsSync(memoFile(p, 'current')), 'the first run kept the text');
      replaceKeptText(p, 'current', 'kept current\n');
      assert.equal((await runCli(current, { cwd: p.dir })).stdout, 'kept current\n', 'served from the kept text');

      // The database moves: another set of heads is another key, so its text is derived, and kept in turn.
      assert.equal((await p.retort('stamp', 'z9')).code, 0);
      assert.equal(await both(p, current), 'm1 (head) (feature) (mergepoint)\nz9 (head)\n');
      replaceKeptText(p, 'current', 'kept two\n');
      assert.equal((await runCli(current, { cwd: p.dir })).stdout, 'kept two\n');

      // A head no revision file has is shown with its warning, whatever text is kept.
      await p.query(`INSERT INTO retort_version (version_num) VALUES ('dead00beef00')`);
      const unknown = await runCli(current, { cwd: p.dir });
      assert.equal(unknown.code, 0, unknown.stderr);
      assert.match(unknown.stdout, /^dead00beef00 \(no revision file has it\)$/m);
      assert.match(unknown.stderr, /^warning: the database is at dead00beef00, which no file/m);
      assert.deepEqual(unknown, await runCli(current, { cwd: p.dir, env: { RETORT_QUICK: '0' } }));
      await p.query(`DELETE FROM retort_version WHERE version_num = 'dead00beef00'`);

      // A new revision file after m1: the folder changed, so m1 is no longer printed as a head.
      rev(p, 'm2', 'm1');
      assert.equal(await both(p, current), 'm1 (feature) (mergepoint)\nz9 (head)\n');
    } finally {
      await p.cleanup();
    }
  });
}
