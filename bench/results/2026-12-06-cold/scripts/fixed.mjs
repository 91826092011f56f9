import { readFileSync } from 'node:fs'; import { createRequire } from 'node:module';
const require = createRequire('/work/wt-cold/package.json');
const [mode, ...files] = process.argv.slice(2);
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const t0 = performance.now(); const c0 = cpu();
const laps = [];
for (const file of files) {
  const src = readFileSync(file, 'utf8');
  if (mode === 'sucrase') require('sucrase').transform(src, { transforms: ['typescript', 'imports'], filePath: file });
  else if (mode === 'sync') require('esbuild').transformSync(src, { loader: 'ts', format: 'cjs', sourcefile: file, sourcemap: 'external' });
  else await require('esbuild').transform(src, { loader: 'ts', format: 'cjs', sourcefile: file, sourcemap: 'external' });
  laps.push((performance.now() - t0).toFixed(0));
}
console.log(mode, 'laps', laps.join(','), 'cpu(self)', (cpu() - c0).toFixed(0));
