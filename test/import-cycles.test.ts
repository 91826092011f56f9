// No import circles: the compiled import graph of src/ (static imports and re-exports, and dynamic import()
// of a literal path) has no strongly connected component larger than one file, and no file imports itself.
// Type-only imports are erased by the compiler, so a circle they would form is not a load-order circle
// and is not counted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'src');

function jsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? jsFiles(p) : e.name.endsWith('.js') ? [p] : [];
  });
}

// `import ... from './x.js'`, `export ... from './x.js'`, `import './x.js'` and `import('./x.js')`: relative specifiers only.
const SPECIFIER = /(?:\bfrom\s*|\bimport\s*\(?\s*)(['"])(\.{1,2}\/[^'"]+)\1/g;

/** The relative imports of every compiled file of src/, by absolute path. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of jsFiles(srcDir)) {
    const text = readFileSync(file, 'utf8');
    graph.set(file, [...text.matchAll(SPECIFIER)].map((m) => path.resolve(path.dirname(file), m[2]!)));
  }
  return graph;
}

/** Strongly connected components with more than one file, or one file importing itself (Tarjan). */
function circles(graph: Map<string, string[]>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, next); low.set(v, next); next++;
    stack.push(v); onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) { visit(w); low.set(v, Math.min(low.get(v)!, low.get(w)!)); } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const scc: string[] = [];
    for (let w = stack.pop()!; ; w = stack.pop()!) { onStack.delete(w); scc.push(w); if (w === v) break; }
    if (scc.length > 1 || (graph.get(v) ?? []).includes(v)) out.push(scc.map((f) => path.relative(srcDir, f)).sort());
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return out;
}

test('the import graph of src/ has no circles', () => {
  const graph = importGraph();
  assert.ok(graph.size > 100, `expected the compiled sources under ${srcDir}, found ${graph.size} files`);
  const edges = [...graph.values()].reduce((n, xs) => n + xs.length, 0);
  assert.ok(edges > graph.size, 'the import reader found too few imports to be reading the files');
  assert.deepEqual(circles(graph), []);
});

test('the circle finder finds a circle, and a file importing itself', () => {
  const g = new Map([['a', ['b']], ['b', ['c']], ['c', ['a']], ['d', ['d']], ['e', ['a']]]);
  assert.deepEqual(circles(g).map((c) => c.map((f) => path.basename(f))).sort(), [['a', 'b', 'c'], ['d']]);
});
