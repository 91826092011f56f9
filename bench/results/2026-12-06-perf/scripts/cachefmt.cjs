const fs = require('fs');
const f = '/tmp/perf-work10k/revisions-10000/retort/node_modules/.cache/retort/headers-d5bfd185.json';
const txt = fs.readFileSync(f, 'utf8'); const j = JSON.parse(txt);
const compact = JSON.stringify({ version: 5, names: Object.keys(j.files), rows: Object.values(j.files).map((e) => [e.mtimeMs, e.ctimeMs, e.size, e.header.revision, e.header.downRevisions, e.header.dependsOn, e.header.branchLabels, e.header.message, e.header.createDate]) });
const best = {}; const T = (k, fn) => { for (let i = 0; i < 9; i++) { const t = performance.now(); fn(); best[k] = Math.min(best[k] ?? 1e9, performance.now() - t); } };
T('parse current (' + (txt.length / 1e6).toFixed(2) + ' MB)', () => JSON.parse(txt));
T('parse compact (' + (compact.length / 1e6).toFixed(2) + ' MB)', () => JSON.parse(compact));
console.log(best);
