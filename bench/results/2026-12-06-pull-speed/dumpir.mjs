const root = process.argv[2];
const { loadProject } = await import(`${root}/dist/src/commands/context.js`);
const { withConnection } = await import(`${root}/dist/src/runtime/project.js`);
const { liveSchema } = await import(`${root}/dist/src/runtime/live-schema.js`);
const project = await loadProject({ url: 'postgresql://postgres@127.0.0.1:5432/pullbench1000', cwd: process.cwd() });
await withConnection(project, async (d, conn) => { const s = await liveSchema(project, d, conn); (await import('node:fs')).writeFileSync('/tmp/pullbench/ir.json', JSON.stringify({ schema: s, naming: project.config.naming })); }, { readOnly: true });
