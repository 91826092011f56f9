/** maskUrl and hideSecrets on every form a credential can take in a URL (the CLI tests run each form end to end). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { hideSecrets, maskUrl, parseDatabaseUrl } from '../src/config/url.js';
import { urlWithoutSecrets } from '../src/config/url-secrets.js';
import { runCli } from './helpers/cli.js';
import { createPgDatabase, pgQuery, tempDir } from './helpers/db.js';

test('maskUrl hides every credential and keeps the rest', () => {
  const cases: [string, string][] = [
    ['postgresql://u:s3cret@h/db', 'postgresql://u:***@h/db'],
    ['postgresql://u:p@ss@h:5432/db', 'postgresql://u:***@h:5432/db'],
    ['postgresql://u:a/b#c?d@h/db', 'postgresql://u:***@h/db'],
    ['postgresql://u@h/db?sslmode=disable&password=s3cret', 'postgresql://u@h/db?sslmode=disable&password=***'],
    ['postgresql://u@h/db?sslpassword=s3cret&application_name=x', 'postgresql://u@h/db?sslpassword=***&application_name=x'],
    ['postgresql://u@h/db?pass%77ord=s3cret', 'postgresql://u@h/db?pass%77ord=***'],
    ['postgresql://h/db?password=a@b', 'postgresql://h/db?password=***'],
    ["host=h password='a b' dbname=d", 'host=h password=*** dbname=d'],
    ['postgresql://u@h/db', 'postgresql://u@h/db'],
    ['sqlite:///app.db', 'sqlite:///app.db'],
  ];
  for (const [url, masked] of cases) assert.equal(maskUrl(url), masked, url);
});

test('hideSecrets takes the password and its decoded form out of a driver message', () => {
  const url = parseDatabaseUrl('postgresql://u:p%40ss%2Fword@h/db?sslpassword=k3yphrase', '/');
  assert.equal(hideSecrets('auth for p@ss/word and p%40ss%2Fword and k3yphrase failed', url), 'auth for *** and *** and *** failed');
});

test('urlWithoutSecrets keeps a URL whole but its password and password parameters (for the config init writes)', () => {
  const cases: [string, string, boolean][] = [
    ['postgresql://u:s3cret@h/db', 'postgresql://u@h/db', true],
    ['postgresql://u:p@ss@h:5432/db', 'postgresql://u@h:5432/db', true],
    ['postgresql://u@h/db?sslmode=disable&password=s3cret', 'postgresql://u@h/db?sslmode=disable', true],
    ['postgresql://u@h/db?password=s3cret', 'postgresql://u@h/db', true],
    ['postgresql://u@h/db', 'postgresql://u@h/db', false],
    ['sqlite:///app.db', 'sqlite:///app.db', false],
  ];
  for (const [url, kept, removed] of cases) assert.deepEqual(urlWithoutSecrets(url), { url: kept, removed }, url);
});

test('retort init and init --from-db write no password into the committed config, and say where it goes', async () => {
  const pg = await createPgDatabase();
  const { dir, cleanup } = tempDir();
  try {
    await pgQuery(pg.url, 'CREATE TABLE a (id integer PRIMARY KEY)');
    const withPassword = pg.url.replace('postgresql://postgres@', 'postgresql://postgres:Sup3rSecretXYZ@').replace(/^postgres:\/\/postgres@/, 'postgres://postgres:Sup3rSecretXYZ@');
    assert.match(withPassword, /Sup3rSecretXYZ/, 'the test URL carries a password');
    for (const args of [['init', 'plain', '--url', withPassword], ['init', 'adopted', '--from-db', withPassword]]) {
      const r = await runCli(args, { cwd: dir });
      assert.equal(r.code, 0, r.stderr);
      assert.match(r.stderr, /warning: the password in the URL is not written into retort\.config\.ts/);
      const config = readFileSync(path.join(dir, args[1]!, 'retort.config.ts'), 'utf8');
      assert.doesNotMatch(config, /Sup3rSecretXYZ/);
      assert.match(config, /PGPASSWORD/);
    }
    assert.ok(existsSync(path.join(dir, 'adopted', 'models')), 'init --from-db read the database with the URL given');
  } finally {
    cleanup();
    await pg.drop();
  }
});
