/**
 * Attaching a table that has rows as a partition, on PostgreSQL with safety 'online': autogenerate writes a NOT
 * VALID check matching the bound, its validation, the attach and the check's drop. PostgreSQL says (at DEBUG1) that
 * the bound is implied by the check, so the attach skips its scan; the plan lints clean, leaves no check behind,
 * checks clean and goes down and up again. Multi-level partitions (a partition partitioned in turn) round-trip too.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { checkClean, createProject, type TestProject, writeModels as writeModelsIn, retortOk as ok } from './helpers/project.js';

const writeModels = (p: TestProject, source: string): void => writeModelsIn(p, source, 'm.ts');

const HEAD = `import { integer, partitionBy, partitionOf, table, text, timestamp } from 'retort-migrate';
export const events = table('events', { id: integer().notNull(), at: timestamp({ withTimezone: true }).notNull() }, (t) => [partitionBy('range', t.at)]);
export const regions = table('regions', { code: text(), id: integer().notNull() }, (t) => [partitionBy('list', t.code)]);
`;
const BEFORE = `${HEAD}
export const events2024 = table('events_2024', { id: integer().notNull(), at: timestamp({ withTimezone: true }).notNull() });
export const regionsEu = table('regions_eu', { code: text(), id: integer().notNull() });
`;
const AFTER = `${HEAD}
export const events2024 = partitionOf('events_2024', events, { from: '2024-01-01', to: '2025-01-01' });
export const regionsEu = partitionOf('regions_eu', regions, { in: ['fr', 'de', null] });
`;

/** Checks on the two tables attached (the helper checks must be gone once the revision ran). */
async function helperChecks(p: TestProject): Promise<string[]> {
  const rows = await p.query<{ conname: string }>(`SELECT conname FROM pg_constraint WHERE conrelid IN ('events_2024'::regclass, 'regions_eu'::regclass) AND contype = 'c' ORDER BY 1`);
  return rows.map((r) => r.conname);
}

test('attaching a table with rows on postgresql: a validated check first, so ATTACH skips its scan; nothing left behind', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    writeModels(p, BEFORE);
    await ok(p, 'revision', '--autogenerate', '-m', 'init', '--rev-id', 'ab0000000001');
    await ok(p, 'upgrade', 'head');
    await p.query(`INSERT INTO events_2024 VALUES (1, '2024-03-01'), (2, '2024-11-30'); INSERT INTO regions_eu VALUES ('fr', 1), (NULL, 2)`);

    writeModels(p, AFTER);
    const gen = await ok(p, 'revision', '--autogenerate', '-m', 'attach', '--rev-id', 'ab0000000002');
    // autogenerate lints what it wrote: the plan breaks no rule.
    assert.doesNotMatch(gen, /attach-partition-needs-check|error\(s\)[^0]/);
    const file = readdirSync(path.join(p.dir, 'migrations')).find((f) => f.includes('ab0000000002'))!;
    const text = readFileSync(path.join(p.dir, 'migrations', file), 'utf8');
    assert.match(text, /\/\/ attached to "events" after a check matching its bound is validated[^\n]*\n  op\.createCheckConstraint\('events_2024_partition_bound', 'events_2024', sql`"at" IS NOT NULL AND "at" >= '2024-01-01' AND "at" < '2025-01-01'`, \{ notValid: true \}\);\n  op\.autocommitBlock\(\(op\) => \{\n    op\.validateConstraint\('events_2024_partition_bound', 'events_2024'\);\n  \}\);\n  op\.attachPartition\('events', 'events_2024', [^\n]*\);\n\n?  op\.dropConstraint\('events_2024_partition_bound', 'events_2024', 'check'\);/);
    assert.match(text, /sql`"code" IS NULL OR "code" = ANY \(ARRAY\['fr', 'de'\]\)`/);
    const lint = await p.retort('lint', 'migrations/' + file);
    assert.equal(lint.code, 0, lint.stdout + lint.stderr);
    assert.match(lint.stdout, /0 error\(s\), 0 warning\(s\)/);

    // Run the revision's SQL on a session that hears DEBUG1: PostgreSQL says the bound is implied by the check.
    const script = await ok(p, 'upgrade', 'ab0000000001:ab0000000002', '--sql');
    const client = new pg.Client({ connectionString: p.url });
    const notices: string[] = [];
    client.on('notice', (n) => notices.push(n.message ?? ''));
    await client.connect();
    try {
      await client.query('SET client_min_messages = debug1');
      await client.query(script.slice(script.indexOf('BEGIN;')));
    } finally {
      await client.end();
    }
    assert.ok(notices.includes('partition constraint for table "events_2024" is implied by existing constraints'), notices.join('\n'));
    assert.ok(notices.includes('partition constraint for table "regions_eu" is implied by existing constraints'), notices.join('\n'));
    assert.deepEqual(await helperChecks(p), []);
    await checkClean(p);

    // Down (detach) and up again through the CLI: the same plan runs, the rows stay, no check is left.
    await ok(p, 'downgrade', '-1');
    await ok(p, 'upgrade', 'head');
    assert.deepEqual(await helperChecks(p), []);
    assert.deepEqual(await p.query(`SELECT id FROM events ORDER BY id`), [{ id: 1 }, { id: 2 }]);
    await checkClean(p);
    await ok(p, 'downgrade', 'base');
    assert.deepEqual(await p.query(`SELECT relname FROM pg_class WHERE relname IN ('events', 'events_2024', 'regions', 'regions_eu')`), []);
  } finally {
    await p.cleanup();
  }
});

