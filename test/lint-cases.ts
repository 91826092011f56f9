/**
 * One revision that breaks each lint rule and one that keeps it, as upgrade bodies. The table `orders` (and
 * `customers`, `legacy`) are not created in the revision, so lint takes them as existing, busy tables. Good
 * bodies set a session lock_timeout so that they lint clean.
 */
export interface RuleCase {
  readonly rule: string;
  readonly bad: string;
  readonly good: string;
}

const T = `  op.execute("SET lock_timeout = '5s'");\n`;
const NEW = `  op.createTable('scratch', { id: integer().primaryKey(), note: text() });\n`;

export const LOCK_CASES: readonly RuleCase[] = [
  {
    rule: 'require-concurrent-index',
    bad: `${T}  op.createIndex('ix_orders_customer', 'orders', ['customer_id']);`,
    good: `${T}  op.autocommitBlock((op) => {\n    op.execute('CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_orders_customer ON orders (customer_id)');\n  });\n${NEW}  op.createIndex('ix_scratch_note', 'scratch', ['note']);\n  op.createMaterializedView('scratch_totals', sql\`SELECT 1 AS n\`, { indexes: [{ name: 'ix_scratch_totals_n', columns: ['n'] }] });\n  op.execute('CREATE TABLE scratch_copy AS SELECT 1 AS n');\n  op.createIndex('ix_scratch_copy_n', 'scratch_copy', ['n']);`,
  },
  {
    rule: 'constraint-not-valid',
    bad: `${T}  op.createForeignKey('fk_orders_customer', 'orders', 'customers', ['customer_id'], ['id']);`,
    good: `${T}  op.execute('ALTER TABLE orders ADD CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id) NOT VALID');\n  op.autocommitBlock((op) => op.execute('ALTER TABLE orders VALIDATE CONSTRAINT fk_orders_customer'));`,
  },
  {
    rule: 'validate-in-same-transaction',
    bad: `${T}  op.createCheckConstraint('c_slow', 'orders', sql\`qty > 0\`, { notValid: true });\n  op.validateConstraint('c_slow', 'orders');`,
    good: `${T}  op.createCheckConstraint('c_slow', 'orders', sql\`qty > 0\`, { notValid: true });\n  op.autocommitBlock((op) => op.validateConstraint('c_slow', 'orders'));\n  op.validateConstraint('c_earlier', 'orders');\n  op.execute('CREATE TABLE scratch2 (id int)');\n  op.createCheckConstraint('c_new', 'scratch2', sql\`id > 0\`, { notValid: true });\n  op.validateConstraint('c_new', 'scratch2');`,
  },
  {
    rule: 'unique-via-index',
    bad: `${T}  op.createUniqueConstraint('uq_orders_code', 'orders', ['code']);`,
    good: `${T}  op.autocommitBlock((op) => {\n    op.execute('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS uq_orders_code ON orders (code)');\n  });\n  op.execute('ALTER TABLE orders ADD CONSTRAINT uq_orders_code UNIQUE USING INDEX uq_orders_code');`,
  },
  {
    rule: 'attach-partition-needs-check',
    bad: `${T}  op.attachPartition('events', 'events_2024', { from: '2024-01-01', to: '2025-01-01' });`,
    good: `${T}  op.execute("ALTER TABLE events_2023 ADD CONSTRAINT events_2023_bound CHECK (at IS NOT NULL AND at >= '2023-01-01' AND at < '2024-01-01') NOT VALID");\n  op.autocommitBlock((op) => op.execute('ALTER TABLE events_2023 VALIDATE CONSTRAINT events_2023_bound'));\n  op.attachPartition('events', 'events_2023', { from: '2023-01-01', to: '2024-01-01' });\n  op.dropConstraint('events_2023_bound', 'events_2023');\n  op.execute('CREATE TABLE events_2025 (LIKE events)');\n  op.attachPartition('events', 'events_2025', { from: '2025-01-01', to: '2026-01-01' });`,
  },
  {
    rule: 'domain-check-not-valid',
    bad: `${T}  op.execute('ALTER DOMAIN us_zip ADD CONSTRAINT us_zip_digits CHECK (VALUE ~ $$^[0-9]{5}$$)');`,
    good: `${T}  op.execute('ALTER DOMAIN us_zip ADD CONSTRAINT us_zip_digits CHECK (VALUE ~ $$^[0-9]{5}$$) NOT VALID');\n  op.autocommitBlock((op) => op.validateDomainCheck('us_zip', 'us_zip_digits'));\n  op.execute('CREATE DOMAIN scratch_code AS text');\n  op.execute('ALTER DOMAIN scratch_code ADD CONSTRAINT scratch_code_short CHECK (length(VALUE) < 9)');`,
  },
  {
    rule: 'set-not-null-needs-check',
    bad: `${T}  op.alterColumn('orders', 'note', { nullable: false });`,
    good: `${T}  op.execute('ALTER TABLE orders ADD CONSTRAINT orders_note_not_null CHECK (note IS NOT NULL) NOT VALID');\n  op.autocommitBlock((op) => op.validateConstraint('orders_note_not_null', 'orders'));\n  op.alterColumn('orders', 'note', { nullable: false });\n  op.dropConstraint('orders_note_not_null', 'orders');\n  op.execute('ALTER TABLE orders ADD CONSTRAINT orders_code_ok CHECK (code IS NOT NULL AND length(code) > 2) NOT VALID');\n  op.autocommitBlock((op) => op.validateConstraint('orders_code_ok', 'orders'));\n  op.alterColumn('orders', 'code', { nullable: false });`,
  },
  {
    rule: 'volatile-default',
    bad: `${T}  op.addColumn('orders', 'token', uuid().serverDefault(sql\`gen_random_uuid()\`));`,
    good: `${T}  op.addColumn('orders', 'created_at', timestamp().serverDefault(sql\`now()\`));`,
  },
  {
    rule: 'changing-column-type',
    bad: `${T}  op.alterColumn('orders', 'customer_id', { type: bigint(), existing: { type: integer() } });`,
    good: `${T}  op.alterColumn('orders', 'code', { type: varchar(50), existing: { type: varchar(20) } });\n  op.alterColumn('orders', 'note', { type: text(), existing: { type: varchar(200) } });`,
  },
  {
    rule: 'enum-rebuild',
    bad: `${T}  op.createEnum('mood__new', ['happy', 'sad']);\n  op.execute('ALTER TABLE orders ALTER COLUMN mood TYPE mood__new USING mood::text::mood__new');\n  op.execute('DROP TYPE mood');\n  op.renameEnum('mood__new', 'mood');`,
    good: `${T}  op.addEnumValue('mood', 'calm');`,
  },
  {
    rule: 'concurrently-in-transaction',
    bad: `${T}  op.execute('CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_orders_code ON orders (code)');`,
    good: `${T}  op.autocommitBlock((op) => {\n    op.execute('CREATE INDEX CONCURRENTLY IF NOT EXISTS ix_orders_code ON orders (code)');\n  });`,
  },
  {
    rule: 'require-concurrent-index-drop',
    bad: `${T}  op.dropIndex('ix_orders_old', 'orders');`,
    good: `${T}  op.autocommitBlock((op) => {\n    op.execute('DROP INDEX CONCURRENTLY IF EXISTS ix_orders_old');\n  });`,
  },
  {
    rule: 'require-concurrent-reindex',
    bad: `${T}  op.execute('REINDEX TABLE orders');`,
    good: `${T}  op.autocommitBlock((op) => op.execute('REINDEX TABLE CONCURRENTLY orders'));\n${NEW}  op.createIndex('ix_scratch_note', 'scratch', ['note']);\n  op.execute('REINDEX INDEX ix_scratch_note');`,
  },
  {
    rule: 'rewriting-table',
    bad: `${T}  op.autocommitBlock((op) => op.execute('VACUUM FULL orders'));`,
    good: `${T}  op.autocommitBlock((op) => op.execute('VACUUM (ANALYZE) orders'));\n${NEW}  op.execute('ALTER TABLE scratch SET UNLOGGED');\n  op.execute('CLUSTER scratch USING scratch_pkey');`,
  },
  {
    rule: 'explicit-table-lock',
    bad: `${T}  op.execute('LOCK TABLE orders IN ACCESS EXCLUSIVE MODE');`,
    good: `${T}  op.execute('LOCK TABLE orders IN SHARE UPDATE EXCLUSIVE MODE');\n${NEW}  op.execute('LOCK scratch');`,
  },
  {
    rule: 'truncating-table',
    bad: `${T}  op.execute('TRUNCATE orders');`,
    good: `${T}${NEW}  op.execute('TRUNCATE scratch');`,
  },
  {
    rule: 'require-lock-timeout',
    bad: `  op.addColumn('orders', 'memo', text());`,
    good: `  op.execute("SET LOCAL lock_timeout = '3s'");\n  op.addColumn('orders', 'memo', text());`,
  },
  {
    rule: 'timeout-disabled',
    bad: `${T}  op.execute('SET LOCAL lock_timeout = 0');`,
    good: `${T}  op.execute("SET LOCAL lock_timeout = '30s'");\n  op.execute("SET LOCAL statement_timeout = '10min'");`,
  },
  {
    rule: 'ddl-with-data-change',
    bad: `${T}  op.addColumn('orders', 'memo', text());\n  op.execute("UPDATE orders SET memo = 'none'");`,
    good: `${T}  op.execute("UPDATE orders SET note = 'none' WHERE note IS NULL");\n  op.execute("INSERT INTO orders (id, code) VALUES (1, 'a')");`,
  },
  {
    rule: 'unchecked-do-block',
    bad: `${T}  op.execute(\`DO $$ BEGIN EXECUTE 'CREATE INDEX ix_orders_note ON orders (note)'; END $$\`);`,
    good: `${T}  // retort-lint-ignore unchecked-do-block: creates the type only where it is missing\n  op.execute(\`DO $$ BEGIN IF to_regtype('mood') IS NULL THEN CREATE TYPE mood AS ENUM ('a'); END IF; END $$\`);\n  op.dropView('order_notes');\n  op.createView('order_notes', sql\`SELECT id, note FROM orders\`);`,
  },
  {
    rule: 'unparsable-sql',
    bad: `${T}  op.execute('ALTER TABL orders ADD COLUMN memo text');`,
    good: `${T}  op.execute('COMMENT ON TABLE orders IS $$orders placed$$');`,
  },
];

