/**
 * The PostgreSQL driver: one `pg.Client` per connection (the first of the
 * attempts the sslmode calls for that connects), connection failures turned
 * into one-line RetortErrors that name the masked URL and say why.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import type { Socket } from 'node:net';
import type pgModule from 'pg';
import { hideSecrets } from '../../config/url-secrets.js';
import type { DatabaseUrl, SslSettings } from '../contract/driver.js';
import { RetortError, isRetortError } from '../../errors.js';
import type { Connection } from '../dialect.js';

type Pg = typeof pgModule;

/**
 * pg asks at load time whether it runs in a Cloudflare Worker. Where `navigator` is missing (Node
 * 20) it builds a `Response` to find out, which loads Node's whole fetch implementation: about
 * 35 ms on every command that connects. A Node-like `navigator` for that moment answers the
 * question the same way (not a Worker) and is removed afterwards.
 */
async function loadPg(): Promise<Pg> {
  const g = globalThis as { navigator?: unknown };
  const present = 'navigator' in g;
  if (!present) Object.defineProperty(g, 'navigator', { value: { userAgent: 'Node.js' }, configurable: true, writable: true });
  try {
    // bin/retort.cjs lends pg compiled with a code cache (dist/pg.cjs); a program that imports the package (and the
    // tests) import it as a package.
    const viaBin = (globalThis as { __retortLoadPg?: () => Pg | null }).__retortLoadPg?.();
    return viaBin ?? (await import('./pg-lib.js')).default;
  } finally {
    if (!present) delete g.navigator;
  }
}

// Loaded on the first connection, not when the dialect loads: lint and `--sql` compile without connecting, and
// loading pg cost them about 80 ms of CPU. Under bin/retort.cjs it comes from dist/pg.cjs with its own code cache, so
// a connection no longer resolves, reads and compiles pg's 30 files: about 20 ms of each command that connects.
let pgMemo: Pg | null = null;
const pgLib = async (): Promise<Pg> => (pgMemo ??= await loadPg());

/** The application_name Retort's sessions carry, so a lock holder is recognisable in pg_stat_activity. */
export const APPLICATION_NAME = 'retort';

const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * Every literal Retort writes assumes standard_conforming_strings = on (a backslash is a plain character). A
 * database or role set to off would read `'x\'; DROP TABLE t; --'` as a literal that ends after the DROP, so
 * each session sets it before anything else, and a `--sql` script begins with it.
 */
export const STANDARD_STRINGS_SQL = 'SET standard_conforming_strings = on';

/**
 * client_connection_check_interval (PostgreSQL 14, on Linux): while a statement runs, the server checks every
 * second that the client is still there, and ends the session (rolling back) when it is gone. A revision travels
 * with its COMMIT in one request, so without it a killed `retort upgrade` would run on to the end and commit.
 * Older servers and other platforms do not have it: there the session goes on without the check.
 */
const CHECK_CLIENT_SQL = `SELECT set_config('client_connection_check_interval', '1000', false) WHERE current_setting('server_version_num')::integer >= 140000`;

/** Makes the session settings above, in one round trip; the check is dropped where the server refuses it. */
// The server's version in the same round trip: the introspector names pg_index.indnullsnotdistinct directly on 15
// and later, where it would otherwise read it through to_jsonb of each index's row (13 ms of server CPU at 1000 tables).
const SERVER_VERSION_SQL = `SELECT current_setting('server_version_num')::integer AS version`;

/** Sets up the session; returns the server's version number, undefined when the setup had to be retried without it. */
async function setUpSession(client: pgModule.Client): Promise<number | undefined> {
  try {
    const results = (await client.query(`${STANDARD_STRINGS_SQL};\n${CHECK_CLIENT_SQL};\n${SERVER_VERSION_SQL}`)) as unknown as pgModule.QueryResult[];
    const version = (results[results.length - 1]?.rows[0] as { version?: unknown } | undefined)?.version;
    return typeof version === 'number' ? version : undefined;
  } catch {
    // The statements ran in one implicit transaction, which the refusal rolled back: set the one that matters again.
    await client.query(STANDARD_STRINGS_SQL);
    return undefined;
  }
}

/**
 * pg's `ssl` option for one connection attempt: false for a plain connection, TLS options for SSL,
 * undefined to leave it to pg (a URL without an sslmode connects as it always has).
 */
export type SslAttempt = false | ConnectionOptions | undefined;

/**
 * sslAttempts lists the connections libpq would try for an sslmode, in order. pg knows no fallback
 * (and reads `prefer`, `require` and `verify-ca` as `verify-full`), so Retort makes each attempt with
 * its own client: `allow` is plain, then SSL if the server refused; `prefer` is SSL, then plain.
 * `readFile` reads the certificate files named by sslrootcert, sslcert and sslkey.
 */
