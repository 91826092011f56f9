/**
 * PostgreSQL-only kinds of the random schemas (random-schema.ts): domains (used as column types), extensions,
 * partitioned tables with their partitions (range, list, hash; a DEFAULT partition), a table with an exclusion
 * constraint (gist on a range; with btree_gist, an equality element too), and comments on enums, indexes, unique
 * and check constraints. Each has its spec (plain data), its random generation, its mutations (keeping A's rows
 * valid in B and back), its repairs, and its DSL declarations.
 *
 * Rows: the round-trip test inserts ids 1 and 2, dates 2024-01-01 and 2024-01-02 and texts 'v0' and 'v1' into
 * every table, so a partitioned table's first two partitions always hold them and are never dropped while the table
 * stays; every other partition (and the DEFAULT one) stays empty and may come and go.
 */
import * as dsl from '../../src/models/builders.js';
import type { Chooser, ColSpec, EnumSpec, TableSpec } from './random-schema-tables.js';

/** The extensions the generator may declare; the test passes those the server has (pg_available_extensions). */
export const EXTENSIONS = ['pgcrypto', 'citext', 'btree_gist'] as const;

export interface DomainSpec { name: string; base: 'integer' | 'text'; notNull: boolean; dflt: boolean; check: boolean; comment: string | null }
/** `extra`: the numbers of the empty partitions beyond the two that hold rows. */
export interface PartSpec { name: string; strategy: 'range' | 'list' | 'hash'; extra: number[]; withDefault: boolean; index: boolean; comment: string | null }
/** The bookings table: EXCLUDE USING gist (during WITH &&), with (room WITH =) when btree_gist is declared; `comment` is the table's (an exclusion constraint takes none in the DSL). */
export interface BookingSpec { room: boolean; where: boolean; comment: string | null }

/** The part of a schema spec these kinds add (and the routines of random-schema-routines.ts). */
export interface ObjectSpecs {
  domains?: DomainSpec[];
  extensions?: string[];
  partitioned?: PartSpec[];
  bookings?: BookingSpec | null;
  functions?: import('./random-schema-routines.js').FunctionSpec[];
  triggers?: import('./random-schema-routines.js').TriggerSpec[];
}

interface SchemaLike extends ObjectSpecs { enums: EnumSpec[]; tables: TableSpec[] }

const DOMAIN_NAMES = ['positive int', 'short_text'];
const PART_NAMES = ['events', 'Part Log'];
const COMMENTS = ['a note', "it's\nmultiline"];
const DOMAIN_CHECK = { integer: 'VALUE > -100', text: 'length(VALUE) < 50' } as const;

function randomDomain(c: Chooser, name: string): DomainSpec {
  const base = name === 'short_text' ? 'text' : 'integer';
  const dflt = c.chance(2);
  // NOT NULL only with a default: a column of the domain added to a table with rows takes the domain's default.
  return { name, base, dflt, notNull: dflt && c.chance(2), check: c.chance(2), comment: c.chance(3) ? c.pick(COMMENTS) : null };
}

function randomPart(c: Chooser, name: string): PartSpec {
  return { name, strategy: c.pick(['range', 'list', 'hash'] as const), extra: c.chance(2) ? [0] : [], withDefault: c.chance(2), index: c.chance(2), comment: c.chance(3) ? c.pick(COMMENTS) : null };
}

/** Domains first: the tables' columns may be of them. */
export function randomDomains(c: Chooser, s: SchemaLike): void {
  s.domains = DOMAIN_NAMES.filter(() => c.chance(2)).map((n) => randomDomain(c, n));
}

/** The other kinds, once the tables exist; `available`: the extensions the server has. */
export function randomPgObjects(c: Chooser, s: SchemaLike, available: readonly string[]): void {
  s.extensions = available.filter(() => c.chance(3));
  s.partitioned = PART_NAMES.filter(() => c.chance(3)).map((n) => randomPart(c, n));
  s.bookings = c.chance(3) ? { room: c.chance(2), where: c.chance(2), comment: c.chance(2) ? c.pick(COMMENTS) : null } : null;
  for (const e of s.enums) e.comment = c.chance(3) ? c.pick(COMMENTS) : null;
  for (const t of s.tables) {
    for (const ix of t.indexes) ix.comment = c.chance(4) ? c.pick(COMMENTS) : null;
    for (const u of t.uniques) if (!u.columnLevel) u.comment = c.chance(4) ? c.pick(COMMENTS) : null;
    for (const col of t.columns) if (col.check) col.checkComment = c.chance(3) ? c.pick(COMMENTS) : null;
  }
  repairPg(s, available);
}

