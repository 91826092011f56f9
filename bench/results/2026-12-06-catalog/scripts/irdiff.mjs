// Introspects a database with two builds' introspectors (each batch and non-batch) and says whether the IRs are equal.
import { isDeepStrictEqual } from 'node:util';
const [rootA, rootB, db, ...schemas] = process.argv.slice(2);
const url = `postgresql://postgres@127.0.0.1:5432/${db}`;
async function read(root, batch) {
  const { connectPostgres } = await import(`${root}/dist/src/dialects/postgres/postgres-driver.js`);
  const { introspectPostgres } = await import(`${root}/dist/src/dialects/postgres/postgres-introspector.js`);
  const { parseDatabaseUrl } = await import(`${root}/dist/src/config/url.js`);
  const conn = await connectPostgres(parseDatabaseUrl(url, '/tmp'));
  const c = batch ? conn : { query: conn.query.bind(conn) };
  try { return await introspectPostgres(c, { schema: 'public', schemas: schemas.length ? ['public', ...schemas] : undefined, exclude: () => false }); } finally { await conn.close(); }
}
const a = await read(rootA, true), b = await read(rootB, true), c = await read(rootB, false);
console.log(db, 'tables', a.tables.length, 'batch equal:', isDeepStrictEqual(a, b), 'one-by-one equal:', isDeepStrictEqual(a, c));
if (!isDeepStrictEqual(a, b)) { for (const [i, t] of a.tables.entries()) if (!isDeepStrictEqual(t, b.tables[i])) { console.log(JSON.stringify(t), '\n', JSON.stringify(b.tables[i])); break; } }
if (process.env.SHOW) console.log(JSON.stringify(b.tables.filter((t) => process.env.SHOW.split(',').includes(t.name)), null, 0));
