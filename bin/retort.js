#!/usr/bin/env node
// The `retort` command. The CLI lives in dist/ (built by `npm install` / `npm run build`).
// A closed pipe (`retort history | head`) ends the command quietly, as other CLIs do.
let settled = false;
process.stdout.on('error', (e) => {
  if (e && e.code === 'EPIPE') {
    settled = true;
    process.exit(0);
  }
  throw e;
});
// A promise that never settles ends a Node process quietly with exit code 0; never let that pass as success.
process.on('exit', (code) => {
  if (!settled && code === 0) {
    process.stderr.write('error: retort stopped before it finished (internal error); run again with --debug and report it\n');
    process.exitCode = 1;
  }
});
import('../dist/src/cli/main.js').then(
  async ({ main }) => {
    const code = await main(process.argv);
    settled = true;
    process.exitCode = code;
  },
  (e) => {
    settled = true;
    if (e && e.code === 'ERR_MODULE_NOT_FOUND' && String(e.message).includes('dist/src/cli/main.js')) {
      process.stderr.write('error: retort is not built: run `npm run build` in the retort-migrate package\n');
    } else {
      process.stderr.write(`error: ${e && e.stack ? e.stack : e}\n`);
    }
    process.exitCode = 1;
  },
);
