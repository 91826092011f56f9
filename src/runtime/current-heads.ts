/**
 * Where the database is: its version table's heads, each checked against the revision files, and (for `current`) a
 * revision an earlier run left part-way. `current` (and `history -i`) read them with the dialect's connector alone,
 * one connection and two statements, so on both paths of the CLI they load no compiler, planner or schema reader.
 */
import { nextTurn } from '../next-turn.js';
import type { HeaderCheck } from '../revisions/header-cache.js';
import type { Connection } from '../dialects/dialect.js';
import type { DialectConnector } from '../dialects/registry-entry.js';
import type { Project } from './project.js';
import { readVersionHeads, requireKnownHeads } from './version-table.js';
import { newestRow, newestRowsSql, rowsOf, stoppedRevision, type RawRow, type StoppedRevision } from './history-table.js';

/** Where the database stands: its applied heads, sorted, and the revision an earlier run left part-way, or null. */
export interface CurrentState {
  readonly heads: string[];
  readonly stopped: StoppedRevision | null;
}

/**
 * The applied heads, sorted; an error naming a head that no revision file has (with `check` null, not checked: the
 * caller checks them). `whileConnecting` runs at the event loop's first turn after the connection was started, while
 * the server sets the session up (a PostgreSQL backend starting takes longer than reading 1000 revisions' headers);
 * when it throws, the connection is closed before any statement is sent and its error is the one thrown.
 */
export async function currentHeads(project: Project, check: HeaderCheck | null = 'files', whileConnecting?: () => void): Promise<string[]> {
  return (await readCurrent(project, check, false, whileConnecting)).heads;
}

/**
 * The applied heads, as currentHeads reads them, and the revision the history table's newest row says an earlier
 * run left part-way (`current` says so: after a lost connection it is the first command to run). Still two
 * statements: the tables looked for together, then the version table and the history's newest rows in one query.
 */
export async function currentState(project: Project, check: HeaderCheck | null = 'files', whileConnecting?: () => void): Promise<CurrentState> {
  return readCurrent(project, check, true, whileConnecting);
}

async function readCurrent(project: Project, check: HeaderCheck | null, withStopped: boolean, whileConnecting?: () => void): Promise<CurrentState> {
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
  let state: CurrentState;
  try {
    state = withStopped ? await readState(project, connector, conn) : { heads: await readVersionHeads(conn, connector, project.config.versionTable, project.schema(connector)), stopped: null };
  } finally {
    await conn.close();
  }
  if (check !== null) requireKnownHeads(project, state.heads, check);
  return state;
}

/** The heads and the stopped revision: one query for the two tables, one that reads both where they exist. */
async function readState(project: Project, connector: DialectConnector, conn: Connection): Promise<CurrentState> {
  const { versionTable, historyTable } = project.config;
  const schema = project.schema(connector);
  const present = await connector.existingTables(conn, [versionTable, historyTable], schema === undefined ? {} : { schema });
  if (!present.has(versionTable)) return { heads: [], stopped: null };
  if (!present.has(historyTable)) return { heads: await readVersionHeads(conn, connector, versionTable, schema, present), stopped: null };
  const q = (name: string) => connector.quoteIdentifier(name);
  const history = newestRowsSql(q(historyTable), q, '0, ');
  // The version table's rows (direction NULL) and the history's newest, in one answer.
  const rows = await conn.query<RawRow & { version: 1 | 0 | null }>(
    `SELECT 1 AS version, ${q('version_num')} AS revision, NULL AS direction, NULL AS checksum, NULL AS applied_at, NULL AS duration_ms, NULL AS tool_version FROM ${q(versionTable)} UNION ALL ${history}`,
  );
  const heads = rows.filter((r) => Number(r.version) === 1).map((r) => r.revision).sort();
  return { heads, stopped: stoppedRevision(newestRow(rowsOf(rows.filter((r) => Number(r.version) !== 1)))) };
}
