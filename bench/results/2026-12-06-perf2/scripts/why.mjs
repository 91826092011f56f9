// usage: node why.mjs ROOT/dist/src mods.txt entry  -> for each module in mods list, shortest static import chain from entry
import { readFileSync, existsSync } from 'node:fs'; import path from 'node:path';
const [root, list, entry] = process.argv.slice(2);
const want = new Set(readFileSync(list, 'utf8').trim().split('\n'));
const graph = new Map();
const imps = (f) => { if (graph.has(f)) return graph.get(f); const src = readFileSync(path.join(root, f), 'utf8'); const out = [];
  for (const m of src.matchAll(/^\s*(?:import|export)\s[^;]*?from\s+['"](\.[^'"]+)['"]/gm)) out.push(path.normalize(path.join(path.dirname(f), m[1])));
  for (const m of src.matchAll(/^\s*import\s+['"](\.[^'"]+)['"]/gm)) out.push(path.normalize(path.join(path.dirname(f), m[1])));
  graph.set(f, out.filter(x=>existsSync(path.join(root,x)))); return graph.get(f); };
const prev = new Map([[entry, null]]); const q = [entry];
while (q.length) { const f = q.shift(); for (const g of imps(f)) if (!prev.has(g)) { prev.set(g, f); q.push(g); } }
for (const w of want) { const chain = []; for (let f = w; f; f = prev.get(f)) chain.unshift(f); console.log(prev.has(w) ? chain.join(' > ') : `${w}: not static from ${entry}`); }
