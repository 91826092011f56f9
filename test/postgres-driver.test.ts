/**
 * The PostgreSQL driver loads pg without leaving anything behind in the global scope, connects, and
 * follows libpq's sslmode: the SSL attempts for each mode, and `retort current` against the test
 * server (which has no SSL unless `SHOW ssl` says otherwise) with the modes that fall back or refuse.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { pgAdminUrl, pgQuery } from './helpers/db.js';
import { runCli, type CliResult } from './helpers/cli.js';
import { createProject, type TestProject } from './helpers/project.js';
import { parseDatabaseUrl } from '../src/config/url.js';
import type { SslSettings } from '../src/dialects/dialect.js';
import { sslAttempts, type SslAttempt } from '../src/dialects/postgres/postgres-driver.js';

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

test('each sslmode makes the attempts libpq makes, in its order', () => {
  // What an attempt checks: plain, SSL taking any certificate, SSL checking the chain, or the chain and the host name.
  const kind = (a: SslAttempt): string => {
    if (a === undefined) return 'pg default';
    if (a === false) return 'plain';
    if (a.rejectUnauthorized === false) return 'ssl';
    return a.checkServerIdentity === undefined ? 'verify-full' : 'verify-ca';
  };
  const files = (file: string) => `contents of ${file}`;
  const cases: [SslSettings | undefined, string[]][] = [
    [undefined, ['pg default']],
    [{ mode: 'disable' }, ['plain']],
    [{ mode: 'allow' }, ['plain', 'ssl']],
    [{ mode: 'prefer' }, ['ssl', 'plain']],
    [{ mode: 'require' }, ['ssl']],
    // libpq: sslmode=require with a root certificate behaves as verify-ca.
    [{ mode: 'require', rootCert: '/ca.pem' }, ['verify-ca']],
    [{ mode: 'verify-ca' }, ['verify-ca']],
    [{ mode: 'verify-full' }, ['verify-full']],
    [{ mode: 'verify-full', rootCert: 'system' }, ['verify-full']],
  ];
  for (const [ssl, expected] of cases) assert.deepEqual(sslAttempts(ssl, files).map(kind), expected, ssl?.mode ?? 'no sslmode');
  const [full] = sslAttempts({ mode: 'verify-full', rootCert: '/ca.pem', cert: '/c.pem', key: '/k.pem' }, files);
  assert.ok(full !== undefined && full !== false);
  assert.deepEqual([full.ca, full.cert, full.key], ['contents of /ca.pem', 'contents of /c.pem', 'contents of /k.pem']);
  const [system] = sslAttempts({ mode: 'verify-full', rootCert: 'system' }, files);
  assert.ok(system !== undefined && system !== false && system.ca === undefined, 'sslrootcert=system uses the trusted roots Node has');
});

describe('sslmode through the CLI', () => {
  let p: TestProject;
  let serverSsl: boolean;
  before(async () => {
    p = await createProject('postgresql');
    const r = await p.retort('upgrade', 'head');
    assert.equal(r.code, 0, r.stderr);
    serverSsl = (await pgQuery<{ ssl: string }>(p.url, 'SHOW ssl'))[0]?.ssl === 'on';
  });
  after(async () => {
    await p.cleanup();
  });

  const current = (query: string, env: Record<string, string> = {}): Promise<CliResult> => runCli(['--url', `${p.url}${query}`, 'current'], { cwd: p.dir, env });

  for (const mode of ['prefer', 'allow', 'disable']) {
    test(`sslmode=${mode} connects to a server without SSL, with no warning`, async () => {
      const r = await current(`?sslmode=${mode}`);
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stdout, /^e7b3a0d5c904/);
      assert.equal(r.stderr, '', 'nothing on stderr (pg prints a SECURITY WARNING for some sslmodes)');
    });
  }

  test('PGSSLMODE=prefer is read as libpq reads it, when the URL has no sslmode', async () => {
    const r = await current('', { PGSSLMODE: 'prefer' });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^e7b3a0d5c904/);
    assert.equal(r.stderr, '');
  });

  test('sslmode=require fails on a server without SSL with one line that says so, and a hint', async () => {
    const r = await current('?sslmode=require');
    if (serverSsl) {
      // A server with SSL on: require connects, whatever its certificate.
      assert.equal(r.code, 0, r.stderr);
      assert.equal(r.stderr, '');
      return;
    }
    assert.equal(r.code, 1);
    assert.equal(r.stdout, '');
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 2, r.stderr);
    assert.match(lines[0]!, /^error: cannot connect to postgresql:\/\/.*\?sslmode=require: the server does not support SSL connections$/);
    assert.match(lines[1]!, /^hint: .*sslmode=prefer/);
    assert.doesNotMatch(r.stderr, /SECURITY WARNING/);
  });

  test('an unknown sslmode is refused before connecting, naming the value and the accepted ones', async () => {
    const r = await current('?sslmode=preferred');
    assert.equal(r.code, 1);
    const lines = r.stderr.trimEnd().split('\n');
    assert.equal(lines.length, 2, r.stderr);
    assert.match(lines[0]!, /^error: database URL ".*" has an unknown sslmode "preferred" \(accepted: disable, allow, prefer, require, verify-ca, verify-full, no-verify\)$/);
    assert.match(lines[1]!, /^hint: /);
  });
});
