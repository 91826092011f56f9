/**
 * Credentials in database URLs, found and masked in every spelling a URL can take, for messages. Depends on
 * nothing else in Retort, so drivers use it too.
 */
import type { DatabaseUrl } from '../dialects/contract/driver.js';

/**
 * Masks every credential a database URL can carry, in any spelling: the password of `scheme://user:password@host`
 * (the user information runs up to the last `@`, since a password may hold an unencoded `@`, `/`, `?` or `#`), the
 * value of a query parameter that names a password (`password=`, `sslpassword=`, the client key's passphrase), and
 * `password=` in a libpq `key=value` string. Masks too much rather than too little.
 */
export function maskUrl(url: string): string {
  const text = url.trim();
  if (KEY_VALUE.test(text)) return text.replace(KEY_VALUE_PASSWORD, '$1***');
  const span = passwordSpan(text);
  const withoutPassword = span ? `${text.slice(0, span.start)}***${text.slice(span.end)}` : text;
  return replaceSecretParameters(withoutPassword, () => '***');
}

/** A libpq connection string of `keyword=value` pairs (`host=db password=...`), which Retort does not read. */
/** A libpq `key=value` connection string (which Retort does not read, but must not print). */
export const KEY_VALUE = /^[a-z_]+\s*=/i;
/** A password-like keyword of such a string and its value, plain or quoted. */
const KEY_VALUE_PASSWORD = /(\b[a-z_]*pass[a-z_]*\s*=\s*)('(?:[^'\\]|\\.)*'?|\S*)/gi;

/**
 * Where the password of a `scheme://user:password@host` URL is: from the first `:` after `//` to the last `@`
 * (a password may hold an unencoded `@`, `/`, `?` or `#`). Null when there is none.
 */
function passwordSpan(text: string): { start: number; end: number } | null {
  const head = /^[a-z][a-z0-9+.-]*:\/\//i.exec(text)?.[0].length;
  if (head === undefined) return null;
  const at = text.lastIndexOf('@');
  const colon = text.indexOf(':', head);
  return colon >= 0 && colon < at ? { start: colon + 1, end: at } : null;
}

/** Whether a query parameter's value is a secret: libpq's password and sslpassword, or any name that says pass. */
function isSecretParameter(name: string): boolean {
  let decoded = name;
  try {
    decoded = decodeURIComponent(name);
  } catch {
    // A malformed escape: judge the name as written.
  }
  return /pass/i.test(decoded);
}

/**
 * `text` with the value of each secret query parameter (from its first `?` on, so also one a password's unencoded
 * `?` seems to start, and one before an `@` in a parameter) replaced by what `replace` returns for it.
 */
function replaceSecretParameters(text: string, replace: (value: string) => string): string {
  const q = text.indexOf('?');
  if (q < 0) return text;
  const pairs = text.slice(q + 1).split('&').map((pair) => {
    const eq = pair.indexOf('=');
    return eq >= 0 && isSecretParameter(pair.slice(0, eq)) ? `${pair.slice(0, eq + 1)}${replace(pair.slice(eq + 1))}` : pair;
  });
  return `${text.slice(0, q + 1)}${pairs.join('&')}`;
}

/**
 * The secrets a database URL holds (its password and password parameters), as written and decoded, for
 * scrubbing them out of a driver's messages. Secrets shorter than three characters are left out: replacing
 * them wherever they occur would garble the message without protecting anything.
 */
export function urlSecrets(raw: string): string[] {
  const text = raw.trim();
  const found: string[] = [];
  if (KEY_VALUE.test(text)) {
    for (const m of text.matchAll(KEY_VALUE_PASSWORD)) found.push(m[2]!.replace(/^'|'$/g, ''));
  } else {
    const span = passwordSpan(text);
    if (span) found.push(text.slice(span.start, span.end));
    replaceSecretParameters(text, (value) => {
      found.push(value);
      return value;
    });
  }
  const decoded = found.map((s) => {
    try {
      return decodeURIComponent(s.replace(/\+/g, ' '));
    } catch {
      return s;
    }
  });
  return [...new Set([...found, ...decoded])].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
}

/** Replaces every secret of `url` that occurs in `text` (a driver's message, a stack) with ***. */
export function hideSecrets(text: string, url: Pick<DatabaseUrl, 'raw' | 'masked'>): string {
  let out = url.raw !== '' ? text.split(url.raw).join(url.masked) : text;
  for (const secret of urlSecrets(url.raw)) out = out.split(secret).join('***');
  return out;
}


/**
 * The URL with its credentials taken out, for a file that is committed (the config `init` writes): the password
 * of `scheme://user:password@host` (the user stays) and every secret query parameter. `removed` says whether there
 * were any. A libpq `key=value` string (which Retort does not read) comes back as it is.
 */
export function urlWithoutSecrets(url: string): { url: string; removed: boolean } {
  const text = url.trim();
  if (KEY_VALUE.test(text)) return { url, removed: false };
  const span = passwordSpan(text);
  let out = span ? `${text.slice(0, span.start - 1)}${text.slice(span.end)}` : text;
  const q = out.indexOf('?');
  if (q >= 0) {
    const pairs = out.slice(q + 1).split('&').filter((pair) => {
      const eq = pair.indexOf('=');
      return !(eq >= 0 && isSecretParameter(pair.slice(0, eq)));
    });
    out = pairs.length > 0 ? `${out.slice(0, q + 1)}${pairs.join('&')}` : out.slice(0, q);
  }
  return { url: out, removed: out !== text };
}