/** One random mutation of these kinds. */
export function mutatePg(c: Chooser, s: SchemaLike, available: readonly string[]): void {
  const t = s.tables.length > 0 ? c.pick(s.tables) : null;
  switch (c.int(8)) {
    case 0: { // a domain appears, goes (its columns fall back to the base type) or changes in place
      s.domains ??= [];
      const name = c.pick(DOMAIN_NAMES);
      const d = s.domains.find((x) => x.name === name);
      if (!d) s.domains.push(randomDomain(c, name));
      else if (c.chance(3)) {
        s.domains = s.domains.filter((x) => x !== d);
        for (const x of s.tables) for (const col of x.columns) if (col.domain === name) col.domain = null;
      } else {
        d.check = c.chance(2) ? !d.check : d.check;
        d.comment = c.chance(2) ? (d.comment ? null : c.pick(COMMENTS)) : d.comment;
        if (!d.notNull) d.dflt = !d.dflt;
      }
      break;
    }
    case 1: { // a column moves into or out of a domain over its type (a type change, in place)
      const col = t ? t.columns.find((x) => x.domain || s.domains?.some((d) => d.base === x.kind && x.param === 0 && !d.notNull)) : undefined;
      if (!col) break;
      if (col.domain) col.domain = null;
      else {
        // Not into a NOT NULL domain: a column B added holds NULL in A's rows.
        const fit = s.domains!.filter((d) => d.base === col.kind && !d.notNull);
        if (fit.length === 0) break;
        col.domain = c.pick(fit).name;
        col.check = false;
      }
      break;
    }
    case 2: { // an extension is declared or not
      s.extensions ??= [];
      const e = available.length > 0 ? c.pick(available) : null;
      if (e) s.extensions = s.extensions.includes(e) ? s.extensions.filter((x) => x !== e) : [...s.extensions, e];
      break;
    }
    case 3: { // a partitioned table appears or goes
      s.partitioned ??= [];
      const name = c.pick(PART_NAMES);
      const p = s.partitioned.find((x) => x.name === name);
      s.partitioned = p ? s.partitioned.filter((x) => x !== p) : [...s.partitioned, randomPart(c, name)];
      break;
    }
    case 4: { // an empty partition is attached or detached, or the DEFAULT one; or the parent's index or comment changes
      const p = s.partitioned && s.partitioned.length > 0 ? c.pick(s.partitioned) : null;
      if (!p) break;
      switch (c.int(4)) {
        case 0: { const k = c.int(2); p.extra = p.extra.includes(k) ? p.extra.filter((x) => x !== k) : [...p.extra, k].sort(); break; }
        case 1: p.withDefault = !p.withDefault; break;
        case 2: p.index = !p.index; break;
        case 3: p.comment = p.comment ? null : c.pick(COMMENTS); break;
      }
      break;
    }
    case 5: // the exclusion constraint's table, its elements and condition
      if (!s.bookings) s.bookings = { room: c.chance(2), where: c.chance(2), comment: null };
      else if (c.chance(4)) s.bookings = null;
      else Object.assign(s.bookings, c.chance(2) ? { where: !s.bookings.where } : c.chance(2) ? { room: !s.bookings.room } : { comment: s.bookings.comment ? null : c.pick(COMMENTS) });
      break;
    case 6: { // a comment on an enum, an index, a unique or a check constraint
      const what = c.int(4);
      const next = c.chance(3) ? null : c.pick(COMMENTS);
      if (what === 0 && s.enums.length > 0) c.pick(s.enums).comment = next;
      else if (what === 1 && t && t.indexes.length > 0) c.pick(t.indexes).comment = next;
      else if (what === 2 && t && t.uniques.some((u) => !u.columnLevel)) c.pick(t.uniques.filter((u) => !u.columnLevel)).comment = next;
      else if (t) for (const col of t.columns) if (col.check) col.checkComment = next;
      break;
    }
    case 7: // the equality element, which needs btree_gist: the extension comes with it
      if (s.bookings && available.includes('btree_gist')) {
        s.bookings.room = !s.bookings.room;
        if (s.bookings.room) s.extensions = [...new Set([...(s.extensions ?? []), 'btree_gist'])];
      }
      break;
  }
}

/** After all mutations: what the kinds need is there (btree_gist for an equality element; a domain for its columns). */
export function repairPg(s: SchemaLike, available: readonly string[] = EXTENSIONS): void {
  if (s.bookings?.room && !(s.extensions ?? []).includes('btree_gist')) s.bookings.room = false;
  s.extensions = (s.extensions ?? []).filter((e) => available.includes(e));
  const domains = new Map((s.domains ?? []).map((d) => [d.name, d]));
  for (const t of s.tables) {
    for (const col of t.columns) {
      const d = col.domain ? domains.get(col.domain) : undefined;
      if (col.domain && (!d || d.base !== col.kind || col.param !== 0)) col.domain = null;
      if (!col.check) col.checkComment = null;
    }
    for (const u of t.uniques) if (u.columnLevel) u.comment = null;
  }
}

