/**
 * The runner: applies planned steps, each in its own transaction together with its version-table update where
 * the dialect has transactional DDL, so a failure rolls back to the last good revision (without it, a failure
 * reports the revision as partly applied). Online it talks to the database; offline (`--sql`) it writes the same
 * statements to a sink, replaying them on the dialect's scratch database where the compiler needs to read the
 * schema (SQLite's table rebuild).
 *
 * This module is the runner's front door, imported lazily by the commands that run revisions; its parts live in
 * run/: steps (what a run is handed), run-policy, step-run (one step, in phases), statement-runner, failing-statement
 * and migration-error (what a failure says), stray-failure, pipeline, offline, and run-steps (the whole run).
 */
export { runSteps } from './run/run-steps.js';
export { describeStep, type PlannedStep, type RunnerEvents } from './run/steps.js';
export type { RunnerOptions } from './run/run-options.js';
export { PrintingConnection, offlineCatalog } from './run/offline.js';
