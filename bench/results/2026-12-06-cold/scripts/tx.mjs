import { readFileSync } from 'node:fs'; import { createRequire } from 'node:module';
const require = createRequire('/work/wt-cold/package.json');
const [file, mode] = process.argv.slice(2);
const src = readFileSync(file, 'utf8');
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const c0 = cpu(), t0 = performance.now();
let code;
if (mode === 'sucrase') code = require('sucrase').transform(src, { transforms: ['typescript', 'imports'], filePath: file }).code;
else if (mode === 'sucrase-ts') code = require('sucrase').transform(src, { transforms: ['typescript'], filePath: file }).code;
else if (mode === 'esbuild') code = require('esbuild').transformSync(src, { loader: 'ts', format: 'cjs', sourcefile: file }).code;
else if (mode === 'esbuild-map') { const r = require('esbuild').transformSync(src, { loader: 'ts', format: 'cjs', sourcefile: file, sourcemap: 'external' }); code = r.code; globalThis.map = r.map; }
const c1 = cpu();
console.log(mode, (performance.now() - t0).toFixed(0), 'ms wall', (c1 - c0).toFixed(0), 'ms cpu(self)', (process.resourceUsage().maxRSS / 1024).toFixed(0), 'MB maxrss', (code.length/1e6).toFixed(2), 'MB out', globalThis.map ? (globalThis.map.length/1e6).toFixed(2)+' MB map' : '');
