/**
 * The floor of a no-op autogenerate on PostgreSQL (issue 24): what any client doing the same work must spend.
 * One process that starts Node, loads the driver and connects, sends Retort's catalog batch (the same statements,
 * captured from the introspector at set-up) and reads its rows, then compiles and runs the model files through
 * Retort's module loader, one after the other, as the issue defines the floor (Node's start + connecting + the
 * batch + compiling the models). Nothing is compared, diffed or written.
 *
 *   node dist/bench/autogen-floor.js capture <retort-root> <out.json> [schema] [server_version_num]
 *   node dist/bench/autogen-floor.js run <retort-root> <batch.json> <url> <models-dir>
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type Introspect = (conn: unknown, options: { schema: string }) => Promise<unknown>;
type LoadModules = (files: readonly string[], what: string) => Promise<unknown[]>;
interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}

const dist = (root: string, file: string) => pathToFileURL(path.join(root, 'dist', 'src', file)).href;

/**
 * Runs the introspector against a connection that records its batch and answers with no rows; `serverVersion` is
 * what Retort's driver would learn on connecting (the batch's spelling depends on it).
 */
async function capture(root: string, out: string, schema: string, serverVersion: number | undefined): Promise<void> {
  const { introspectPostgres } = (await import(dist(root, 'dialects/postgres/postgres-introspector.js'))) as { introspectPostgres: Introspect };
  let batch: readonly string[] | null = null;
  const conn = {
    ...(serverVersion !== undefined ? { serverVersion } : {}),
    query: async () => [],
    queryBatch: async (statements: readonly string[]) => {
      batch = statements;
      return statements.map(() => []);
    },
  };
  await introspectPostgres(conn, { schema });
  if (!batch) throw new Error('the introspector sent no batch');
  writeFileSync(out, JSON.stringify(batch));
}

async function run(root: string, batchFile: string, url: string, modelsDir: string): Promise<void> {
  const statements = JSON.parse(readFileSync(batchFile, 'utf8')) as string[];
  const pg = createRequire(path.join(root, 'package.json'))('pg') as { Client: new (o: { connectionString: string }) => PgClient };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  // One simple-protocol request, as Retort's driver sends it (queryBatch).
  await client.query(statements.join('\n;\n'));
  await client.end();
  const { loadModules } = (await import(dist(root, 'runtime/module-loader.js'))) as { loadModules: LoadModules };
  const files = readdirSync(modelsDir).filter((f) => f.endsWith('.ts')).sort().map((f) => path.join(modelsDir, f));
  await loadModules(files, 'model file');
}

const [mode, root, a, b, c] = process.argv.slice(2);
if (mode === 'capture' && root && a) await capture(root, a, b ?? 'public', c ? Number(c) : undefined);
else if (mode === 'run' && root && a && b && c) await run(root, a, b, c);
else {
  process.stderr.write('usage: autogen-floor.js capture <retort-root> <out.json> [schema] [server_version_num] | run <retort-root> <batch.json> <url> <models-dir>\n');
  process.exit(2);
}
