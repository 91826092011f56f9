/**
 * Where the database is: its version table's heads, each checked against the revision files. `current` (and
 * `history -i`) read them with the dialect's connector alone, one connection and two statements, so on both
 * paths of the CLI they load no compiler, planner or schema reader.
 */
import type { HeaderCheck } from '../revisions/header-cache.js';
import type { Project } from './project.js';
import { readVersionHeads, requireKnownHeads } from './version-table.js';

/** The applied heads, sorted; an error naming a head that no revision file has. */
export async function currentHeads(project: Project, check: HeaderCheck = 'files'): Promise<string[]> {
  const { connector, conn } = await project.connectToRead();
  let heads: string[];
  try {
    heads = await readVersionHeads(conn, connector, project.config.versionTable, project.schema(connector));
  } finally {
    await conn.close();
  }
  return requireKnownHeads(project, heads, check);
}
