// A no-op autogenerate reads a PostgreSQL database in the same round trips whether the schema holds tables only or
// every kind besides (views, one over another; SQL and plpgsql functions; triggers; sequences, one OWNED BY a
// column; partitioned tables by range and by list): issue 24's "introspection stays one batch", counted on the real
// driver's connection (round trips and the statements in them), never timed. Both databases are built by Retort
// from the models, so the no-op is Retort's own fixed point.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { autogenerateRevision } from '../src/runtime/autogenerate-revision.js';
import { createPgDatabase, tempDir } from './helpers/db.js';
import { buildFromModels, projectAt, projectFolder } from './helpers/pull-roundtrip.js';
import { countQueries, type QueryCounts } from './helpers/query-count.js';

const cleanups: (() => Promise<void> | void)[] = [];
after(async () => {
  for (const c of cleanups) await c();
});

const TABLES = `import { bigint, integer, serial, table, varchar } from 'retort-migrate';
export const t0 = table('t0', { id: serial().primaryKey(), code: integer(), big: bigint(), title: varchar(40) });
export const t1 = table('t1', { id: serial().primaryKey(), code: integer(), big: bigint(), parent_id: integer().references('t0.id') });
export const t2 = table('t2', { id: serial().primaryKey(), code: integer(), big: bigint(), title: varchar(40) });
`;

/**
 * Every kind, `k` of each (the views and the partitioned tables k times, each with its partitions): the views' queries
 * as a user writes them (lower case, unqualified), which PostgreSQL prints back its own way.
 */
function everyKind(k: number): string {
  const out = [`import { bigint, date, fn, numeric, partitionBy, partitionOf, primaryKey, sequence, sql, table, text, trigger, view } from 'retort-migrate';`];
  for (let i = 0; i < k; i++) {
    out.push(`export const v0_${i} = view('v0_${i}', sql\`select id, code, title from t0 where code > ${i}\`);
export const v1_${i} = view('v1_${i}', sql\`select a.id, b.title as parent_title from t1 a join t0 b on b.id = a.parent_id where a.code > ${i}\`);
export const v2_${i} = view('v2_${i}', sql\`select id, code from \${v0_${i}} where code > 9\`);
export const addOne${i} = fn('add_${i}', { args: 'x integer', returns: 'integer', language: 'sql', volatility: 'immutable' }, sql\`SELECT x + ${i}\`);
export const touch${i} = fn('touch_${i}', { returns: 'trigger', language: 'plpgsql' }, sql\`BEGIN NEW.big := coalesce(NEW.big, 0) + ${i}; RETURN NEW; END\`);
export const touch1_${i} = trigger('touch1_${i}', { on: 't1', timing: 'before', events: ['insert', 'update'], forEachRow: true, execute: touch${i} });
export const touch2_${i} = trigger('touch2_${i}', { on: 't2', timing: 'before', events: ['insert'], forEachRow: true, execute: touch${i} });
export const s0_${i} = sequence('s0_${i}', { start: 5, increment: 2 });
export const s1_${i} = sequence('s1_${i}', { ownedBy: 't0.big' });
export const byDay${i} = table('by_day_${i}', { id: bigint().notNull(), created_on: date().notNull(), amount: numeric(12, 2) },
  (t) => [partitionBy('range', t.created_on), primaryKey('by_day_${i}_pkey').on(t.id, t.created_on)]);
export const byDay${i}a = partitionOf('by_day_${i}_2020', byDay${i}, { from: '2020-01-01', to: '2021-01-01' });
export const byDay${i}b = partitionOf('by_day_${i}_2021', byDay${i}, { from: '2021-01-01', to: '2022-01-01' });
export const byRegion${i} = table('by_region_${i}', { id: bigint().notNull(), region: text().notNull() }, (t) => [partitionBy('list', t.region)]);
export const byRegion${i}a = partitionOf('by_region_${i}_eu', byRegion${i}, { in: ['fr', 'de'] });
export const byRegion${i}b = partitionOf('by_region_${i}_rest', byRegion${i}, 'default');`);
  }
  return `${out.join('\n')}\n`;
}

