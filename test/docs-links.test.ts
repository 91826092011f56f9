/**
 * The documentation's links hold: every relative link in README.md, CONTRIBUTING.md and docs/**.md points at a file
 * or folder that exists, and every `#anchor` into a Markdown file (or within the same file) names one of its
 * headings, slugged as GitHub slugs them. Links to web addresses are not followed. No database, no CLI.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file with a package.json (this file runs from dist/test/). */
function findRoot(): string {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error('no package.json above the test file');
  }
}

const root = findRoot();

function markdownFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = path.join(dir, name);
    if (statSync(p).isDirectory()) out.push(...markdownFiles(p));
    else if (name.endsWith('.md')) out.push(p);
  }
  return out.sort();
}

/** The text outside fenced code blocks, line by line (links and headings inside code are examples, not links). */
function proseLines(text: string): { line: string; n: number }[] {
  const out: { line: string; n: number }[] = [];
  let fence: string | null = null;
  text.split('\n').forEach((line, i) => {
    const m = /^\s*(```+|~~~+)/.exec(line);
    if (m) {
      if (fence === null) fence = m[1]![0]!;
      else if (m[1]![0] === fence) fence = null;
      return;
    }
    if (fence === null) out.push({ line, n: i + 1 });
  });
  return out;
}

/** GitHub's heading anchor: inline markup dropped, lower case, punctuation removed, each space a hyphen. */
export function slug(heading: string): string {
  return heading
    .replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/`/g, '')
    .replace(/\*\*|__/g, '')
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, '')
    .replace(/\s/g, '-');
}

/** The anchors a Markdown text defines: one per heading, repeats numbered `-1`, `-2` as GitHub numbers them. */
export function anchors(text: string): Set<string> {
  const seen = new Map<string, number>();
  const out = new Set<string>();
  for (const { line } of proseLines(text)) {
    const m = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(line);
    if (!m) continue;
    const base = slug(m[1]!);
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    out.add(count === 0 ? base : `${base}-${count}`);
  }
  return out;
}

/** The link targets of a Markdown text, outside code: `[text](target)` and `[text](target "title")`, inline code removed first. */
export function links(text: string): { target: string; n: number }[] {
  const out: { target: string; n: number }[] = [];
  for (const { line, n } of proseLines(text)) {
    const prose = line.replace(/(`+)[\s\S]*?\1/g, '');
    for (const m of prose.matchAll(/!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) out.push({ target: m[1]!, n });
  }
  return out;
}

/** Every broken relative link in `file`, as `file:line: target (why)`. */
export function brokenLinks(file: string, text: string, read: (file: string) => string | null): string[] {
  const broken: string[] = [];
  for (const { target, n } of links(text)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto: ...
    const [rawPath, anchor] = target.split('#', 2) as [string, string | undefined];
    const where = `${path.relative(root, file)}:${n}: ${target}`;
    const resolved = rawPath === '' ? file : path.resolve(path.dirname(file), decodeURIComponent(rawPath));
    if (rawPath !== '' && !existsSync(resolved)) {
      broken.push(`${where} (no such file)`);
      continue;
    }
    if (anchor === undefined) continue;
    if (!resolved.endsWith('.md')) {
      broken.push(`${where} (an anchor into a file that is not Markdown)`);
      continue;
    }
    const content = resolved === file ? text : read(resolved);
    if (content === null || !anchors(content).has(anchor)) broken.push(`${where} (no heading with that anchor)`);
  }
  return broken;
}

const docs = [path.join(root, 'README.md'), path.join(root, 'CONTRIBUTING.md'), ...markdownFiles(path.join(root, 'docs'))].filter((f) => existsSync(f));
const read = (file: string): string | null => (existsSync(file) ? readFileSync(file, 'utf8') : null);

test('the link checker slugs headings as GitHub does and finds broken links', () => {
  assert.equal(slug('Offline SQL (`--sql`)'), 'offline-sql---sql');
  assert.equal(slug('Parameters of `op.execute`'), 'parameters-of-opexecute');
  assert.equal(slug("How Retort handles SQLite's limits"), 'how-retort-handles-sqlites-limits');
  assert.deepEqual([...anchors('# A\n```\n# not a heading\n```\n## A\n### B: c')], ['a', 'a-1', 'b-c']);
  const fake = path.join(root, 'docs', 'fake.md');
  const text = '# Top\n[ok](#top) [self](#nope) [file](../README.md) [gone](missing.md) `[code](missing.md)` [web](https://example.com/x)\n';
  const found = brokenLinks(fake, text, read);
  assert.equal(found.length, 2, found.join('\n'));
  assert.match(found[0]!, /#nope \(no heading/);
  assert.match(found[1]!, /missing\.md \(no such file/);
});

test('README.md and docs/ exist and link to each other', () => {
  assert.ok(docs.some((f) => f.endsWith(path.join('docs', 'README.md'))), 'docs/README.md, the index, exists');
  const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
  assert.ok(links(readme).some((l) => l.target.startsWith('docs/')), 'the README links into docs/');
});

test('every relative link in README.md and docs/ resolves, anchors included', () => {
  const broken = docs.flatMap((file) => brokenLinks(file, readFileSync(file, 'utf8'), read));
  assert.deepEqual(broken, [], `broken links:\n${broken.join('\n')}`);
});
