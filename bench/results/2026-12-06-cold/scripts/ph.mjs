import { readFileSync } from 'node:fs';
const { compileModule } = await import('/tmp/root-B/dist/src/runtime/transform.js');
const file = process.argv[2];
const src = readFileSync(file, 'utf8');
let t = performance.now();
const r = await compileModule(file, src);
console.log('compile', (performance.now() - t).toFixed(0), r.code.length, r.mappings?.length);
