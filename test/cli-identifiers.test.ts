/**
 * Awkward identifiers (quotes, spaces, reserved words, mixed case, non-ASCII)
 * through every operation of the op API, up and down, on both dialects.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProject, DIALECTS, revisionSource } from './helpers/project.js';

const T = `Order "Items" ü`;
const T2 = `select`;
const E = `Möod "x"`;

const UP = `
  op.createEnum(${JSON.stringify(E)}, ['a b', "it's"]);
  op.createTable(${JSON.stringify(T2)}, { id: serial().primaryKey(), 'from': text() });
  op.createTable(${JSON.stringify(T)}, {
    'Id': serial().primaryKey(),
    'user': varchar(20).notNull(),
    'Größe "cm"': integer(),
    'group': integer(),
  });
  op.addColumn(${JSON.stringify(T)}, 'order by', text());
  op.addColumn(${JSON.stringify(T)}, 'Mood', enumColumn(${JSON.stringify(E)}));
  // A value added to an enum must be committed before PostgreSQL lets a row use it.
  op.autocommitBlock((op) => op.addEnumValue(${JSON.stringify(E)}, 'zé'));
  op.alterColumn(${JSON.stringify(T)}, 'Größe "cm"', { type: bigint(), nullable: false, serverDefault: 0, newName: 'Höhe "mm"', existing: { type: integer(), nullable: true, serverDefault: null } });
  op.createIndex('ix "odd" name', ${JSON.stringify(T)}, ['user', 'order by'], { unique: true });
  op.createUniqueConstraint('uq "user"', ${JSON.stringify(T)}, ['user']);
  op.createCheckConstraint('ck "positive"', ${JSON.stringify(T)}, '"Höhe ""mm""" >= 0');
  op.createForeignKey('fk "group"', ${JSON.stringify(T)}, ${JSON.stringify(T2)}, ['group'], ['id'], { onDelete: 'set null' });
  op.renameTable(${JSON.stringify(T2)}, 'Wählen');
  op.setTableComment(${JSON.stringify(T)}, "it's a table");
  if (!ctx.isOffline) {
    await ctx.query(\`INSERT INTO "Wählen" ("from") VALUES ('x')\`);
    await ctx.query(\`INSERT INTO "Order ""Items"" ü" ("user", "group", "Mood") VALUES ('ann', 1, 'zé')\`);
  }
`;
const DOWN = `
  op.dropConstraint('fk "group"', ${JSON.stringify(T)}, 'foreignKey');
  op.renameTable('Wählen', ${JSON.stringify(T2)});
  op.dropConstraint('ck "positive"', ${JSON.stringify(T)}, 'check');
  op.dropConstraint('uq "user"', ${JSON.stringify(T)}, 'unique');
  op.dropIndex('ix "odd" name', ${JSON.stringify(T)});
  op.dropColumn(${JSON.stringify(T)}, 'Mood');
  op.dropColumn(${JSON.stringify(T)}, 'order by');
  op.dropTable(${JSON.stringify(T)});
  op.dropTable(${JSON.stringify(T2)});
  op.dropEnum(${JSON.stringify(E)});
`;

for (const dialect of DIALECTS) {
  test(`awkward identifiers through every operation on ${dialect}`, async () => {
    const p = await createProject(dialect, { empty: true });
    try {
      p.writeRevision('1d0000000001_odd_names.ts', revisionSource('1d0000000001', null, 'odd names', UP, DOWN).replace("import { integer, serial, text, varchar } from 'retort-migrate';", "import { bigint, enumColumn, integer, serial, text, varchar } from 'retort-migrate';"));
      const up = await p.retort('upgrade', 'head');
      assert.equal(up.code, 0, up.stderr);
      assert.deepEqual((await p.tables()).sort(), [T, 'Wählen'].sort());
      const rows = await p.query<Record<string, unknown>>(`SELECT "user", "Höhe ""mm""" AS h, "Mood" AS m FROM "Order ""Items"" ü"`);
      assert.deepEqual(rows.map((r) => [r.user, Number(r.h), r.m]), [['ann', 0, 'zé']]);
      const sql = await p.retort('upgrade', 'base:head', '--sql');
      assert.equal(sql.code, 0, sql.stderr);
      assert.match(sql.stdout, /"Order ""Items"" ü"/);
      const down = await p.retort('downgrade', 'base');
      assert.equal(down.code, 0, down.stderr);
      assert.deepEqual(await p.tables(), []);
      const again = await p.retort('upgrade', 'head');
      assert.equal(again.code, 0, again.stderr);
    } finally {
      await p.cleanup();
    }
  });
}
