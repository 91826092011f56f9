/** maskUrl and hideSecrets on every form a credential can take in a URL (the CLI tests run each form end to end). */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { hideSecrets, maskUrl, parseDatabaseUrl } from '../src/config/url.js';

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
