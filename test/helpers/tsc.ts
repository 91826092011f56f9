/** Compiles a project's files with this checkout's TypeScript under --strict (and unused names refused), as a user's project would. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './cli.js';

/** Type-checks the files `include` names in `dir` (an ES-module project); status 0 when they compile. */
export function tscStrict(dir: string, include: string[]): { status: number | null; output: string } {
  writeFileSync(path.join(dir, 'tsconfig.pull.json'), JSON.stringify({
    compilerOptions: { strict: true, noEmit: true, module: 'nodenext', moduleResolution: 'nodenext', target: 'es2022', skipLibCheck: true, types: [], noUnusedLocals: true, noUnusedParameters: true },
    include,
  }));
  writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  const r = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.pull.json'], { cwd: dir, encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