type Counts = QueryCounts;

/** A project on a fresh database built from `models` by Retort (autogenerate, upgrade). */
async function builtProject(files: Record<string, string>): Promise<string> {
  const db = await createPgDatabase('retort_autogenq');
  cleanups.push(() => db.drop());
  const { dir, cleanup } = tempDir();
  cleanups.push(cleanup);
  const p = path.join(dir, 'p');
  projectFolder(p, db.url);
  mkdirSync(path.join(p, 'models'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(p, 'models', name), text);
  await buildFromModels(p);
  return p;
}

/** Autogenerates against `dir`'s database with every query on the connection counted; the models match it. */
async function countedNoOp(dir: string): Promise<Counts> {
  const project = await projectAt(dir);
  const counts = countQueries(project);
  const result = await autogenerateRevision(project, { message: 'no-op', allowEmpty: false });
  assert.deepEqual(result.changes, [], 'the models match the database Retort built from them');
  assert.equal(result.written, null);
  return counts;
}

describe('a no-op autogenerate reads the database in the same queries with every object kind', () => {
  test('PostgreSQL: the round trips do not grow with the views, functions, triggers, sequences and partitions', async (t) => {
    const tablesOnly = await builtProject({ 'tables.ts': TABLES });
    const few = await builtProject({ 'tables.ts': TABLES, 'objects.ts': everyKind(1) });
    const many = await builtProject({ 'tables.ts': TABLES, 'objects.ts': everyKind(8) });
    // Twice each: the first no-op after the build, and the next, as a user's repeated runs.
    const runs = async (dir: string) => [await countedNoOp(dir), await countedNoOp(dir)];
    const [plain, one, eight] = [await runs(tablesOnly), await runs(few), await runs(many)];
    const shown = (cs: Counts[]) => cs.map((c) => `${c.roundTrips} / ${c.statements}`).join(', ');
    t.diagnostic(`round trips / statements: tables only ${shown(plain)}; every kind once ${shown(one)}; eight times ${shown(eight)}`);
    assert.ok(plain[0]!.roundTrips > 0);
    assert.deepEqual(eight.map((c) => c.roundTrips), one.map((c) => c.roundTrips));
    // The one addition is the views' spelling (PostgreSQL never prints a query back as written): a transaction that is
    // rolled back around one batch creating them all as temporary views (BEGIN, the batch, ROLLBACK).
    assert.deepEqual(one.map((c) => c.roundTrips), plain.map((c) => c.roundTrips + 3));
  });

  // The batch fails as a whole where PostgreSQL refuses one view (here: it reads a table the same revision creates);
  // each view then goes under its own savepoint, so only the refused one is left in the declared spelling.
  test('PostgreSQL: a view refused in the batch leaves out only itself', async () => {
    const dir = await builtProject({ 'tables.ts': TABLES, 'objects.ts': everyKind(1) });
    const models = path.join(dir, 'models');
    writeFileSync(path.join(models, 'later.ts'), `import { serial, table, varchar } from 'retort-migrate';\nexport const t3 = table('t3', { id: serial().primaryKey(), title: varchar(40) });\n`);
    writeFileSync(path.join(models, 'objects.ts'), readFileSync(path.join(models, 'objects.ts'), 'utf8').replace('from t1 a join t0 b on b.id = a.parent_id where a.code > 0', 'from t1 a join t3 b on b.id = a.parent_id'));
    const result = await autogenerateRevision(await projectAt(dir), { message: 't3', allowEmpty: false });
    assert.ok(result.changes.some((c) => c.includes('t3')), result.changes.join('\n'));
    assert.ok(result.changes.some((c) => c.includes('v1_0')), result.changes.join('\n'));
    assert.deepEqual(result.changes.filter((c) => /v0_0|v2_0/.test(c)), []);
  });
});
