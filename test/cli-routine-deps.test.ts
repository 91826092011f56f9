/**
 * What depends on functions, triggers and policies, through the CLI (issue 18's leftovers). Each step: models ->
 * autogenerate -> upgrade -> check clean -> downgrade restores the catalog exactly -> upgrade again.
 * PostgreSQL: a column default, a check and a new table's default that call functions the same revision creates
 * (functions first, the one they call before them; dropped after the table changes, and the reverse on downgrade);
 * a function whose result type changes (dropped and created again) under the views (and a view over them) and a
 * policy that call it, and under a column default and a check that call it; an enum value removed, and an added one undone, under a trigger whose WHEN names the enum
 * column; renamed columns and a renamed table under a policy, a trigger's WHEN and UPDATE OF, and a view (PostgreSQL
 * follows the renames: the revision holds the renames alone). SQLite: the enum value removed and added under a
 * trigger whose WHEN names the column; a renamed column under a view.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { checkClean, createProject, retortOk, writeModels, type TestProject } from './helpers/project.js';

const revisionOf = (p: TestProject, rev: string) => readFileSync(path.join(p.dir, 'migrations', readdirSync(path.join(p.dir, 'migrations')).find((f) => f.startsWith(rev))!), 'utf8');
const upgradeOf = (p: TestProject, rev: string) => revisionOf(p, rev).split('export function downgrade')[0]!;
const downgradeOf = (p: TestProject, rev: string) => revisionOf(p, rev).split('export function downgrade')[1]!;

/** The index of each string in `text`, asserting each is there and that they come in the given order. */
function inOrder(text: string, ...parts: string[]): void {
  let last = -1;
  for (const s of parts) {
    const i = text.indexOf(s, last + 1);
    assert.ok(i > last, `${s} after the previous one in\n${text}`);
    last = i;
  }
}

/** Every function, constraint, default, view, policy, trigger and enum of the public schema as PostgreSQL prints it. */
async function pgCatalog(p: TestProject): Promise<string[]> {
  const rows = await p.query<{ d: string }>(`
    SELECT 'function ' || pg_get_functiondef(oid) AS d FROM pg_proc WHERE pronamespace = 'public'::regnamespace AND prokind = 'f'
    UNION ALL SELECT 'constraint ' || conrelid::regclass || ' ' || conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE connamespace = 'public'::regnamespace
    UNION ALL SELECT 'default ' || adrelid::regclass || '.' || a.attname || ' ' || pg_get_expr(adbin, adrelid) FROM pg_attrdef d JOIN pg_attribute a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
      WHERE adrelid::regclass::text NOT LIKE 'pg_%'
    UNION ALL SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'v', 'm') AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL SELECT 'view ' || viewname || ' ' || definition FROM pg_views WHERE schemaname = 'public'
    UNION ALL SELECT 'policy ' || tablename || ' ' || policyname || ' ' || coalesce(qual, '') || ' ' || coalesce(with_check, '') FROM pg_policies WHERE schemaname = 'public'
    UNION ALL SELECT 'trigger ' || pg_get_triggerdef(oid) FROM pg_trigger WHERE NOT tgisinternal
    UNION ALL SELECT 'enum ' || t.typname || ' ' || string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder) FROM pg_enum e JOIN pg_type t ON t.oid = e.enumtypid GROUP BY t.typname
    ORDER BY 1`);
  return rows.map((r) => r.d);
}

/** The step every test takes: autogenerate `rev` from `models`, upgrade, check clean, downgrade (the catalog as before), upgrade again. */
async function roundTrip(p: TestProject, rev: string, models: string, catalog: (p: TestProject) => Promise<unknown>, inspect: (up: string, down: string) => void): Promise<void> {
  const before = await catalog(p);
  writeModels(p, models);
  await retortOk(p, 'revision', '--autogenerate', '-m', `step ${rev}`, '--rev-id', rev);
  inspect(upgradeOf(p, rev), downgradeOf(p, rev));
  await retortOk(p, 'upgrade', 'head');
  await checkClean(p);
  const afterUp = await catalog(p);
  assert.notDeepEqual(afterUp, before, 'the revision changed something');
  await retortOk(p, 'downgrade', '-1');
  assert.deepEqual(await catalog(p), before, 'the downgrade restores the catalog exactly');
  await retortOk(p, 'upgrade', 'head');
  assert.deepEqual(await catalog(p), afterUp);
  await checkClean(p);
}

const PG_HEAD = `import { check, enumType, fn, integer, policy, serial, sql, table, text, trigger, view } from 'retort-migrate';\n`;

