#!/usr/bin/env node
// The `retort` command. The CLI lives in dist/ (built by `npm install` / `npm run build`).
// A closed pipe (`retort history | head`) ends the command quietly, as other CLIs do.
process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') process.exit(0);
  throw e;
});
import('../dist/src/cli/main.js').then(
  async ({ main }) => {
    const code = await main(process.argv);
    process.exitCode = code;
  },
  (e) => {
    if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/src/cli/main.js')) {
      process.stderr.write('error: retort is not built: run `npm run build` in the retort-migrate package\n');
    } else {
      process.stderr.write(`error: ${e && e.stack ? e.stack : e}\n`);
    }
    process.exitCode = 1;
  },
);
