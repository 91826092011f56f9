/**
 * Comments on enums, sequences, views, indexes and constraints from the CLI on PostgreSQL: declared, applied, checked
 * clean; each changed or removed, detected and set in place (COMMENT ON ... IS, never a drop of the object); the
 * downgrade restores them; pull writes them back and check is clean; a downgrade to base leaves nothing. On SQLite,
 * which keeps no comments, the same models compare clean and the comments are left out.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { createProject, type TestProject, writeModels as writeModelsIn, retortOk as ok } from './helpers/project.js';

const writeModels = (p: TestProject, source: string): void => writeModelsIn(p, source, 'm.ts');

/** Every comment on an object of the public schema but tables and columns, as `kind name: text`. */
async function comments(p: TestProject): Promise<string[]> {
  const rows = await p.query<{ line: string }>(`
    SELECT c.relkind::text || ' ' || c.relname || ': ' || d.description AS line FROM pg_description d JOIN pg_class c ON c.oid = d.objoid
      WHERE d.classoid = 'pg_class'::regclass AND d.objsubid = 0 AND c.relkind IN ('i', 'S', 'v', 'm') AND c.relnamespace = 'public'::regnamespace
    UNION ALL SELECT 'constraint ' || con.conname || ': ' || d.description FROM pg_description d JOIN pg_constraint con ON con.oid = d.objoid WHERE d.classoid = 'pg_constraint'::regclass AND con.connamespace = 'public'::regnamespace
    UNION ALL SELECT 'type ' || t.typname || ': ' || d.description FROM pg_description d JOIN pg_type t ON t.oid = d.objoid WHERE d.classoid = 'pg_type'::regclass AND t.typnamespace = 'public'::regnamespace
    ORDER BY 1`);
  return rows.map((r) => r.line);
}

const models = (c: Record<string, string | null>) => {
  const opt = (k: string) => (c[k] === null ? '' : `comment: '${c[k]}'`);
  return `import { check, enumType, index, integer, sequence, sql, table, text, unique, view } from 'retort-migrate';
export const mood = enumType('mood', ['sad', 'happy'], { ${opt('mood')} });
export const ticket = sequence('ticket', { ${opt('ticket')} });
export const teams = table('teams', { id: integer().primaryKey() });
export const users = table('users', {
  id: integer().primaryKey(),
  name: text(),
  email: text(),
  age: integer(),
  feeling: mood(),
  team: integer().references(() => teams.columns.id, { name: 'fk_team', ${opt('fk')} }),
}, (t) => [
  index('ix_name').on(t.name)${c.ix === null ? '' : `.comment('${c.ix}')`},
  unique('uq_email').on(t.email)${c.uq === null ? '' : `.comment('${c.uq}')`},
  check('ck_age', sql\`age >= 18\`, { ${opt('ck')} }),
]);
export const adults = view('adults', sql\`SELECT id, name FROM users WHERE age >= 18\`, { ${opt('view')} });
`;
};

const FIRST = { mood: 'how they feel', ticket: 'ticket numbers', fk: 'their team', ix: 'by name', uq: 'one per email', ck: 'adults only', view: 'grown-ups' };
const SECOND = { mood: 'feelings', ticket: null, fk: 'the team', ix: 'lookup by name', uq: null, ck: 'no minors', view: 'adults' };