export function sslAttempts(ssl: SslSettings | undefined, readFile: (file: string) => string): SslAttempt[] {
  if (ssl === undefined) return [undefined];
  // No certificate file is read for a connection that uses no SSL (a stale PGSSLROOTCERT must not stop it).
  if (ssl.mode === 'disable') return [false];
  const files: ConnectionOptions = {};
  if (ssl.cert !== undefined) files.cert = readFile(ssl.cert);
  if (ssl.key !== undefined) files.key = readFile(ssl.key);
  // sslrootcert=system (libpq 16) means the system's trusted roots, which are Node's default too.
  const ca = ssl.rootCert === undefined || ssl.rootCert === 'system' ? undefined : readFile(ssl.rootCert);
  const unverified: ConnectionOptions = { ...files, rejectUnauthorized: false };
  // verify-ca checks the chain, not the name: the certificate may carry any host name.
  const verifyCa: ConnectionOptions = { ...files, ...(ca === undefined ? {} : { ca }), rejectUnauthorized: true, checkServerIdentity: () => undefined };
  switch (ssl.mode) {
    case 'allow':
      return [false, unverified];
    case 'prefer':
      return [unverified, false];
    case 'require':
      // libpq: "if a root CA file exists, the behavior of sslmode=require will be the same as that of verify-ca".
      return [ca === undefined ? unverified : verifyCa];
    case 'verify-ca':
      return [verifyCa];
    case 'verify-full':
      return [{ ...files, ...(ca === undefined ? {} : { ca }), rejectUnauthorized: true }];
  }
}

/** connectPostgres opens one client; throws RetortError('CONNECTION') on failure. */
export async function connectPostgres(url: DatabaseUrl): Promise<Connection> {
  if (url.connectionString === undefined) {
    throw new RetortError('URL', `database URL "${url.masked}" is not a PostgreSQL URL`);
  }
  const base = {
    connectionString: url.connectionString,
    // A URL's own application_name wins over this one (pg merges the URL last).
    application_name: APPLICATION_NAME,
    connectionTimeoutMillis: connectTimeoutMs(url.connectionString),
    ...(url.ssl?.negotiation === undefined ? {} : { sslnegotiation: url.ssl.negotiation }),
  };
  // An idle client whose server goes away emits 'error'; without a listener Node would crash the process.
  let lost: Error | null = null;
  const { client, config } = await open(url, base, (e) => {
    lost = e;
  });
  let serverVersion: number | undefined;
  try {
    serverVersion = await setUpSession(client);
  } catch (e) {
    await client.end().catch(() => undefined);
    throw connectionError(url, client, e);
  }
  // Which request is on the server now (for cancel): a number per request, and whether one is running.
  let sent = 0;
  let running = false;
  const tracked = async <T>(request: Promise<T>): Promise<T> => {
    sent++;
    running = true;
    try {
      return await request.catch((e: unknown) => {
        throw connectionLost(e) ? lostConnection(url, e) : withDetail(e);
      });
    } finally {
      running = false;
    }
  };
  return {
    ...(serverVersion !== undefined ? { serverVersion } : {}),
    async query<R>(sql: string, params?: readonly unknown[]): Promise<R[]> {
      if (lost) throw lostConnection(url, lost);
      const result = (await tracked(client.query(sql, params === undefined ? undefined : [...params]))) as pgModule.QueryResult | pgModule.QueryResult[];
      // A string of several statements returns one result each; the last one's rows are the answer.
      const last = Array.isArray(result) ? result[result.length - 1] : result;
      return (last?.rows ?? []) as R[];
    },
    // One string through the simple query protocol: the server runs the statements one after the
    // other and pg returns one result each (a single result, not an array, for one statement).
    async queryBatch(statements: readonly string[]): Promise<Record<string, unknown>[][]> {
      if (statements.length === 0) return [];
      if (lost) throw lostConnection(url, lost);
      const result = (await tracked(client.query(statements.join('\n;\n')))) as pgModule.QueryResult | pgModule.QueryResult[];
      const results = Array.isArray(result) ? result : [result];
      if (results.length !== statements.length) {
        throw new Error(`internal: a batch of ${statements.length} statements returned ${results.length} results`);
      }
      return results.map((r) => r.rows as Record<string, unknown>[]);
    },
    // PostgreSQL's own way to stop a statement: another session asks the server to cancel this one's
    // (the statement fails with "canceling statement due to user request"; an idle session is left alone).
    // Only the request running when Ctrl-C came is cancelled: opening the second session takes a few
    // milliseconds, and by then the runner may have moved on to its ROLLBACK, which must not be cancelled.
    async cancel(): Promise<void> {
      const pid = (client as unknown as { processID?: number | null }).processID;
      if (typeof pid !== 'number' || !running) return;
      const target = sent;
      const other = new ((await pgLib()).Client)(config);
      other.on('error', () => undefined);
      try {
        await other.connect();
        if (running && sent === target) await other.query('SELECT pg_cancel_backend($1)', [pid]);
      } finally {
        await other.end().catch(() => undefined);
      }
    },
    // pg's end() resolves when the server has closed its side of the socket, 15-35 ms after Terminate (the backend
    // ends its session first), which every command waited for before exiting. The session's transaction and locks are
    // ended before close (COMMIT or ROLLBACK, unlock), so nothing is left to wait for: Terminate is written, the socket
    // no longer keeps the process alive, and the server's close is left to end in the background.
    async close(): Promise<void> {
      const stream = (client as unknown as { connection?: { stream?: Socket } }).connection?.stream;
      const ended = client.end();
      ended.catch(() => undefined);
      if (stream === undefined || typeof stream.unref !== 'function') return ended;
      stream.unref();
      if (stream.destroyed || stream.writableFinished) return;
      await new Promise<void>((resolve) => {
        stream.once('finish', resolve);
        stream.once('close', resolve);
        stream.once('error', () => resolve());
      });
    },
  };
}