describe('what depends on functions, triggers and policies, on postgresql', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('postgresql', { empty: true });
  });
  after(async () => {
    await p?.cleanup();
  });

  const item = `export const item = table('item', { id: serial().primaryKey(), code: text(), n: integer() });\n`;
  const fns = `export const trimAll = fn('trim_all', { args: 'c text', returns: 'text', language: 'sql', volatility: 'immutable' }, sql\`SELECT btrim(c)\`);
export const normCode = fn('norm_code', { args: 'c text', returns: 'text', language: 'sql', volatility: 'immutable' }, sql\`SELECT upper(trim_all(c))\`);\n`;
  const itemUsing = `export const item = table('item', { id: serial().primaryKey(), code: text().serverDefault(sql\`norm_code('x')\`), n: integer() },
  () => [check('item_code_ck', sql\`code = norm_code(code)\`)]);
export const tag = table('tag', { id: serial().primaryKey(), label: text().serverDefault(sql\`norm_code('tag')\`) });\n`;

  test('a default and a check that call functions the same revision creates: functions first, dropped after', async () => {
    writeModels(p, PG_HEAD + item);
    await retortOk(p, 'revision', '--autogenerate', '-m', 'item', '--rev-id', 'f0');
    await retortOk(p, 'upgrade', 'head');
    await roundTrip(p, 'f1', PG_HEAD + fns + itemUsing, pgCatalog, (up, down) => {
      // trim_all (which norm_code's SQL body calls) first, then norm_code, then the table changes that call it.
      inOrder(up, "op.createFunction('trim_all'", "op.createFunction('norm_code'", "op.alterColumn('item', 'code'", "op.createTable('tag'");
      inOrder(up, "op.createFunction('norm_code'", "'item_code_ck', 'item', sql`code = norm_code(code)`");
      // The downgrade undoes the table changes first, then drops the functions (the caller before the one it calls).
      inOrder(down, "op.dropTable('tag')", "op.dropFunction('norm_code'", "op.dropFunction('trim_all'");
      inOrder(down, "'item_code_ck'", "op.dropFunction('norm_code'");
    });
    // The default works: a row gets norm_code('x').
    await p.query(`INSERT INTO item (n) VALUES (1)`);
    assert.equal((await p.query<{ code: string }>(`SELECT code FROM item`))[0]!.code, 'X');
    await p.query(`DELETE FROM item`);

    // And taken away again: the table changes first, the functions after them.
    await roundTrip(p, 'f2', PG_HEAD + item, pgCatalog, (up, down) => {
      inOrder(up, "op.dropTable('tag')", "op.dropFunction('norm_code'", "op.dropFunction('trim_all'");
      inOrder(up, "op.alterColumn('item', 'code'", "op.dropFunction('norm_code'");
      inOrder(down, "op.createFunction('trim_all'", "op.createFunction('norm_code'", "op.createTable('tag'");
    });
  });

  const fmt = (returns: string) => `export const fmtCode = fn('fmt_code', { args: 'c text', returns: '${returns}', language: 'sql', volatility: 'immutable' }, sql\`SELECT upper(c)\`);\n`;
  const callers = `export const item = table('item', { id: serial().primaryKey(), code: text(), n: integer() });
export const codes = view('codes', sql\`select id, fmt_code(code) as code from item\`);
export const codesAgain = view('codes_again', sql\`select code from codes\`);
export const itemFmt = policy('item_fmt', { on: item, using: sql\`fmt_code(code) <> 'X'\` });\n`;

  test('a function dropped and created again (its result type changes) moves the views and policies that call it', async () => {
    writeModels(p, PG_HEAD + fmt('text') + callers);
    await retortOk(p, 'revision', '--autogenerate', '-m', 'callers', '--rev-id', 'g0');
    await retortOk(p, 'upgrade', 'head');
    await checkClean(p);
    await roundTrip(p, 'g1', PG_HEAD + fmt('varchar') + callers, pgCatalog, (up, down) => {
      for (const text of [up, down]) {
        inOrder(text, "op.dropPolicy('item_fmt', 'item')", "op.dropView('codes_again')", "op.dropView('codes')", "op.replaceFunction('fmt_code'", "op.createView('codes'",
          "op.createView('codes_again'", "op.createPolicy('item_fmt'");
      }
      assert.match(up, /op\.replaceFunction\('fmt_code', \{[^\n]*returns: 'character varying'[^\n]*recreate: true \}/);
    });
    assert.equal((await p.query<{ code: string }>(`SELECT pg_typeof(code)::text AS code FROM codes_again UNION ALL SELECT 'character varying' LIMIT 1`))[0]!.code, 'character varying');
  });

  const codeOf = (returns: string, arg = 'c') => `export const codeOf = fn('code_of', { args: '${arg} text', returns: '${returns}', language: 'sql', volatility: 'immutable' }, sql\`SELECT upper(${arg})\`);
export const box = table('box', { id: serial().primaryKey(), code: text().serverDefault(sql\`code_of('x')\`) }, () => [check('box_code_ck', sql\`code_of(code) <> 'BAD'\`)]);\n`;

  test('a function dropped and created again (its result type, or an argument\'s name, changes) under a column default and a check that call it: they are moved around it', async () => {
    writeModels(p, PG_HEAD + codeOf('text'));
    await retortOk(p, 'revision', '--autogenerate', '-m', 'box', '--rev-id', 'j0');
    await retortOk(p, 'upgrade', 'head');
    await p.query(`INSERT INTO box (code) VALUES ('a')`);
    // Out of the function's way before its drop, back (as the database held them) after its create, both ways.
    const around = (text: string) => {
      inOrder(text, "op.alterColumn('box', 'code', { serverDefault: null", "op.replaceFunction('code_of'", "op.alterColumn('box', 'code', { serverDefault: sql`code_of('x'");
      inOrder(text, "op.dropConstraint('box_code_ck', 'box', 'check')", "op.replaceFunction('code_of'", "op.createCheckConstraint('box_code_ck', 'box'");
    };
    await roundTrip(p, 'j1', PG_HEAD + codeOf('varchar'), pgCatalog, (up, down) => {
      assert.match(up, /op\.replaceFunction\('code_of', \{[^\n]*returns: 'character varying'[^\n]*recreate: true \}/);
      around(up);
      around(down);
    });
    // An argument renamed: the same function to PostgreSQL (its types), which CREATE cannot make twice: dropped and created again.
    await roundTrip(p, 'j2', PG_HEAD + codeOf('varchar', 's'), pgCatalog, (up, down) => {
      assert.match(up, /op\.replaceFunction\('code_of', \{ args: 's text'[^\n]*recreate: true \}/);
      assert.doesNotMatch(up, /createFunction|dropFunction/);
      around(up);
      around(down);
    });
    await p.query(`INSERT INTO box DEFAULT VALUES`);
    assert.deepEqual((await p.query<{ code: string }>(`SELECT code FROM box ORDER BY id`)).map((r) => r.code), ['a', 'X']);
  });

  const mood = (values: string) => `export const mood = enumType('mood', [${values}]);
export const touch = fn('touch', { returns: 'trigger', language: 'plpgsql' }, sql\`BEGIN RETURN NEW; END\`);
export const person = table('person', { id: serial().primaryKey(), mood: mood() });
export const personSad = trigger('person_sad', { on: person, timing: 'before', events: ['update'], forEachRow: true, when: sql\`NEW.mood <> 'sad'\`, execute: touch });\n`;

  test('an enum rebuilt under a trigger whose WHEN names its column: the trigger is moved around the rebuild, both ways', async () => {
    writeModels(p, PG_HEAD + mood("'happy', 'sad', 'meh'"));
    await retortOk(p, 'revision', '--autogenerate', '-m', 'mood', '--rev-id', 'h0');
    await retortOk(p, 'upgrade', 'head');
    // A value removed: the upgrade rebuilds the type, and so does its downgrade.
    await roundTrip(p, 'h1', PG_HEAD + mood("'happy', 'sad'"), pgCatalog, (up, down) => {
      for (const text of [up, down]) inOrder(text, "op.dropTrigger('person_sad', 'person')", "op.alterColumn('person', 'mood'", "op.createTrigger('person_sad'");
    });
    // A value added: the downgrade's undo rebuilds the type.
    await roundTrip(p, 'h2', PG_HEAD + mood("'happy', 'sad', 'ok'"), pgCatalog, (up, down) => {
      assert.doesNotMatch(up, /Trigger/);
      inOrder(down, "op.dropTrigger('person_sad', 'person')", "op.alterColumn('person', 'mood'", "op.createTrigger('person_sad'");
    });
  });

  const doc = (tenant: string, title: string, table = 'doc', hints = false) => `export const doc = table('${table}', { id: serial().primaryKey(), ${tenant}: integer()${hints ? ".renamedFrom('tenant')" : ''}, ${title}: text()${hints ? ".renamedFrom('title')" : ''} })${hints ? ".renamedFrom('doc')" : ''};
export const touchDoc = fn('touch_doc', { returns: 'trigger', language: 'plpgsql' }, sql\`BEGIN RETURN NEW; END\`);
export const docTouch = trigger('doc_touch', { on: doc, timing: 'before', events: ['update'], updateOf: ['${title}'], forEachRow: true, when: sql\`NEW.${title} <> ''\`, execute: touchDoc });
export const docTitles = view('doc_titles', sql\`select id, ${title} as title from ${table} where ${tenant} > 0\`);
export const docTenant = policy('doc_tenant', { on: doc, using: sql\`${tenant} = 1\`, withCheck: sql\`${title} <> ''\` });\n`;

  test('renamed columns and table under a policy, a trigger and a view: PostgreSQL follows them, the revision holds the renames alone', async () => {
    writeModels(p, PG_HEAD + doc('tenant', 'title'));
    await retortOk(p, 'revision', '--autogenerate', '-m', 'doc', '--rev-id', 'k0');
    await retortOk(p, 'upgrade', 'head');
    await roundTrip(p, 'k1', PG_HEAD + doc('tenant_id', 'heading', 'docs', true), pgCatalog, (up, down) => {
      for (const text of [up, down]) {
        assert.doesNotMatch(text, /Policy|View|Trigger/, 'nothing but the renames');
        assert.match(text, /op\.renameTable\(/);
      }
      assert.match(up, /op\.alterColumn\('docs', 'tenant', \{ newName: 'tenant_id' \}\)/);
    });
    assert.match((await p.query<{ d: string }>(`SELECT pg_get_triggerdef(oid) AS d FROM pg_trigger WHERE tgname = 'doc_touch'`))[0]!.d, /UPDATE OF heading ON public\.docs FOR EACH ROW WHEN \(\(new\.heading <> ''::text\)\)/);
  });
});

describe('what depends on triggers and views, on sqlite', () => {
  let p: TestProject;
  before(async () => {
    p = await createProject('sqlite', { empty: true });
  });
  after(async () => {
    await p?.cleanup();
  });
  const HEAD = `import { enumType, integer, sql, table, text, trigger, view } from 'retort-migrate';\n`;
  // SQLite's own RENAME COLUMN quotes the names it rewrites in a view (`select id, "title"`), both ways: the quotes aside.
  const sqliteCatalog = async (q: TestProject) => (await q.query<{ d: string }>(`SELECT type || ' ' || name || ' ' || coalesce(sql, '') AS d FROM sqlite_master WHERE name NOT LIKE '%retort_%' ORDER BY 1`))
    .map((r) => (r.d.startsWith('view ') ? r.d.replace(/"(\w+)"(?! AS\n)/g, '$1') : r.d));

  const mood = (values: string) => `export const mood = enumType('mood', [${values}]);
export const person = table('person', { id: integer().primaryKey(), mood: mood(), n: integer() });
export const personSad = trigger('person_sad', { on: person, timing: 'after', events: ['update'], when: sql\`NEW.mood <> 'sad'\`, body: sql\`UPDATE person SET n = 1 WHERE id = NEW.id;\` });\n`;

  test('an enum value removed and one added under a trigger whose WHEN names the column', async () => {
    writeModels(p, HEAD + mood("'happy', 'sad', 'meh'"));
    await retortOk(p, 'revision', '--autogenerate', '-m', 'mood', '--rev-id', 's0');
    await retortOk(p, 'upgrade', 'head');
    await roundTrip(p, 's1', HEAD + mood("'happy', 'sad'"), sqliteCatalog, () => undefined);
    await roundTrip(p, 's2', HEAD + mood("'happy', 'sad', 'ok'"), sqliteCatalog, () => undefined);
    // The trigger survived every rebuild and still fires.
    await p.query(`INSERT INTO person (id, mood) VALUES (1, 'happy')`);
    await p.query(`UPDATE person SET mood = 'ok'`);
    assert.equal((await p.query<{ n: number }>(`SELECT n FROM person`))[0]!.n, 1);
  });

  test('a renamed column under a view: the rename, and the view created again after it (PostgreSQL would keep the old column name)', async () => {
    const docs = (col: string, hint: boolean) => `export const doc = table('doc', { id: integer().primaryKey(), ${col}: text()${hint ? ".renamedFrom('title')" : ''} });
export const docTitles = view('doc_titles', sql\`select id, ${col} from doc\`);\n`;
    writeModels(p, HEAD + mood("'happy', 'sad', 'ok'") + docs('title', false));
    await retortOk(p, 'revision', '--autogenerate', '-m', 'doc', '--rev-id', 't0');
    await retortOk(p, 'upgrade', 'head');
    await roundTrip(p, 't1', HEAD + mood("'happy', 'sad', 'ok'") + docs('heading', true), sqliteCatalog, (up, down) => {
      assert.match(up, /op\.alterColumn\('doc', 'title', \{ newName: 'heading' \}\)/);
      // SQLite knows no view's columns: the view reading the renamed column is created again, so that the revision
      // also leaves it as declared on PostgreSQL (cli-rename-view-portable.test.ts).
      inOrder(up, "op.alterColumn('doc', 'title'", "op.dropView('doc_titles')", "op.createView('doc_titles'");
    });
  });
});
