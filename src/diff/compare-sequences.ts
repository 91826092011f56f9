/**
 * Free-standing sequences compared: created, dropped, and altered in place (never dropped and created again, so
 * the current value is kept). Phased by compare.ts: a sequence exists before the tables whose defaults call it and
 * goes after them. Its owner (OWNED BY) is a column, so it is set once the tables exist and taken away before any
 * table or column goes: PostgreSQL drops an owned sequence with its owner, which would make the sequence's own
 * drop (or a later alteration) fail.
 */
import type { SchemaIR, SequenceChanges, SequenceIR } from '../ir/ir.js';
import type { Operation } from '../operations/operations.js';
import { byName } from '../ir/ir-util.js';

/** The sequence operations, by phase. */
export interface SequencePlan {
  /** New sequences (without owner) and alterations of options: first. */
  readonly early: Operation[];
  /** Owners taken away: before tables and columns are dropped. */
  readonly unowned: Operation[];
  /** Owners set: after tables are created. */
  readonly owned: Operation[];
  /** Sequences no longer declared: last. */
  readonly drops: Operation[];
}

const BOUNDS = ['start', 'increment', 'min', 'max'] as const;

/** The option changes between two versions of a sequence; the four that decide its bounds go together. */
export function optionChanges(from: SequenceIR, to: SequenceIR): { to: SequenceChanges; from: SequenceChanges } | null {
  const next: Record<string, unknown> = {};
  const prev: Record<string, unknown> = {};
  if (BOUNDS.some((k) => from[k] !== to[k])) for (const k of BOUNDS) { next[k] = to[k]; prev[k] = from[k]; }
  if (from.cache !== to.cache) { next.cache = to.cache; prev.cache = from.cache; }
  if (from.cycle !== to.cycle) { next.cycle = to.cycle; prev.cycle = from.cycle; }
  return Object.keys(next).length === 0 ? null : { to: next as SequenceChanges, from: prev as SequenceChanges };
}

const sameOwner = (a: SequenceIR['ownedBy'], b: SequenceIR['ownedBy']) => a?.table === b?.table && a?.column === b?.column;

/** The operations that take the sequences of `from` to those of `to`. */
export function planSequences(from: SchemaIR, to: SchemaIR): SequencePlan {
  const before = byName(from.sequences ?? []);
  const after = byName(to.sequences ?? []);
  const plan: SequencePlan = { early: [], unowned: [], owned: [], drops: [] };
  const setOwner = (s: SequenceIR) => plan.owned.push({ kind: 'alterSequence', name: s.name, to: { ownedBy: s.ownedBy }, from: { ownedBy: null } });
  const unsetOwner = (s: SequenceIR) => plan.unowned.push({ kind: 'alterSequence', name: s.name, to: { ownedBy: null }, from: { ownedBy: s.ownedBy } });
  for (const s of after.values()) {
    const old = before.get(s.name);
    if (old === undefined) {
      plan.early.push({ kind: 'createSequence', sequence: { ...s, ownedBy: null } });
      if (s.ownedBy !== null) setOwner(s);
      continue;
    }
    const change = optionChanges(old, s);
    if (change !== null) plan.early.push({ kind: 'alterSequence', name: s.name, to: change.to, from: change.from });
    if (!sameOwner(old.ownedBy, s.ownedBy)) {
      if (old.ownedBy !== null) unsetOwner(old);
      if (s.ownedBy !== null) setOwner(s);
    }
  }
  for (const old of before.values()) {
    if (after.has(old.name)) continue;
    if (old.ownedBy !== null) unsetOwner(old);
    plan.drops.push({ kind: 'dropSequence', name: old.name, sequence: { ...old, ownedBy: null } });
  }
  return plan;
}
