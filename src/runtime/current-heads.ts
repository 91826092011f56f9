/**
 * Where the database is: its version table's heads, each checked against the revision files. `current` (and
 * `history -i`) read them with the dialect's connector alone, one connection and two statements, so on both
 * paths of the CLI they load no compiler, planner or schema reader.
 */
import { RetortError } from '../errors.js';
import type { HeaderCheck } from '../revisions/header-cache.js';
import type { Project } from './project.js';
import { readVersionHeads } from './version-table.js';

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

/** `heads` as they are, once each is known to the revision graph (read with `check`). */
export function requireKnownHeads(project: Project, heads: string[], check: HeaderCheck = 'files'): string[] {
  const graph = project.graph(check);
  for (const h of heads) {
    if (!graph.has(h)) {
      throw new RetortError('NOT_FOUND', `Can't locate revision identified by '${h}': the database's ${project.config.versionTable} table names it, but no file in ${project.config.migrationsDir} has it`, {
        hint: `restore the revision file, or mark the database with \`retort stamp <revision> --purge\``,
      });
    }
  }
  return heads;
}
