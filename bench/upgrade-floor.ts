/**
 * The floor of an `upgrade` or `downgrade` on PostgreSQL (issue 24): the server running the revisions' own
 * statements and nothing else, sent by the smallest client there is. One process starts Node, loads pg from the
 * measured Retort's node_modules, connects, and sends the statements of Retort's `--sql` script for the same run,
 * less Retort's own bookkeeping (the BEGIN and COMMIT around each revision, its lock and statement timeouts, the
 * version-table write and the history row), as ONE request in ONE transaction, with `synchronous_commit` off as
 * Retort's run has it. No round trip per statement or per revision, no version table: no migration tool can apply
 * the same history in less time on the same server, whatever its language, and Alembic cannot either, so
 * Alembic's time over this floor is the highest ratio any tool could reach against it here.
 *
 *   node dist/bench/upgrade-floor.js <retort-root> <script.sql> <url>
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { ownStatements } from './floor-sql.js';

interface PgClient {
  connect(): Promise<void>;
  query(sql: string): Promise<unknown>;
  end(): Promise<void>;
}

async function run(root: string, sqlFile: string, url: string): Promise<void> {
  const statements = ownStatements(readFileSync(sqlFile, 'utf8'));
  if (statements.length < 10) throw new Error(`${sqlFile}: only ${statements.length} statements left once Retort's bookkeeping is taken out; has the --sql format changed?`);
  const pg = createRequire(path.join(root, 'package.json'))('pg') as { Client: new (o: { connectionString: string }) => PgClient };
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`BEGIN;\n${statements.join(';\n')};\nCOMMIT`);
  await client.end();
}

const [root, sqlFile, url] = process.argv.slice(2);
if (root && sqlFile && url) await run(root, sqlFile, url);
else {
  process.stderr.write('usage: upgrade-floor.js <retort-root> <script.sql> <url>\n');
  process.exit(2);
}
