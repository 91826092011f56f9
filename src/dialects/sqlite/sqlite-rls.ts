/**
 * SQLite has no row-level security (no roles, no policies): a model that declares it is refused when the models are
 * read for SQLite, and an `op` call for it in a revision is refused when the revision is compiled, each with one line
 * that names the object.
 */
import { RetortError } from '../../errors.js';
import type { SchemaIR } from '../../ir/ir.js';
import type { Operation } from '../../operations/operations.js';

const HINT = 'SQLite has no row-level security: remove it from the models (or the revision), or run against PostgreSQL';

/** Throws for the first table with RLS switched on or policy in `schema`. */
export function refuseRlsModels(schema: SchemaIR): void {
  const t = schema.tables.find((x) => x.rlsEnabled === true || x.rlsForced === true);
  if (t !== undefined) throw new RetortError('UNSUPPORTED', `table "${t.name}": row-level security (enableRls/forceRls) is declared, which SQLite does not have`, { hint: HINT });
  const p = schema.policies?.[0];
  if (p !== undefined) throw new RetortError('UNSUPPORTED', `policy "${p.name}" on "${p.table}" is declared, which SQLite does not have`, { hint: HINT });
}

/** Throws for a row-level security operation; returns nothing for any other. */
export function refuseRowLevelSecurity(o: Operation): undefined {
  const what = o.kind === 'alterRls' ? `op.${{ enable: 'enableRls', disable: 'disableRls', force: 'forceRls', noForce: 'noForceRls' }[o.setting]}('${o.table}')`
    : o.kind === 'createPolicy' || o.kind === 'alterPolicy' ? `op.${o.kind}('${o.policy.name}')`
    : o.kind === 'dropPolicy' ? `op.dropPolicy('${o.name}')` : null;
  if (what !== null) throw new RetortError('UNSUPPORTED', `${what}: SQLite has no row-level security`, { hint: 'remove the call from the revision, or run it against PostgreSQL' });
  return undefined;
}
