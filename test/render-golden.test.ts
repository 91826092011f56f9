// The create-blog revision, rendered from the blog models: checked against the golden files in
// test/golden/ (UPDATE_GOLDEN=1 rewrites them), and run back through the op API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as dsl from '../src/models/builders.js';
import { collectModels } from '../src/models/collect.js';
import { compareSchemas } from '../src/diff/compare.js';
import { postgresEnumPlanner } from '../src/dialects/postgres/postgres-enum-planner.js';
import { renderOperations } from '../src/render/render-operations.js';
import { inverseAll, type Operation } from '../src/operations/operations.js';
import { OperationRecorder } from '../src/operations/op-api.js';
import { defaultNaming } from '../src/models/naming.js';
import { emptySchema } from '../src/ir/ir.js';
import { STANDARD_SPELLING, MODEL_TARGET } from './helpers/models.js';

const { enumType, table, serial, integer, varchar, text, array, json, timestamp, sql, index } = dsl;

/** The blog models of the seed, as a user writes them. */
export function blogModels() {
  const genderEnum = enumType('genderenum', ['MALE', 'FEMALE', 'UNDEFINED']);
  const timestamps = () => ({ created_at: timestamp({ withTimezone: true }).notNull().serverDefault(sql`now()`) });
  const users = table('users', { id: serial().primaryKey(), username: varchar(80).notNull().unique(), email: varchar(255).notNull().unique(), ...timestamps() });
  const profiles = table('profiles', {
    id: serial().primaryKey(),
    user_id: integer().notNull().unique().references(() => users.columns.id, { onDelete: 'cascade' }),
    gender: genderEnum().notNull().serverDefault('UNDEFINED'),
    interests: array(text()),
    contacts: json(),
  });
  const posts = table('posts', {
    id: serial().primaryKey(),
    author_id: integer().notNull().references(() => users.columns.id, { onDelete: 'cascade' }),
    title: varchar(200).notNull().comment("the post's title"),
    body: text().notNull().serverDefault(''),
    ...timestamps(),
  }, (t) => [index('ix_posts_author_created').on(t.author_id, t.created_at)]);
  const comments = table('comments', {
    id: serial().primaryKey(),
    post_id: integer().notNull().references(() => posts.columns.id, { onDelete: 'cascade' }).index(),
    author_id: integer().references(() => users.columns.id, { onDelete: 'set null' }),
    body: text().notNull(),
  });
  return [{ file: 'models/blog.ts', exports: { genderEnum, users, profiles, posts, comments } }];
}

function goldenPath(name: string): string {
  const fromCwd = path.resolve('test/golden', name);
  if (existsSync(path.dirname(fromCwd))) return fromCwd;
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../test/golden', name);
}

function checkGolden(name: string, actual: string): void {
  const file = goldenPath(name);
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, actual);
  assert.equal(actual, readFileSync(file, 'utf8'), `${name} differs from the golden file (UPDATE_GOLDEN=1 rewrites it)`);
}

function record(code: string): Operation[] {
  const recorder = new OperationRecorder(STANDARD_SPELLING, defaultNaming);
  const names = Object.keys(dsl);
  (new Function('op', ...names, code) as (...a: unknown[]) => void)(recorder.op, ...names.map((n) => (dsl as Record<string, unknown>)[n]));
  return recorder.drain();
}

test('create-blog revision renders as the golden files', () => {
  const ops = compareSchemas(emptySchema, collectModels(blogModels(), MODEL_TARGET), postgresEnumPlanner);
  const up = renderOperations(ops, { indent: '  ' });
  const down = renderOperations(inverseAll(ops), { indent: '  ' });
  checkGolden('create-blog.upgrade.txt', `// imports: ${[...up.imports].sort().join(', ')}\n${up.code}\n`);
  checkGolden('create-blog.downgrade.txt', `// imports: ${[...down.imports].sort().join(', ')}\n${down.code}\n`);
});

test('create-blog: the enum comes first, tables in foreign-key order, the downgrade drops the enum last', () => {
  const ops = compareSchemas(emptySchema, collectModels(blogModels(), MODEL_TARGET), postgresEnumPlanner);
  const names = ops.map((o) => (o.kind === 'createTable' ? o.table.name : o.kind === 'createEnum' ? `enum ${o.enum.name}` : o.kind));
  assert.deepEqual(names, ['enum genderenum', 'users', 'posts', 'comments', 'profiles']);
  const down = inverseAll(ops).map((o) => (o.kind === 'dropTable' ? o.name : o.kind === 'dropEnum' ? `enum ${o.name}` : o.kind));
  assert.deepEqual(down, ['profiles', 'comments', 'posts', 'users', 'enum genderenum']);
});

test('create-blog: the rendered code records exactly the operations it was rendered from', () => {
  const ops = compareSchemas(emptySchema, collectModels(blogModels(), MODEL_TARGET), postgresEnumPlanner);
  assert.deepEqual(record(renderOperations(ops).code), ops);
  const down = inverseAll(ops);
  assert.deepEqual(record(renderOperations(down).code), down.map((o) => (o.kind === 'dropTable' ? { ...o, table: null } : o.kind === 'dropEnum' ? { ...o, enum: null } : o)));
});
