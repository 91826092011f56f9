/** URL parsing and config resolution: pure, table-driven. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { maskUrl, parseDatabaseUrl } from '../src/config/url.js';
import { resolveConfig } from '../src/config/config.js';
import { isRetortError } from '../src/errors.js';

const base = '/projects/app';

test('database URLs of every accepted form', () => {
  const cases: [string, string, string][] = [
    ['postgres://u:p@localhost/db', 'postgresql', 'postgresql://u:p@localhost/db'],
    ['postgresql://u@localhost:5433/db', 'postgresql', 'postgresql://u@localhost:5433/db'],
    ['postgresql+psycopg2://u:p@h/db', 'postgresql', 'postgresql://u:p@h/db'],
    ['postgresql+asyncpg://u:p@h/db', 'postgresql', 'postgresql://u:p@h/db'],
    ['sqlite:///app.db', 'sqlite', path.join(base, 'app.db')],
    ['sqlite:///data/app.db', 'sqlite', path.join(base, 'data/app.db')],
    ['sqlite:////var/lib/app.db', 'sqlite', '/var/lib/app.db'],
    ['sqlite:./app.db', 'sqlite', path.join(base, 'app.db')],
    ['sqlite:app.db', 'sqlite', path.join(base, 'app.db')],
    ['sqlite::memory:', 'sqlite', ':memory:'],
    ['sqlite+aiosqlite:///app.db', 'sqlite', path.join(base, 'app.db')],
  ];
  for (const [raw, dialect, target] of cases) {
    const u = parseDatabaseUrl(raw, base);
    assert.equal(u.dialect, dialect, raw);
    assert.equal(u.connectionString ?? u.filename, target, raw);
  }
});

test('bad URLs are one-line errors with the password masked', () => {
  const cases: [string, RegExp][] = [
    ['not a url', /is not a URL/],
    ['mysql://u:secret@h/db', /unknown scheme "mysql:"/],
    ['postgresql:db', /malformed/],
    ['postgresql://u:secret@h:port/db', /malformed|invalid port/],
    ['sqlite://app.db', /malformed/],
  ];
  for (const [raw, message] of cases) {
    assert.throws(
      () => parseDatabaseUrl(raw, base),
      (e: unknown) => isRetortError(e) && message.test(e.message) && !e.message.includes('secret') && !e.message.includes('\n'),
      raw,
    );
  }
  assert.equal(maskUrl('postgresql://user:s3cr3t@host/db'), 'postgresql://user:***@host/db');
  assert.equal(maskUrl('postgresql://user@host/db'), 'postgresql://user@host/db');
});

test('the URL comes from --url, then RETORT_DATABASE_URL, then DATABASE_URL, then the config', () => {
  const raw = { url: 'sqlite:///config.db' };
  const env = { RETORT_DATABASE_URL: 'sqlite:///retort.db', DATABASE_URL: 'sqlite:///database.db' };
  assert.equal(resolveConfig(raw, null, base, { url: 'sqlite:///flag.db', env }).url, 'sqlite:///flag.db');
  assert.equal(resolveConfig(raw, null, base, { env }).url, 'sqlite:///retort.db');
  assert.equal(resolveConfig(raw, null, base, { env: { DATABASE_URL: 'sqlite:///database.db' } }).url, 'sqlite:///database.db');
  assert.equal(resolveConfig(raw, null, base, { env: {} }).url, 'sqlite:///config.db');
});

test('config defaults and checks', () => {
  const c = resolveConfig({}, '/p/retort.config.ts', '/elsewhere', { env: {} });
  assert.equal(c.migrationsDir, '/p/migrations');
  assert.equal(c.versionTable, 'retort_version');
  assert.equal(c.lockTimeoutMs, 300_000);
  const bad: [unknown, RegExp][] = [
    [{ migrationz: 'x' }, /unknown key "migrationz"/],
    [{ versionTable: 'bad name' }, /versionTable/],
    [{ lockTimeout: 'soon' }, /lockTimeout/],
    [{ models: 3 }, /models/],
    [42, /must export a config object/],
  ];
  for (const [raw, message] of bad) {
    assert.throws(() => resolveConfig(raw, '/p/retort.config.ts', '/p', { env: {} }), (e: unknown) => isRetortError(e) && message.test(e.message));
  }
});

test('sslmode is read as libpq reads it and taken out of the connection string pg is given', () => {
  const cases: [string, Record<string, string>, string, object | undefined][] = [
    ['postgresql://u@h/db', {}, 'postgresql://u@h/db', undefined],
    ['postgresql://u@h/db?sslmode=prefer', {}, 'postgresql://u@h/db', { mode: 'prefer' }],
    ['postgresql://u@h/db?application_name=app&sslmode=allow&connect_timeout=3', {}, 'postgresql://u@h/db?application_name=app&connect_timeout=3', { mode: 'allow' }],
    ['postgresql://u@h/db?sslmode=no-verify&ssl=true', {}, 'postgresql://u@h/db', { mode: 'require' }],
    [
      'postgresql://u@h/db?sslmode=verify-full&sslrootcert=/ca.pem&sslcert=/c.pem&sslkey=/k.pem',
      {},
      'postgresql://u@h/db',
      { mode: 'verify-full', rootCert: '/ca.pem', cert: '/c.pem', key: '/k.pem' },
    ],
    ['postgresql://u@h/db?sslmode=require&sslnegotiation=direct', {}, 'postgresql://u@h/db', { mode: 'require', negotiation: 'direct' }],
    // libpq's environment variables stand in for parameters the URL does not have, and only for those.
    ['postgresql://u@h/db', { PGSSLMODE: 'prefer' }, 'postgresql://u@h/db', { mode: 'prefer' }],
    ['postgresql://u@h/db?sslmode=disable', { PGSSLMODE: 'verify-full', PGSSLROOTCERT: '/ca.pem' }, 'postgresql://u@h/db', { mode: 'disable', rootCert: '/ca.pem' }],
  ];
  for (const [raw, env, connectionString, ssl] of cases) {
    const u = parseDatabaseUrl(raw, base, env);
    assert.equal(u.connectionString, connectionString, raw);
    const given = u.ssl === undefined ? undefined : Object.fromEntries(Object.entries(u.ssl).filter(([, v]) => v !== undefined));
    assert.deepEqual(given, ssl, raw);
  }
});

test('an unknown sslmode is a one-line error naming it and the accepted modes', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    ['postgresql://u:secret@h/db?sslmode=preferred', {}, /database URL "postgresql:\/\/u:\*\*\*@h\/db\?sslmode=preferred" has an unknown sslmode "preferred" \(accepted: disable, allow, prefer, require, verify-ca, verify-full, no-verify\)/],
    ['postgresql://u:secret@h/db', { PGSSLMODE: 'on' }, /^PGSSLMODE has an unknown sslmode "on" \(accepted: disable, allow, prefer/],
    ['postgresql://u:secret@h/db?sslmode=prefer', { PGSSLNEGOTIATION: 'direct' }, /^PGSSLNEGOTIATION has sslnegotiation=direct with the weak sslmode "prefer" \(from database URL /],
    ['postgresql://u:secret@h/db?sslmode=prefer&sslnegotiation=direct', {}, /sslnegotiation=direct with the weak sslmode "prefer"/],
  ];
  for (const [raw, env, message] of cases) {
    assert.throws(
      () => parseDatabaseUrl(raw, base, env),
      (e: unknown) => isRetortError(e) && e.code === 'URL' && message.test(e.message) && !e.message.includes('secret') && !e.message.includes('\n') && e.hint !== undefined,
      raw,
    );
  }
});

test("a URL that names a schema (Prisma's ?schema=, a search_path in ?options=) is refused: the config says which schema", () => {
  const cases: [string, RegExp][] = [
    ['postgresql://u:secret@h/db?schema=tenant1', /has \?schema=tenant1 \(Prisma's parameter\), which Retort does not read$/],
    ['postgresql://u:secret@h/db?options=-csearch_path%3Dtenant1', /sets search_path in \?options=, which would move Retort's tables away from the schema it reads$/],
  ];
  for (const [raw, message] of cases) {
    assert.throws(
      () => parseDatabaseUrl(raw, base),
      (e: unknown) => isRetortError(e) && e.code === 'URL' && message.test(e.message) && !e.message.includes('secret') && /retort\.config\.ts/.test(e.hint ?? ''),
      raw,
    );
  }
  // A second options parameter, and PGOPTIONS (which pg reads), are read too.
  assert.throws(() => parseDatabaseUrl('postgresql://u@h/db?options=-c%20x%3Dy&options=-c%20search_path%3Dfoo', base), /sets search_path in \?options=/);
  assert.throws(() => parseDatabaseUrl('postgresql://u@h/db', base, { PGOPTIONS: '-c search_path=foo' }), /^RetortError: PGOPTIONS sets search_path/);
  // Other options pass.
  assert.match(parseDatabaseUrl('postgresql://u@h/db?options=-cstatement_timeout%3D5000', base).connectionString ?? '', /options=/);
});
