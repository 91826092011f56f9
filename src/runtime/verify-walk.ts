/**
 * `retort verify`'s round trips: on one connection to an empty scratch database, each revision in order is
 * upgraded, downgraded and upgraded again, the schema read after each step. The downgrade must give back exactly
 * the schema from before the upgrade, and the second upgrade exactly the schema the first one made. Stops at the
 * first revision that fails.
 */
import { RetortError, isRetortError, messageOf } from '../errors.js';
import { liveCatalog, type Connection, type Dialect } from '../dialects/dialect.js';
import { schemaDifferences, type SchemaDifference } from '../ir/schema-differences.js';
import type { SchemaIR } from '../ir/ir.js';
import { planUpgrade } from '../revisions/revision-target.js';
import { liveSchema } from './autogenerate-revision.js';
import { HistoryTable } from './history-table.js';
import type { Project } from './project.js';
import type { PlannedStep } from './runner.js';
import { VersionTable } from './version-table.js';

/** The three steps of a round trip, in order. */
export type RoundTripPhase = 'upgrade' | 'downgrade' | 'upgrade again';

/** How long each step of one revision's round trip took, in ms. */
export interface RevisionTiming {
  readonly revision: string;
  readonly upgradeMs: number;
  readonly downgradeMs: number;
  readonly upgradeAgainMs: number;
}

/** RoundTripFailure is the first revision whose round trip failed: a step threw, or left a different schema. */
export interface RoundTripFailure {
  readonly revision: string;
  readonly file: string;
  readonly phase: RoundTripPhase;
  /** What went wrong in a line (the error's message when the step threw). */
  readonly message: string;
  /** The error's own lines (the failed statement and the database's reply). */
  readonly details: readonly string[];
  /** Set when the step ran but left another schema than the one expected: `expected` is the schema it should have left. */
  readonly differences: readonly SchemaDifference[];
}

export interface RoundTripEvents {
  /** Called before each revision's round trip; `index` counts from 0 in the order they run. */
  revisionStart?(revision: string, index: number, total: number): void;
  revisionDone?(timing: RevisionTiming, index: number, total: number): void;
}

export interface RoundTripResult {
  readonly timings: readonly RevisionTiming[];
  readonly failure: RoundTripFailure | null;
}

/**
 * Runs every revision's round trip, from base in the graph's order, on `conn` (a database with nothing applied).
 * The database is left at head.
 */
export async function roundTrips(project: Project, dialect: Dialect, conn: Connection, events: RoundTripEvents = {}, signal?: AbortSignal): Promise<RoundTripResult> {
  const graph = project.graph();
  const order = graph.topologicalOrder();
  const schema = project.schema(dialect);
  const common = {
    dialect,
    versionTable: new VersionTable(dialect, project.config.versionTable, schema),
    historyTable: new HistoryTable(dialect, project.config.historyTable, schema),
    naming: project.config.naming,
    schema,
    // A scratch database: each step runs whole, never resuming an earlier run's part.
    newestHistoryRow: null,
    offline: false,
    // Checked between statements; an abort also cancels the running statement where the database can.
    ...(signal ? { interrupted: () => signal.aborted } : {}),
  };
  const catalog = liveCatalog(dialect, conn, schema);
  const { runSteps } = await import('./runner.js');
  const read = (): Promise<SchemaIR> => liveSchema(project, dialect, conn);
  const timed = async (step: PlannedStep): Promise<number> => {
    const started = performance.now();
    await runSteps(conn, catalog, [step], common);
    // Hundredths of a millisecond: finer is noise, and it keeps the JSON report readable.
    return Math.round((performance.now() - started) * 100) / 100;
  };

  const timings: RevisionTiming[] = [];
  let heads: readonly string[] = [];
  let before = await read();
  for (const [index, header] of order.entries()) {
    if (signal?.aborted) throw new RetortError('INTERRUPTED', `verify was interrupted before ${header.revision}`, { exitCode: 130 });
    events.revisionStart?.(header.revision, index, order.length);
    // Every parent is applied (the order is topological), so this is exactly the one step.
    const up = planUpgrade(graph, heads, header.revision)[0]!;
    const down: PlannedStep = { revision: header, direction: 'down', headsBefore: up.headsAfter, headsAfter: up.headsBefore };
    const fail = (phase: RoundTripPhase, message: string, details: readonly string[] = [], differences: readonly SchemaDifference[] = []): RoundTripResult => ({
      timings,
      failure: { revision: header.revision, file: header.file, phase, message, details, differences },
    });
    const attempt = async (phase: RoundTripPhase, step: PlannedStep): Promise<number | RoundTripResult> => {
      try {
        return await timed(step);
      } catch (e) {
        if (signal?.aborted || (isRetortError(e) && e.code === 'INTERRUPTED')) {
          throw new RetortError('INTERRUPTED', `verify was interrupted during the ${phase} of ${header.revision}`, { exitCode: 130, cause: e });
        }
        return fail(phase, messageOf(e), isRetortError(e) ? e.details : []);
      }
    };

    const upgradeMs = await attempt('upgrade', up);
    if (typeof upgradeMs !== 'number') return upgradeMs;
    const after = await read();
    const downgradeMs = await attempt('downgrade', down);
    if (typeof downgradeMs !== 'number') return downgradeMs;
    const back = schemaDifferences(before, await read());
    if (back.length > 0) return fail('downgrade', `the downgrade of ${header.revision} does not restore the schema from before its upgrade`, [], back);
    const upgradeAgainMs = await attempt('upgrade again', up);
    if (typeof upgradeAgainMs !== 'number') return upgradeAgainMs;
    const again = await read();
    const differ = schemaDifferences(after, again);
    if (differ.length > 0) return fail('upgrade again', `upgrading ${header.revision} again gives another schema than its first upgrade`, [], differ);

    const timing = { revision: header.revision, upgradeMs, downgradeMs, upgradeAgainMs };
    timings.push(timing);
    events.revisionDone?.(timing, index, order.length);
    heads = up.headsAfter;
    before = again;
  }
  return { timings, failure: null };
}
