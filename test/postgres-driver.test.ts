/** The PostgreSQL driver loads pg without leaving anything behind in the global scope, and connects. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pgAdminUrl } from './helpers/db.js';
import { parseDatabaseUrl } from '../src/config/url.js';

test('loading the driver leaves globalThis.navigator as it was, and a connection works', async () => {
  const before = Object.getOwnPropertyDescriptor(globalThis, 'navigator');
  const { connectPostgres } = await import('../src/dialects/postgres/postgres-driver.js');
  assert.deepEqual(Object.getOwnPropertyDescriptor(globalThis, 'navigator'), before);
  const conn = await connectPostgres(parseDatabaseUrl(pgAdminUrl(), process.cwd()));
  try {
    assert.deepEqual(await conn.query('SELECT 1 AS one'), [{ one: 1 }]);
  } finally {
    await conn.close();
  }
});
