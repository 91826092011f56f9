/**
 * SQLite's per-table cache from the CLI (src/dialects/sqlite/sqlite-schema-cache.ts): the usual loop of editing
 * models, autogenerating and upgrading changes a few tables each time, so each `check` after an `upgrade` takes the
 * other tables from the cache and reads the changed ones. After each kind of change it must find the database equal
 * to the models, and a primary key changed under a foreign key written without a column list must show in the child.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { checkClean, createProject, retortOk as ok, writeModels, type TestProject } from './helpers/project.js';

const HEAD = `import { index, integer, table, text } from 'retort-migrate';\n`;
const USERS = `export const users = table('users', { id: integer().primaryKey(), name: text() });\n`;
const POSTS = `export const posts = table('posts', { id: integer().primaryKey(), user_id: integer().references('users.id'), title: text() });\n`;
const TAGS = `export const tags = table('tags', { id: integer().primaryKey(), label: text() });\n`;

/** The models become `models`; autogenerate and upgrade; then check and a second autogenerate find nothing to do. */
async function step(p: TestProject, models: string): Promise<void> {
  writeModels(p, HEAD + models);
  await ok(p, 'revision', '--autogenerate', '-m', 'step');
  await ok(p, 'upgrade', 'head');
  await checkClean(p);
  assert.match(await ok(p, 'revision', '--autogenerate', '-m', 'again'), /No changes detected/);
}

const tableCacheFiles = (p: TestProject) => readdirSync(path.join(p.dir, 'node_modules', '.cache', 'retort')).filter((f) => f.startsWith('sqlite-schema-'));

test('sqlite: upgrade then check is right after each kind of change, with the table cache', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    await step(p, USERS + POSTS + TAGS);
    assert.equal(tableCacheFiles(p).length, 1);
    // A column added, then an index, a table renamed, dropped, added, a referenced table changed.
    const tags2 = TAGS.replace('label: text() }', 'label: text(), color: text() }');
    await step(p, USERS + POSTS + tags2);
    const posts2 = POSTS.replace('title: text() });', `title: text() }, (t) => [index('ix_posts_title').on(t.title)]);`);
    await step(p, USERS + posts2 + tags2);
    const labels = tags2.replace(/tags/g, 'labels');
    await step(p, USERS + posts2 + labels);
    await step(p, USERS + posts2);
    const comments = `export const comments = table('comments', { id: integer().primaryKey(), post_id: integer().references('posts.id') });\n`;
    await step(p, USERS + posts2 + comments);
    await step(p, USERS.replace('name: text() }', 'name: text(), email: text() }') + posts2 + comments);
  } finally {
    await p.cleanup();
  }
});

test('sqlite: a parent primary key changed under a foreign key without a column list shows in the child', async () => {
  const p = await createProject('sqlite', { empty: true });
  try {
    writeModels(p, `${HEAD}export const parent = table('parent', { id: integer().primaryKey(), code: text().notNull() });
export const kids = table('kids', { id: integer().primaryKey(), parent_id: integer().references('parent.id') });\n`);
    await ok(p, 'revision', '--autogenerate', '-m', 'init');
    await ok(p, 'upgrade', 'head');
    // The child's key written without a column list takes the parent's primary key: still the models' key.
    await p.query('DROP TABLE kids');
    await p.query('CREATE TABLE kids (id INTEGER NOT NULL PRIMARY KEY, parent_id INTEGER REFERENCES parent)');
    await checkClean(p);
    // The parent's primary key becomes code: the child's text is unchanged, its key now references code.
    await p.query('DROP TABLE parent');
    await p.query('CREATE TABLE parent (id INTEGER NOT NULL, code TEXT NOT NULL PRIMARY KEY)');
    const changed = await p.retort('check');
    assert.equal(changed.code, 1, changed.stdout);
    assert.match(changed.stdout, /- foreign key kids_parent_id_fkey on kids \(parent_id\) -> parent \(code\)/);
  } finally {
    await p.cleanup();
  }
});