/** A domain column's DSL declaration: its builder. */
export function domainDecls(s: ObjectSpecs): Map<string, dsl.DomainType> {
  return new Map((s.domains ?? []).map((d) => {
    const base = d.base === 'integer' ? dsl.integer() : dsl.text();
    return [d.name, dsl.domain(d.name, base, {
      ...(d.notNull ? { notNull: true } : {}),
      ...(d.dflt ? { default: d.base === 'integer' ? 7 : 'x' } : {}),
      ...(d.check ? { checks: [dsl.sql(DOMAIN_CHECK[d.base])] } : {}),
      ...(d.comment ? { comment: d.comment } : {}),
    })];
  }));
}

const quote = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The bounds of a partitioned table's partitions: the two that hold rows, the empty extras, DEFAULT. */
function partitions(p: PartSpec): { suffix: string; bound: dsl.PartitionBoundInput }[] {
  const out: { suffix: string; bound: dsl.PartitionBoundInput }[] = [];
  if (p.strategy === 'hash') return [0, 1].map((r) => ({ suffix: `h${r}`, bound: { modulus: 2, remainder: r } }));
  for (const r of [0, 1]) out.push({ suffix: `p${r}`, bound: p.strategy === 'range' ? { from: `2024-01-0${r + 1}`, to: `2024-01-0${r + 2}` } : { in: [`v${r}`] } });
  for (const k of p.extra) out.push({ suffix: `x${k}`, bound: p.strategy === 'range' ? { from: `${2030 + k}-01-01`, to: `${2031 + k}-01-01` } : { in: [`w${k}`, `w${k}b`] } });
  if (p.withDefault) out.push({ suffix: 'default', bound: 'default' });
  return out;
}

/** The DSL declarations of these kinds (domains are declared by domainDecls, used by the columns). */
export function pgExports(s: ObjectSpecs, domains: ReadonlyMap<string, dsl.DomainType>, exports: Record<string, unknown>): void {
  [...domains.values()].forEach((d, i) => { exports[`domain${i}`] = d; });
  (s.extensions ?? []).forEach((e, i) => { exports[`extension${i}`] = dsl.extension(e); });
  (s.partitioned ?? []).forEach((p, i) => {
    const key = p.strategy === 'range' ? dsl.date().notNull() : p.strategy === 'list' ? dsl.text().notNull() : dsl.integer().notNull();
    let parent = dsl.table(p.name, { id: dsl.integer().notNull(), key, note: dsl.text() }, (r) => [
      p.strategy === 'hash' ? dsl.primaryKey().on(r.id!) : dsl.primaryKey().on(r.id!, r.key!),
      dsl.partitionBy(p.strategy, p.strategy === 'hash' ? r.id! : r.key!),
      ...(p.index ? [dsl.index(`${p.name}_note`).on(r.note!)] : []),
    ]);
    if (p.comment) parent = parent.withComment(p.comment);
    exports[`partitioned${i}`] = parent;
    partitions(p).forEach((x, k) => { exports[`partition${i}_${k}`] = dsl.partitionOf(`${p.name}_${x.suffix}`, parent, x.bound); });
  });
  const b = s.bookings;
  if (b) {
    const decl = dsl.table('bookings', { id: dsl.serial().primaryKey(), room: dsl.integer(), during: dsl.customType('int4range') }, (r) => {
      const on = b.room ? dsl.exclude('bookings_no_overlap').using('gist').on([r.room!, '='], [r.during!, '&&']) : dsl.exclude('bookings_no_overlap').using('gist').on([r.during!, '&&']);
      return [b.where ? on.where(dsl.sql(`${quote('room')} > 0`)) : on];
    });
    exports.bookings = b.comment ? decl.withComment(b.comment) : decl;
  }
}

/** An enum's options, an index's and a unique's comment, as their builders take them. */
export const enumOptions = (e: EnumSpec) => (e.comment ? { comment: e.comment } : {});
export const checkOptions = (col: ColSpec) => (col.checkComment ? { comment: col.checkComment } : {});

/** One line per object, for failure messages. */
export function describePg(s: ObjectSpecs): string[] {
  const lines: string[] = [];
  for (const d of s.domains ?? []) lines.push(`domain ${JSON.stringify(d.name)} ${d.base}${d.notNull ? ' not null' : ''}${d.dflt ? ' default' : ''}${d.check ? ' check' : ''}${d.comment ? ` comment ${JSON.stringify(d.comment)}` : ''}`);
  if (s.extensions && s.extensions.length > 0) lines.push(`extensions ${s.extensions.join(', ')}`);
  for (const p of s.partitioned ?? []) lines.push(`partitioned ${JSON.stringify(p.name)} by ${p.strategy}: ${partitions(p).map((x) => x.suffix).join(', ')}${p.index ? ' index(note)' : ''}${p.comment ? ` comment ${JSON.stringify(p.comment)}` : ''}`);
  if (s.bookings) lines.push(`bookings exclude (${s.bookings.room ? 'room =, ' : ''}during &&)${s.bookings.where ? ' where room > 0' : ''}${s.bookings.comment ? ` comment ${JSON.stringify(s.bookings.comment)}` : ''}`);
  return lines;
}
