import { readFileSync } from 'node:fs'; import { createRequire } from 'node:module'; import vm from 'node:vm';
const require = createRequire('/work/wt-perf16/package.json');
const file = process.argv[2]; const mode = process.argv[3] ?? 'default';
const src = readFileSync(file, 'utf8');
const { transform } = require('sucrase');
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
let c0 = cpu(); let t = performance.now();
const opts = { transforms: ['typescript', 'imports'], filePath: file };
if (mode === 'fast') opts.disableESTransforms = true;
if (mode === 'fast2') { opts.disableESTransforms = true; opts.keepUnusedImports = true; }
const code = transform(src, opts).code;
const lap = (what) => { const c = cpu(); console.log(what.padEnd(12), (performance.now() - t).toFixed(0).padStart(6), 'ms wall', (c - c0).toFixed(0).padStart(6), 'ms cpu', (process.memoryUsage().rss / 1e6).toFixed(0), 'MB rss'); c0 = c; t = performance.now(); };
lap('sucrase');
if (process.argv[4] === 'eq') { const ref = transform(src, { transforms: ['typescript', 'imports'], filePath: file }).code; console.log('same output:', ref === code); process.exit(0); }
const s = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${code}\n})`, { filename: file });
lap('compile');
const fn = s.runInThisContext();
const api = await import('/tmp/perf-roots/base/dist/src/dsl-api.js');
lap('import api');
const m = { exports: {} };
fn.call(m.exports, m.exports, (x) => x === 'retort-migrate' ? api : new Proxy({}, { get: (_, k) => typeof k === 'string' ? () => ({}) : undefined }), m, file, '.');
lap('run');
const data = s.createCachedData();
lap('cachedata');
console.log('code cache', (data.length / 1e6).toFixed(1), 'MB; code', (code.length / 1e6).toFixed(1), 'MB');