// A partition that is itself partitioned: events by range of time, events_2024 by list of region.
const MULTI = `import { index, integer, partitionBy, partitionOf, table, text, timestamp } from 'retort-migrate';
export const events = table('events', { id: integer().notNull(), at: timestamp({ withTimezone: true }).notNull(), region: text().notNull() }, (t) => [partitionBy('range', t.at), index('events_region').on(t.region)]);
export const events2024 = partitionOf('events_2024', events, { from: '2024-01-01', to: '2025-01-01' }, (t) => [partitionBy('list', t.region)]);
export const events2024Eu = partitionOf('events_2024_eu', events2024, { in: ['eu'] });
export const events2024Rest = partitionOf('events_2024_rest', events2024, 'default');
`;

test('multi-level partitions on postgresql: declared, applied, checked clean, pulled back, and base leaves nothing', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    writeModels(p, MULTI);
    await ok(p, 'revision', '--autogenerate', '-m', 'multi', '--rev-id', 'ac0000000001');
    const script = await ok(p, 'upgrade', 'head', '--sql');
    assert.match(script, /CREATE TABLE "events_2024" PARTITION OF "events" FOR VALUES FROM \('2024-01-01'\) TO \('2025-01-01'\) PARTITION BY LIST \("region"\);/);
    assert.ok(script.indexOf('CREATE TABLE "events_2024" ') < script.indexOf('CREATE TABLE "events_2024_eu"'), script);
    await ok(p, 'upgrade', 'head');
    await checkClean(p);
    await p.query(`INSERT INTO events VALUES (1, '2024-05-01', 'eu'), (2, '2024-06-01', 'us')`);
    assert.deepEqual(await p.query(`SELECT tableoid::regclass::text AS t FROM events ORDER BY id`), [{ t: 'events_2024_eu' }, { t: 'events_2024_rest' }]);
    const pulled = await ok(p, 'pull', '--dry-run');
    assert.match(pulled, /partitionOf\('events_2024', events, \{ from: [^}]*\}, \(t\) => \[\n?\s*partitionBy\('list', t\.region\)/);
    assert.match(pulled, /partitionOf\('events_2024_eu', events2024, \{ in: \['eu'\] \}\)/);
    await ok(p, 'downgrade', 'base');
    assert.deepEqual(await p.query(`SELECT relname FROM pg_class WHERE relname LIKE 'events%'`), []);
  } finally {
    await p.cleanup();
  }
});

