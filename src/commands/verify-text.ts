/** `verify`'s differences in words: what a downgrade left behind, or what a second upgrade did otherwise. */
import { differenceSubject, type SchemaDifference } from '../ir/schema-differences.js';
import type { RoundTripPhase } from '../runtime/verify-walk.js';

/** A value as a message shows it: JSON, short. */
function shown(v: unknown): string {
  const text = JSON.stringify(v) ?? 'null';
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** The fields that differ, `nullable: true before, false after`, with the two states named for the phase. */
function fieldsText(d: SchemaDifference, first: string, second: string): string {
  return Object.entries(d.fields ?? {}).map(([k, v]) => `${k}: ${shown(v.expected)} ${first}, ${shown(v.actual)} ${second}`).join('; ');
}

/** One difference found after a round trip's `phase` of `revision`, as a line. */
export function differenceText(d: SchemaDifference, phase: RoundTripPhase, revision: string): string {
  const what = differenceSubject(d);
  if (phase === 'upgrade again') {
    if (d.change === 'extra') return `${what} made by upgrading ${revision} again but not by its first upgrade`;
    if (d.change === 'missing') return `${what} made by the first upgrade of ${revision} but not by upgrading it again`;
    return `${what} differs between the two upgrades of ${revision}: ${fieldsText(d, 'the first time', 'the second')}`;
  }
  if (d.change === 'extra') return `${what} left behind by the downgrade of ${revision}`;
  if (d.change === 'missing') return `${what} missing after the downgrade of ${revision} (it was there before the upgrade)`;
  return `${what} not restored by the downgrade of ${revision}: ${fieldsText(d, 'before the upgrade', 'after the downgrade')}`;
}
