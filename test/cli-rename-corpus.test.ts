/**
 * The rename corpus (issue 22), through the CLI on both dialects with rows in every table: every kind of rename the
 * models can hint at (column, table, enum type, enum value, index, unique / check / primary / foreign key, view, and
 * on PostgreSQL a sequence) becomes its rename operation, never a drop and an add; each upgrade keeps every row and
 * value, each downgrade restores the old names with the rows, and `check` is clean after both. The second revision
 * renames a table and one of its columns together.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { checkClean, createProject, DIALECTS, retortOk, writeModels, type DialectName, type TestProject } from './helpers/project.js';

interface Names {
  enumName: string; glad: string; authors: string; email: string; title: string;
  pk: string; ix: string; uq: string; ck: string; fk: string; view: string; seq: string;
}
const OLD: Names = { enumName: 'mood', glad: 'happy', authors: 'authors', email: 'email', title: 'title', pk: 'pk_authors', ix: 'ix_authors_name', uq: 'uq_authors_email', ck: 'ck_authors_name', fk: 'fk_books_author', view: 'author_names', seq: 'ticket_numbers' };
const MID: Names = { enumName: 'feeling', glad: 'glad', authors: 'authors', email: 'email', title: 'headline', pk: 'authors_pk', ix: 'authors_name_idx', uq: 'authors_email_key', ck: 'ck_name_nonempty', fk: 'books_author_fk', view: 'writer_names', seq: 'ticket_seq' };
const NEW: Names = { ...MID, authors: 'writers', email: 'contact' };

/** The models with names `n`, hinting at the names of `was` where they differ. */
function models(dialect: DialectName, n: Names, was: Names): string {
  const hint = (now: string, old: string) => (now === old ? '' : `.renamedFrom('${old}')`);
  const enumHints = [n.enumName === was.enumName ? '' : `.renamedFrom('${was.enumName}')`, n.glad === was.glad ? '' : `{ renamedFrom: { ${n.glad}: '${was.glad}' } }`];
  const seq = dialect === 'postgresql'
    ? `export const tickets = sequence('${n.seq}', { start: 100${n.seq === was.seq ? '' : `, renamedFrom: '${was.seq}'`} });\n`
    : '';
  return `import { check, enumType, foreignKey, index, integer, primaryKey, sequence, sql, table, text, unique, varchar, view } from 'retort-migrate';
export const mood = enumType('${n.enumName}', ['${n.glad}', 'sad']${enumHints[1] ? `, ${enumHints[1]}` : ''})${enumHints[0]};
export const authors = table('${n.authors}', {
  id: integer().notNull(),
  name: text().notNull(),
  ${n.email}: varchar(200)${hint(n.email, was.email)},
  mood: mood().notNull().serverDefault('${n.glad}'),
}, (t) => [
  primaryKey('${n.pk}').on(t.id)${hint(n.pk, was.pk)},
  index('${n.ix}').on(t.name)${hint(n.ix, was.ix)},
  unique('${n.uq}').on(t.${n.email})${hint(n.uq, was.uq)},
  check('${n.ck}', sql\`length(\${t.name}) > 0\`)${hint(n.ck, was.ck)},
])${hint(n.authors, was.authors)};
export const books = table('books', {
  id: integer().primaryKey(),
  author_id: integer().notNull(),
  ${n.title}: text().notNull()${hint(n.title, was.title)},
}, (t) => [foreignKey('${n.fk}').on(t.author_id).references(() => authors.columns.id)${hint(n.fk, was.fk)}]);
export const titles = view('${n.view}', 'SELECT id FROM books'${n.view === was.view ? '' : `, { renamedFrom: '${was.view}' }`});
${seq}`;
}

const AUTHORS = ['1|Ann|ann@example.com|happy', '2|Bob|null|sad', '3|Cy|cy@example.com|happy'];
const BOOKS = ['1|1|Dune', '2|2|Emma', '3|1|Ulysses'];
const rows = (xs: Record<string, unknown>[]) => xs.map((r) => Object.values(r).map(String).join('|'));
const glad = (xs: string[], value: string) => xs.map((r) => r.replace(/\|happy$/, `|${value}`));