test('comments on postgresql: declared, applied, changed in place, restored, pulled, removed', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    writeModels(p, models(FIRST));
    await ok(p, 'revision', '--autogenerate', '-m', 'first', '--rev-id', 'c00000000001');
    await ok(p, 'upgrade', 'head');
    assert.match(await ok(p, 'check'), /No changes detected/);
    const first = await comments(p);
    assert.deepEqual(first, [
      'S ticket: ticket numbers', 'constraint ck_age: adults only', 'constraint fk_team: their team', 'constraint uq_email: one per email',
      'i ix_name: by name', 'type mood: how they feel', 'v adults: grown-ups',
    ]);

    writeModels(p, models(SECOND));
    const check = await p.retort('check');
    assert.equal(check.code, 1, check.stdout);
    for (const line of ['~ enum mood: comment "feelings"', '~ sequence ticket: comment null', '~ constraint fk_team on users: comment "the team"', '~ index ix_name on users: comment "lookup by name"',
      '~ constraint uq_email on users: comment null', '~ constraint ck_age on users: comment "no minors"', '~ view adults: comment "adults"']) assert.ok(check.stdout.includes(line), `${line}\n${check.stdout}`);
    await ok(p, 'revision', '--autogenerate', '-m', 'second', '--rev-id', 'c00000000002');
    const sql = await ok(p, 'upgrade', 'c00000000001:c00000000002', '--sql');
    assert.match(sql, /COMMENT ON INDEX "ix_name" IS 'lookup by name';/);
    assert.match(sql, /COMMENT ON CONSTRAINT "uq_email" ON "users" IS NULL;/);
    assert.match(sql, /COMMENT ON TYPE "mood" IS 'feelings';/);
    assert.doesNotMatch(sql, /DROP (INDEX|CONSTRAINT|VIEW|TYPE|SEQUENCE)|CREATE (INDEX|VIEW|TYPE|SEQUENCE|OR)/);
    await ok(p, 'upgrade', 'head');
    assert.match(await ok(p, 'check'), /No changes detected/);
    assert.equal((await comments(p)).length, 5);

    await ok(p, 'downgrade', 'c00000000001');
    assert.deepEqual(await comments(p), first);
    await ok(p, 'upgrade', 'head');

    rmSync(path.join(p.dir, 'models', 'm.ts'));
    await ok(p, 'pull');
    const written = readFileSync(path.join(p.dir, 'models', 'schema.ts'), 'utf8');
    assert.match(written, /index\('ix_name'\)\.on\(t\.name\)\.comment\('lookup by name'\)/, written);
    assert.match(written, /enumType\('mood', \['sad', 'happy'\], \{ comment: 'feelings' \}\)/, written);
    // pull writes no views yet: it excludes them in the config, and check is clean.
    assert.match(await ok(p, 'check'), /No changes detected/);

    await ok(p, 'downgrade', 'base');
    assert.deepEqual(await comments(p), []);
  } finally {
    await p.cleanup();
  }
});

test('comments on sqlite: left out, as table comments are; the models compare clean', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    writeModels(p, models(FIRST).replace(/export const mood[^\n]*\n/, '').replace(/export const ticket[^\n]*\n/, '').replace('feeling: mood(),', '').replace('mood, ', '').replace(', enumType', '').replace(', sequence', ''));
    await ok(p, 'revision', '--autogenerate', '-m', 'first');
    await ok(p, 'upgrade', 'head');
    assert.match(await ok(p, 'check'), /No changes detected/);
  } finally {
    await p.cleanup();
  }
});

// Found by the random-schema property test: the downgrade of an added enum value rebuilds the type (PostgreSQL
// cannot remove a value), and the rebuilt type had lost its comment.
test('comments on postgresql: an enum value added and taken out again by the downgrade keeps the enum comment', async () => {
  const p = await createProject('postgresql', { empty: true });
  try {
    const enumModels = (values: string) => `import { enumType, integer, table } from 'retort-migrate';
export const mood = enumType('mood', [${values}], { comment: 'how they feel' });
export const users = table('users', { id: integer().primaryKey(), feeling: mood() });
`;
    writeModels(p, enumModels("'sad', 'happy'"));
    await ok(p, 'revision', '--autogenerate', '-m', 'first', '--rev-id', 'e00000000001');
    await ok(p, 'upgrade', 'head');
    writeModels(p, enumModels("'sad', 'calm', 'happy'"));
    await ok(p, 'revision', '--autogenerate', '-m', 'calm', '--rev-id', 'e00000000002');
    await ok(p, 'upgrade', 'head');
    assert.deepEqual(await comments(p), ['type mood: how they feel']);
    await ok(p, 'downgrade', 'e00000000001');
    assert.deepEqual(await comments(p), ['type mood: how they feel']);
    writeModels(p, enumModels("'sad', 'happy'"));
    // Below head, check exits 1 for that alone: the schema itself must match.
    assert.match((await p.retort('check')).stdout, /The schema matches the models/);
  } finally {
    await p.cleanup();
  }
});