/**
 * open makes the sslmode's connection attempts in turn and returns the first client that connects.
 * A server that cannot be reached is not tried again: every attempt would fail the same way.
 */
async function open(url: DatabaseUrl, base: pgModule.ClientConfig, onError: (e: Error) => void): Promise<{ client: pgModule.Client; config: pgModule.ClientConfig }> {
  const attempts = sslAttempts(url.ssl, (file) => readCertificate(url, file));
  let first: { client: pgModule.Client; error: unknown } | null = null;
  for (const [i, ssl] of attempts.entries()) {
    const config = ssl === undefined ? base : { ...base, ssl };
    const client = new ((await pgLib()).Client)(config);
    // A failed attempt's socket may still report an error after it is given up; that is no lost connection.
    client.on('error', () => undefined);
    try {
      await client.connect();
      client.on('error', onError);
      return { client, config };
    } catch (e) {
      await client.end().catch(() => {});
      if (i < attempts.length - 1 && !unreachable(e)) {
        first ??= { client, error: e };
        continue;
      }
      // After a fallback the first attempt's failure explains more than the server's lack of SSL:
      // sslmode=allow against a server that refused the plain connection and has no SSL either.
      const why = first !== null && noSsl(e) ? first : { client, error: e };
      throw connectionError(url, why.client, why.error);
    }
  }
  throw new Error('internal: an sslmode with no connection attempt');
}

/** readCertificate reads a file named by sslrootcert, sslcert or sslkey (relative to the current folder, as libpq). */
function readCertificate(url: DatabaseUrl, file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as { code?: string }).code;
    throw new RetortError('CONFIG', `cannot read the SSL certificate or key file "${file}" named for ${url.masked}${code ? ` (${code})` : ''}`, {
      hint: 'check the sslrootcert, sslcert and sslkey paths in the URL (or PGSSLROOTCERT, PGSSLCERT, PGSSLKEY)',
    });
  }
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT']);

/** Whether a connect failed before any server answered (so another attempt would fail the same way). */
function unreachable(e: unknown): boolean {
  const code = errorCode(e);
  return (code !== undefined && NETWORK_CODES.has(code)) || /timeout/i.test((e as PgLikeError | null)?.message ?? '');
}

/** Whether a connect failed because the server answered an SSL request with "no SSL here". */
function noSsl(e: unknown): boolean {
  return /does not support SSL/i.test((e as PgLikeError | null)?.message ?? '');
}

// Node reports a refused localhost as an AggregateError over IPv4 and IPv6, with the code on the inner errors.
function errorCode(e: unknown): string | undefined {
  const err = (e ?? {}) as PgLikeError;
  return err.code ?? err.errors?.find((x) => x.code)?.code;
}

function connectTimeoutMs(connectionString: string): number {
  try {
    const s = new URL(connectionString).searchParams.get('connect_timeout');
    if (s !== null && /^\d+$/.test(s) && Number(s) > 0) return Number(s) * 1000;
  } catch {
    // parseDatabaseUrl already validated the URL; fall through to the default.
  }
  return DEFAULT_CONNECT_TIMEOUT_MS;
}

interface PgLikeError {
  code?: string;
  message?: string;
  errors?: PgLikeError[];
}

/**
 * Whether a request failed because the session ended under it: the server ended it (a FATAL error, such as
 * pg_terminate_backend's), or the network or a proxy dropped it (pg's own messages, a connection-class SQLSTATE).
 */
