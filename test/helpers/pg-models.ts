/**
 * PostgreSQL models without a database, for the unit tests of the kinds it alone has (sequences, domains, comments):
 * models collected and normalised as the database reads them back, and revision code run through the op API.
 */
import { normalizeSchema } from '../../src/dialects/postgres/postgres-normalize.js';
import { postgresDialect } from '../../src/dialects/postgres/postgres-dialect.js';
import { collectModels } from '../../src/models/collect.js';
import { OperationRecorder } from '../../src/operations/op-api.js';
import type { Operation } from '../../src/operations/operations.js';
import * as dsl from '../../src/models/builders.js';
import type { SchemaIR } from '../../src/ir/ir.js';
import { MODEL_TARGET } from './models.js';

const PG_TARGET = { ...MODEL_TARGET, spelling: postgresDialect.sqlSpelling };

/** The schema the models declare, as the database reads it back (unnamed items carry no `autoNamed` mark there). */
export function pgModels(source: Record<string, unknown>): SchemaIR {
  const declared = normalizeSchema(collectModels([{ file: 'm.ts', exports: source }], PG_TARGET));
  return JSON.parse(JSON.stringify(declared, (key, value: unknown) => (key === 'autoNamed' ? undefined : value))) as SchemaIR;
}

/** The operations revision code (`op.…` calls, the DSL in scope) records. */
export function recordOps(code: string): Operation[] {
  const recorder = new OperationRecorder(postgresDialect.sqlSpelling);
  const names = Object.keys(dsl);
  (new Function('op', ...names, code) as (...a: unknown[]) => void)(recorder.op, ...names.map((n) => (dsl as Record<string, unknown>)[n]));
  return recorder.drain();
}
