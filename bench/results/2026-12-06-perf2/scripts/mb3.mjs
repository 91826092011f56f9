const root = process.argv[2];
const { OperationRecorder } = await import(`${root}/dist/src/operations/op-api.js`);
const { integer } = await import(`${root}/dist/src/${root.endsWith('old') ? 'index' : 'dsl-api'}.js`);
const sp = { quoteIdentifier: (s) => `"${s}"`, quoteLiteral: (s) => `'${s}'` };
const c = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const c0 = c(); let n = 0;
for (let i = 0; i < 1000; i++) { const r = new OperationRecorder(sp); r.op.addColumn('t' + i, 'c', integer()); n += r.drain().length; }
console.log((c() - c0).toFixed(1));