function connectionLost(e: unknown): boolean {
  const err = (e ?? {}) as PgLikeError & { severity?: string };
  if (err.severity === 'FATAL' || err.severity === 'PANIC' || /^08/.test(err.code ?? '')) return true;
  const code = errorCode(e);
  if (code === 'ECONNRESET' || code === 'EPIPE' || (code !== undefined && NETWORK_CODES.has(code))) return true;
  return /Connection terminated|not queryable|connection error/i.test(err.message ?? '');
}

/**
 * The error for a lost connection. What the server did with the work it had is unknown: it may have committed
 * just before the connection went, or rolled back when it noticed. The version table says which.
 */
function lostConnection(url: DatabaseUrl, e: unknown): RetortError {
  return new RetortError('CONNECTION', `lost the connection to ${url.masked} (${scrub((e as PgLikeError | null)?.message, url) || 'no reason given'}); whether the server committed the work in progress is unknown`, {
    hint: 'run `retort current` to see where the database stands (its version table is the truth), then run the command again',
    cause: scrubError(e, url),
  });
}

/**
 * For the clean-up after a run (unlocking, resetting a setting): what it undoes ended with a lost session, and the
 * error that reported the loss, already on its way, is the one to show. Any other failure is thrown.
 */
export function unlessLost(e: unknown): void {
  if (!isRetortError(e) || e.code !== 'CONNECTION') throw e;
}

/** connectionError explains a failed connect in plain words, never including the password. */
export function connectionError(url: DatabaseUrl, client: pgModule.Client, e: unknown): RetortError {
  const err = (e ?? {}) as PgLikeError;
  const code = errorCode(e);
  const host = client.host || 'localhost';
  const where = host.startsWith('/') ? `the socket in ${host}` : `${host}:${client.port}`;
  const user = client.user ?? '';
  const database = client.database ?? '';
  const fail = (why: string, hint?: string) =>
    new RetortError('CONNECTION', `cannot connect to ${url.masked}: ${why}`, hint === undefined ? { cause: scrubError(e, url) } : { hint, cause: scrubError(e, url) });
  switch (code) {
    case 'ECONNREFUSED':
      return fail(`connection refused (is the server running at ${where}?)`, 'start PostgreSQL or fix the host and port in the URL');
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return fail(`cannot reach ${where} (${code === 'ENETUNREACH' ? 'network' : 'host'} unreachable)`, 'check the host in the URL and the network');
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return fail(`host "${host}" not found`, 'check the host name in the URL');
    case 'ETIMEDOUT':
      return fail(`timed out connecting to ${where}`, 'check the host, port and firewall; add ?connect_timeout=SECONDS to wait longer');
    case '28P01':
      return fail(`password authentication failed for user "${user}"`, 'check the user and password in the URL');
    case '28000':
      return fail(`the server refused user "${user}": ${scrub(err.message, url)}`, 'check the user in the URL and the server\'s pg_hba.conf');
    case '3D000':
      return fail(`database "${database}" does not exist`, `create it first: createdb ${database}`);
  }
  const message = scrub(err.message, url);
  if (noSsl(e)) {
    return fail('the server does not support SSL connections', 'turn on ssl in the server\'s postgresql.conf, or use sslmode=prefer (SSL when the server has it) or sslmode=disable');
  }
  if (/timeout/i.test(message)) {
    return fail(`timed out connecting to ${where}`, 'check the host, port and firewall; add ?connect_timeout=SECONDS to wait longer');
  }
  return fail(message || 'unknown error');
}

/**
 * PostgreSQL often says why in its DETAIL line ("Key columns "author_id" and "id" are of incompatible
 * types: text and uuid."): it goes into the message, which is all a user sees. The error stays the same
 * object (its SQLSTATE code included).
 */
function withDetail(e: unknown): never {
  const err = e as { message?: unknown; detail?: unknown };
  if (e instanceof Error && typeof err.detail === 'string' && err.detail !== '' && !e.message.includes(err.detail)) e.message = `${e.message} (${err.detail})`;
  throw e;
}

// pg's messages do not contain the password, but a connection string echoed back might: mask it to be sure.
function scrub(message: string | undefined, url: DatabaseUrl): string {
  return hideSecrets((message ?? '').replace(/\s*\n\s*/g, ' ').trim(), url);
}

/** The driver's error with the URL's secrets taken out of its message and stack (and its inner errors'), for --debug. */
function scrubError(e: unknown, url: DatabaseUrl): unknown {
  if (!(e instanceof Error)) return e;
  e.message = hideSecrets(e.message, url);
  if (typeof e.stack === 'string') e.stack = hideSecrets(e.stack, url);
  const inner = (e as { errors?: unknown }).errors;
  if (Array.isArray(inner)) for (const one of inner) scrubError(one, url);
  return e;
}
