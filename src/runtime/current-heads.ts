/**
 * Where the database is: its version table's heads, each checked against the revision files. `current` (and
 * `history -i`) read them with the dialect's connector alone, one connection and two statements, so on both
 * paths of the CLI they load no compiler, planner or schema reader.
 */
import { nextTurn } from '../next-turn.js';
import type { HeaderCheck } from '../revisions/header-cache.js';
import type { Project } from './project.js';
import { readVersionHeads, requireKnownHeads } from './version-table.js';

/**
 * The applied heads, sorted; an error naming a head that no revision file has (with `check` null, not checked: the
 * caller checks them). `whileConnecting` runs at the event loop's first turn after the connection was started, while
 * the server sets the session up (a PostgreSQL backend starting takes longer than reading 1000 revisions' headers);
 * when it throws, the connection is closed before any statement is sent and its error is the one thrown.
 */
export async function currentHeads(project: Project, check: HeaderCheck | null = 'files', whileConnecting?: () => void): Promise<string[]> {
  const connecting = project.connectToRead();
  if (whileConnecting) {
    connecting.catch(() => undefined);
    try {
      await nextTurn();
      whileConnecting();
    } catch (e) {
      connecting.then(({ conn }) => conn.close()).catch(() => undefined);
      throw e;
    }
  }
  const { connector, conn } = await connecting;
  let heads: string[];
  try {
    heads = await readVersionHeads(conn, connector, project.config.versionTable, project.schema(connector));
  } finally {
    await conn.close();
  }
  return check === null ? heads : requireKnownHeads(project, heads, check);
}
