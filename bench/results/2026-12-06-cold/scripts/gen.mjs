import { writeRetortProject } from '/work/wt-cold/dist/bench/retort-writer.js';
import { benchSchema } from '/work/wt-cold/dist/bench/schema-spec.js';
import { readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
const [dir, n, single] = process.argv.slice(2);
writeRetortProject(dir, '/tmp/root-A', { schema: benchSchema(Number(n), 'star'), createAll: true });
if (single) {
  const parts = readdirSync(`${dir}/models`).filter((f) => f.startsWith('part_')).sort();
  let head = null; const bodies = [];
  for (const f of parts) { const t = readFileSync(`${dir}/models/${f}`, 'utf8'); const lines = t.split('\n'); head ??= lines[0]; bodies.push(lines.slice(3).join('\n')); rmSync(`${dir}/models/${f}`); }
  const enums = [...readFileSync(`${dir}/models/enums.ts`, 'utf8').matchAll(/export const (\w+)/g)].map((m) => m[1]);
  writeFileSync(`${dir}/models/all.ts`, `${head}\nimport { ${enums.join(', ')} } from './enums.js';\n\n${bodies.join('\n')}`);
}