/** Rules about running code: these apply on SQLite too. */
export const CODE_CASES: readonly RuleCase[] = [
  // Not a lock rule: the database refuses the column on a table with a row, on both dialects.
  {
    rule: 'adding-required-column',
    bad: `${T}  op.addColumn('orders', 'qty', integer().notNull());`,
    good: `${T}  op.addColumn('orders', 'qty', integer().notNull().serverDefault(0));\n  op.addColumn('orders', 'made', timestamp().notNull().serverDefault(sql\`now()\`));`,
  },
  {
    rule: 'renaming-column',
    bad: `${T}  op.alterColumn('orders', 'note', { newName: 'memo' });`,
    good: `${T}${NEW}  op.alterColumn('scratch', 'note', { newName: 'memo' });`,
  },
  {
    rule: 'renaming-table',
    bad: `${T}  op.renameTable('orders', 'purchases');`,
    good: `${T}${NEW}  op.renameTable('scratch', 'scratch2');`,
  },
  {
    rule: 'renaming-object',
    bad: `${T}  op.renameEnumValue('order_status', 'new', 'fresh');`,
    good: `${T}  op.createEnum('scratch_mood', ['a', 'b']);\n  op.renameEnumValue('scratch_mood', 'a', 'c');\n  op.renameIndex('orders', 'ix_orders_note', 'orders_note_idx');`,
  },
  {
    rule: 'dropping-column',
    bad: `${T}  op.dropColumn('orders', 'note');`,
    good: `${T}${NEW}  op.dropColumn('scratch', 'note');`,
  },
  {
    rule: 'dropping-table',
    bad: `${T}  op.execute('DROP TABLE legacy');`,
    good: `${T}${NEW}  op.dropTable('scratch');`,
  },
  {
    rule: 'invalid-ignore',
    bad: `${T}  // retort-lint-ignore dropping-table\n  op.dropTable('legacy');`,
    good: `${T}  // retort-lint-ignore dropping-table: legacy has not been read since v2\n  op.dropTable('legacy');`,
  },
  {
    rule: 'unused-ignore',
    bad: `${T}  // retort-lint-ignore dropping-table: nothing is dropped here\n  op.createTable('other', { id: integer().primaryKey() });`,
    good: `${T}  op.dropTable('legacy'); // retort-lint-ignore dropping-table: legacy has not been read since v2`,
  },
  {
    rule: 'revision-not-linted',
    bad: `${T}  throw new Error('needs the production data');`,
    good: `${T}  if (!ctx.isOffline) await ctx.query('SELECT 1');\n  await ctx.query("UPDATE legacy SET note = 'x' WHERE false");`,
  },
];