test('an index, a unique constraint and a foreign key on a partitioned table with rows: plain forms, named as locking (PostgreSQL refuses CONCURRENTLY and NOT VALID there)', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    const models = (extra: string) => `import { integer, partitionBy, partitionOf, table, timestamp, text, index, unique, foreignKey } from 'retort-migrate';
export const accounts = table('accounts', { id: integer().primaryKey() });
export const ev = table('ev', { id: integer().notNull(), acct: integer().notNull(), at: timestamp().notNull(), note: text() }, (t) => [partitionBy('range', t.at)${extra}]);
export const evJan = partitionOf('ev_jan', ev, { from: '2024-01-01', to: '2024-02-01' });
`;
    writeModels(p, models(''));
    await ok(p, 'revision', '--autogenerate', '-m', 'init', '--rev-id', 'ac0000000001');
    await ok(p, 'upgrade', 'head');
    await p.query(`INSERT INTO accounts VALUES (1); INSERT INTO ev VALUES (1, 1, '2024-01-05', 'x')`);
    writeModels(p, models(`, index('ev_acct_idx').on(t.acct), unique('ev_id_at_key').on(t.id, t.at), foreignKey('ev_acct_fk').on(t.acct).references(() => accounts.columns.id)`));
    const gen = await ok(p, 'revision', '--autogenerate', '-m', 'keys', '--rev-id', 'ac0000000002');
    assert.match(gen, /ev: building an index on a partitioned table cannot be done CONCURRENTLY or NOT VALID/);
    const file = readdirSync(path.join(p.dir, 'migrations')).find((f) => f.includes('ac0000000002'))!;
    const text = readFileSync(path.join(p.dir, 'migrations', file), 'utf8');
    assert.doesNotMatch(text, /concurrently|notValid|autocommitBlock/);
    assert.match(text, /\/\/ LOCKS "ev": building an index on a partitioned table[^\n]*\n  \/\/ retort-lint-ignore require-concurrent-index: "ev" is partitioned[^\n]*\n  op\.createIndex\('ev_acct_idx', 'ev', \['acct'\]\);/);
    // The foreign key's line gives its own advice, not the index's.
    assert.match(text, /\/\/ LOCKS "ev": adding a foreign key on a partitioned table[^\n]*every partition's rows are checked[^\n]*\n  \/\/ retort-lint-ignore constraint-not-valid: /);
    assert.doesNotMatch(text.match(/\/\/ LOCKS "ev": adding a foreign key[^\n]*/)![0], /index/);
    // lint accepts the plain forms the planner was held to (their lock-safe fixes are what PostgreSQL refuses here), each with its reason.
    const lint = await p.retort('lint', 'migrations/' + file, '--json');
    assert.equal(lint.code, 0, lint.stdout + lint.stderr);
    const report = JSON.parse(lint.stdout) as { findings: { rule: string }[]; accepted: { rule: string; reason: string }[] };
    assert.deepEqual(report.findings.filter((f) => ['require-concurrent-index', 'constraint-not-valid', 'unique-via-index', 'unused-ignore'].includes(f.rule)), []);
    // Lint reads upgrades only: the downgrade carries no ignore (it would be an unused one).
    assert.doesNotMatch(text.split('export function downgrade')[1]!, /retort-lint-ignore/);
    assert.deepEqual([...new Set(report.accepted.map((f) => f.rule))].sort(), ['constraint-not-valid', 'require-concurrent-index', 'unique-via-index']);
    assert.ok(report.accepted.every((f) => /"ev" is partitioned/.test(f.reason)));
    await ok(p, 'upgrade', 'head');
    await checkClean(p);
    await ok(p, 'downgrade', '-1');
    await ok(p, 'upgrade', 'head');
  } finally {
    await p.cleanup();
  }
});
