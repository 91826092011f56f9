// node load.mjs ROOT PROJECT : loads PROJECT/models/*.ts through ROOT's module loader (as check does)
import { readdirSync } from 'node:fs';
const [root, proj] = process.argv.slice(2);
const { loadModules } = await import(`${root}/dist/src/runtime/module-loader.js`);
const files = readdirSync(`${proj}/models`).filter((f) => f.endsWith('.ts')).map((f) => `${proj}/models/${f}`);
const t0 = performance.now();
const ex = await loadModules(files, 'model file');
console.error('loaded', ex.length, 'files', Object.keys(ex.at(-1)).length, 'exports', (performance.now() - t0).toFixed(0), 'ms', 'node maxrss', (process.resourceUsage().maxRSS/1024).toFixed(0));