for (const dialect of DIALECTS) {
  describe(`the rename corpus on ${dialect}`, () => {
    let p: TestProject;
    const file = (name: string) => readFileSync(path.join(p.dir, 'migrations', name), 'utf8');
    const authorRows = async (n: Names) => rows(await p.query(`SELECT id, name, ${n.email}, mood FROM ${n.authors} ORDER BY id`));
    const bookRows = async (n: Names) => rows(await p.query(`SELECT id, author_id, ${n.title} FROM books ORDER BY id`));
    /** The names of indexes and constraints the database holds, sorted. */
    const objectNames = async (): Promise<string[]> => {
      if (dialect === 'sqlite') {
        const ix = await p.query<{ name: string }>(`SELECT name FROM sqlite_master WHERE type IN ('index', 'view') AND sql IS NOT NULL ORDER BY name`);
        const text = (await p.query<{ sql: string }>(`SELECT group_concat(sql, ' ') AS sql FROM sqlite_master WHERE type = 'table'`))[0]!.sql;
        const constraints = [...text.matchAll(/CONSTRAINT\s+"?(\w+)"?/gi)].map((m) => m[1]!);
        return [...ix.map((r) => r.name), ...constraints].sort();
      }
      const r = await p.query<{ name: string }>(`SELECT conname AS name FROM pg_constraint WHERE connamespace = 'public'::regnamespace AND contype <> 'n'
        UNION SELECT indexname FROM pg_indexes WHERE schemaname = 'public' UNION SELECT viewname FROM pg_views WHERE schemaname = 'public'
        UNION SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' UNION SELECT typname FROM pg_type WHERE typtype = 'e' AND typnamespace = 'public'::regnamespace ORDER BY 1`);
      return r.map((x) => x.name);
    };
    const expectNames = async (n: Names) => {
      const names = await objectNames();
      for (const x of [n.pk, n.ix, n.uq, n.ck, n.fk, n.view, ...(dialect === 'postgresql' ? [n.seq, n.enumName] : [])]) assert.ok(names.includes(x), `${x} in ${names.join(', ')}`);
      for (const x of [OLD, MID, NEW].flatMap((o) => [o.pk, o.ix, o.uq, o.ck, o.fk, o.view])) if (![n.pk, n.ix, n.uq, n.ck, n.fk, n.view].includes(x)) assert.ok(!names.includes(x), `${x} gone`);
    };
    const clean = () => checkClean(p);
    // After a downgrade the database is behind head, which check reports (exit 1): the schema itself must match.
    const matches = async () => {
      const r = await p.retort('check');
      assert.match(r.stdout, /^The schema matches the models, but see above\.$/m, r.stdout + r.stderr);
    };

    /** Generates a revision for the models `n` (hinting at `was`), runs it, downgrades and upgrades again. */
    async function renameRound(rev: string, n: Names, was: Names, expected: RegExp[]): Promise<void> {
      writeModels(p, models(dialect, n, was));
      const out = await retortOk(p, 'revision', '--autogenerate', '-m', 'renames', '--rev-id', rev);
      assert.doesNotMatch(out, /destructive|hint:/, 'declared renames are neither destructive nor suggestions');
      const text = file(`${rev}_renames.ts`);
      assert.doesNotMatch(text, /drop\w*\(|add\w*\(|create\w*\(|replaceView|alterColumn\([^)]*serverDefault/, text);
      const [up, down] = text.split(/export (?:async )?function downgrade/);
      for (const re of expected) assert.match(up!, re, up);
      // The downgrade renames back: every rename of the upgrade, with its names swapped.
      assert.equal((down!.match(/op\.rename\w*\(|newName/g) ?? []).length, (up!.match(/op\.rename\w*\(|newName/g) ?? []).length, down);

      await retortOk(p, 'upgrade', 'head');
      assert.deepEqual(await authorRows(n), glad(AUTHORS, n.glad));
      assert.deepEqual(await bookRows(n), BOOKS);
      await expectNames(n);
      await clean();
      assert.equal((await p.retort('upgrade', 'head')).code, 0);

      await retortOk(p, 'downgrade', '-1');
      assert.deepEqual(await authorRows(was), glad(AUTHORS, was.glad));
      assert.deepEqual(await bookRows(was), BOOKS);
      await expectNames(was);
      writeModels(p, models(dialect, was, was));
      await matches();
      writeModels(p, models(dialect, n, was));
      await retortOk(p, 'upgrade', 'head');
      await clean();
      // The hints are inert now that the database has the new names: nothing left to generate.
      assert.match(await retortOk(p, 'revision', '--autogenerate', '-m', 'nothing', '--rev-id', `${rev.slice(0, -1)}f`), /No changes detected/);
    }

    before(async () => {
      p = await createProject(dialect, { empty: true });
      writeModels(p, models(dialect, OLD, OLD));
      await retortOk(p, 'revision', '--autogenerate', '-m', 'start', '--rev-id', '00000000c001');
      await retortOk(p, 'upgrade', 'head');
      await p.query(`INSERT INTO authors (id, name, email) VALUES (1, 'Ann', 'ann@example.com'), (2, 'Bob', NULL), (3, 'Cy', 'cy@example.com')`);
      await p.query(`UPDATE authors SET mood = 'sad' WHERE id = 2`);
      await p.query(`INSERT INTO books (id, author_id, title) VALUES (1, 1, 'Dune'), (2, 2, 'Emma'), (3, 1, 'Ulysses')`);
    });
    after(async () => {
      await p?.cleanup();
    });

    test('enum type, enum value, index, every named constraint, view, column (and sequence) renamed in one revision', async () => {
      await renameRound('00000000c002', MID, OLD, [
        /op\.renameEnum\('mood', 'feeling'\)/,
        /op\.renameEnumValue\('feeling', 'happy', 'glad'\)/,
        /op\.alterColumn\('books', 'title', \{ newName: 'headline' \}\)/,
        /op\.renameIndex\('authors', 'ix_authors_name', 'authors_name_idx'\)/,
        /op\.renameConstraint\('authors', 'pk_authors', 'authors_pk'\)/,
        /op\.renameConstraint\('authors', 'uq_authors_email', 'authors_email_key'\)/,
        /op\.renameConstraint\('authors', 'ck_authors_name', 'ck_name_nonempty'\)/,
        /op\.renameConstraint\('books', 'fk_books_author', 'books_author_fk'\)/,
        /op\.renameView\('author_names', 'writer_names'\)/,
        ...(dialect === 'postgresql' ? [/op\.renameSequence\('ticket_numbers', 'ticket_seq'\)/] : []),
      ]);
      // Offline SQL of the same revision: each rename in the database's own words.
      const script = await retortOk(p, 'upgrade', '00000000c001:00000000c002', '--sql');
      const expected = dialect === 'postgresql'
        ? [/ALTER TYPE "mood" RENAME TO "feeling"/, /ALTER TYPE "feeling" RENAME VALUE 'happy' TO 'glad'/, /ALTER INDEX "ix_authors_name" RENAME TO "authors_name_idx"/,
          /ALTER TABLE "authors" RENAME CONSTRAINT "uq_authors_email" TO "authors_email_key"/, /ALTER SEQUENCE "ticket_numbers" RENAME TO "ticket_seq"/, /ALTER VIEW "author_names" RENAME TO "writer_names"/]
                // SQLite: the index is renamed inside the same rebuild as the constraints (one copy of the rows).
        : [/CREATE INDEX "authors_name_idx"/, /CONSTRAINT "authors_email_key"/, /DROP VIEW "author_names"/, /CREATE VIEW "writer_names"/];
      for (const re of expected) assert.match(script, re);
      // The constraints still hold under their new names, and the default names the renamed value.
      await assert.rejects(p.query(`INSERT INTO authors (id, name) VALUES (9, '')`), 'the check');
      await assert.rejects(p.query(`INSERT INTO books (id, author_id, headline) VALUES (9, 99, 'x')`), 'the foreign key');
      await p.query(`INSERT INTO authors (id, name) VALUES (8, 'Di')`);
      assert.deepEqual(rows(await p.query(`SELECT mood FROM authors WHERE id = 8`)), ['glad']);
      await p.query(`DELETE FROM authors WHERE id = 8`);
    });

    test('a table and one of its columns renamed in the same revision: the table first, then the column; back in reverse', async () => {
      await renameRound('00000000c003', NEW, MID, [/op\.renameTable\('authors', 'writers'\);[\s\S]*op\.alterColumn\('writers', 'email', \{ newName: 'contact' \}\)/]);
      await assert.rejects(p.query(`INSERT INTO books (id, author_id, headline) VALUES (9, 99, 'x')`), 'the foreign key follows the table');
    });
  });
}
