/**
 * Scratch databases for `retort verify`: a uniquely named database created on the server the configured URL
 * names, with its credentials, and dropped afterwards.
 */
import { randomBytes } from 'node:crypto';
import { RetortError, messageOf } from '../../errors.js';
import type { DatabaseUrl, ScratchDatabase } from '../contract/driver.js';
import type { Connection } from '../dialect.js';
import { connectPostgres } from './postgres-driver.js';
import { quoteIdentifier } from './postgres-sql.js';

/** The prefix of every scratch database's name, so a left-over one (the process was killed) is easy to find. */
export const SCRATCH_PREFIX = 'retort_verify_';

/** The same URL naming another database (the path of a PostgreSQL URL is the database name). */
function withDatabase(text: string, name: string): string {
  const u = new URL(text);
  u.pathname = `/${encodeURIComponent(name)}`;
  return u.toString();
}

function onDatabase(url: DatabaseUrl, name: string): DatabaseUrl {
  return {
    ...url,
    raw: withDatabase(url.raw, name),
    masked: withDatabase(url.masked, name),
    ...(url.connectionString === undefined ? {} : { connectionString: withDatabase(url.connectionString, name) }),
  };
}

/**
 * A connection to run CREATE and DROP DATABASE from: the configured database, else the server's `postgres`
 * database (in CI the configured one often does not exist yet). The first failure is the one reported.
 */
async function maintenance(url: DatabaseUrl): Promise<Connection> {
  try {
    return await connectPostgres(url);
  } catch (first) {
    try {
      return await connectPostgres(onDatabase(url, 'postgres'));
    } catch {
      throw first;
    }
  }
}

/** `retort_verify_<utc time>_<random>`: unique, under PostgreSQL's 63 bytes, and dated for a manual clean-up. */
function scratchName(): string {
  const stamp = new Date().toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `${SCRATCH_PREFIX}${stamp}_${randomBytes(4).toString('hex')}`;
}

/** Creates the scratch database (and `schema` in it); its drop() forces out any session left on it. */
export async function createPostgresScratch(url: DatabaseUrl, opts: { readonly schema?: string | undefined }): Promise<ScratchDatabase> {
  const name = scratchName();
  const admin = await maintenance(url);
  try {
    await admin.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
  } catch (e) {
    throw new RetortError('CONNECTION', `cannot create a scratch database on ${url.masked}: ${messageOf(e)}`, {
      hint: 'verify needs a role that may CREATE DATABASE (or pass --url with an empty database it may use)',
    });
  } finally {
    await admin.close();
  }
  const scratch = onDatabase(url, name);
  const drop = async (): Promise<void> => {
    const conn = await maintenance(url);
    try {
      // WITH (FORCE) is PostgreSQL 13's; older servers drop it plainly (verify has closed its own sessions).
      await conn.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`).catch(() => conn.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)}`));
    } finally {
      await conn.close();
    }
  };
  if (opts.schema !== undefined) {
    try {
      const conn = await connectPostgres(scratch);
      try {
        await conn.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdentifier(opts.schema)}`);
      } finally {
        await conn.close();
      }
    } catch (e) {
      await drop().catch(() => undefined);
      throw e;
    }
  }
  return { url: scratch.raw, masked: scratch.masked, drop };
}
