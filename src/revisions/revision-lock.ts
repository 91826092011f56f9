/**
 * The lock that writing a revision takes: a file created exclusively inside the
 * migrations folder, so that two `retort revision` runs write one after the
 * other and the second builds on the first one's revision instead of making a
 * second head. The file holds the holder's pid and host; a holder that has died
 * (its pid is gone on this host) leaves a stale lock, which the next run removes.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, lstatSync, openSync, readFileSync, readlinkSync, statSync, unlinkSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { RetortError } from '../errors.js';
import { cannotWrite } from './revision-writer.js';

/** The lock file's name in the migrations folder; hidden, so the revision scanner never reads it. */
export const REVISION_LOCK_NAME = '.retort-revision.lock';

const POLL_MS = 100;
/** A lock file that cannot be read is one being written (created, not yet filled) or left half-written by a crash: only after this long is it stale. */
const UNREADABLE_STALE_MS = 10_000;

export interface RevisionLockOptions {
  /** How long to wait for another holder, in milliseconds. */
  readonly timeoutMs: number;
  /** Called once, when the lock is held by someone else, with who holds it. */
  readonly onWait?: (holder: string, lockFile: string) => void;
}

interface Holder {
  readonly pid: number;
  readonly host: string;
}

/** Runs `fn` holding the revision lock of the folder `dir`; the lock file is removed afterwards, whatever happens. */
export async function withRevisionLock<T>(dir: string, opts: RevisionLockOptions, fn: () => Promise<T> | T): Promise<T> {
  const release = await acquire(path.join(dir, REVISION_LOCK_NAME), opts);
  try {
    return await fn();
  } finally {
    release();
  }
}

async function acquire(file: string, opts: RevisionLockOptions): Promise<() => void> {
  // A token makes this holder's content unique, so release and stale-breaking never remove another holder's file.
  const mine = `${JSON.stringify({ pid: process.pid, host: os.hostname(), token: randomBytes(8).toString('hex') })}\n`;
  const started = Date.now();
  let told = false;
  for (;;) {
    if (tryCreate(file, mine)) {
      // process.exit() (e.g. a second Ctrl-C) skips `finally`: the exit handler still removes the file.
      const onExit = () => removeIfContent(file, mine);
      process.once('exit', onExit);
      return () => {
        process.off('exit', onExit);
        removeIfContent(file, mine);
      };
    }
    const seen = readLock(file);
    if (seen === null) {
      // Released between our attempt and the read: try again at once. Unless the name is a link to nothing, which
      // `wx` finds existing and reading finds missing, for ever (a loop at full CPU until killed).
      refuseLink(file);
      continue;
    }
    if (isStale(file, seen.holder)) {
      breakStaleLock(file, seen.content);
      continue;
    }
    const holder = describe(seen.holder);
    if (!told) {
      told = true;
      opts.onWait?.(holder, file);
    }
    const left = opts.timeoutMs - (Date.now() - started);
    if (left <= 0) {
      throw new RetortError('LOCK', `timed out after ${Math.round(opts.timeoutMs / 100) / 10}s waiting for the revision lock ${file}, held by ${holder}`, {
        hint: 'if no retort command is writing a revision there, delete the file; or raise lockTimeout in retort.config.ts',
      });
    }
    await sleep(Math.min(POLL_MS, left));
  }
}

/** A revision lock that is a symbolic link is none of Retort's (it creates a plain file): an error saying so. */
function refuseLink(file: string): void {
  let link: string | null = null;
  try {
    if (lstatSync(file).isSymbolicLink()) link = readlinkSync(file);
  } catch {
    return; // gone: released
  }
  if (link !== null) {
    throw new RetortError('LOCK', `the revision lock ${file} is a symbolic link (to ${link}), not a lock a retort command made`, {
      hint: `remove it (rm ${JSON.stringify(file)}) and run the command again`,
    });
  }
}

/** Creates the lock file with `content`; false when it exists already. */
function tryCreate(file: string, content: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw cannotWrite(file, e);
  }
  try {
    writeSync(fd, content);
  } catch (e) {
    closeSync(fd);
    unlinkQuietly(file);
    throw cannotWrite(file, e);
  }
  closeSync(fd);
  return true;
}

/** The lock file's text and its holder (null when the text is not a holder: being written, or damaged); null when there is no file. */
function readLock(file: string): { content: string; holder: Holder | null } | null {
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw cannotWrite(file, e);
  }
  return { content, holder: parseHolder(content) };
}

function parseHolder(content: string): Holder | null {
  try {
    const v = JSON.parse(content) as Partial<Holder>;
    return Number.isInteger(v.pid) && typeof v.host === 'string' ? { pid: v.pid!, host: v.host } : null;
  } catch {
    return null;
  }
}

/** A lock is stale when its holder was on this host and its process is gone, or when it has been unreadable for a while. */
function isStale(file: string, holder: Holder | null): boolean {
  if (holder === null) return ageMs(file) > UNREADABLE_STALE_MS;
  // Another host's pid means nothing here (a shared network folder): such a lock only times out.
  return holder.host === os.hostname() && !processAlive(holder.pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: the process exists but belongs to another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ageMs(file: string): number {
  try {
    return Date.now() - statSync(file).mtimeMs;
  } catch {
    return 0;
  }
}

/**
 * Removes a stale lock whose text is still `stale`. Two runs may find the same stale lock; a second, short-lived
 * guard file makes them break it one at a time, and the guard's holder checks that the text has not changed, so a
 * run never removes the fresh lock another run has just created in place of the stale one.
 */
function breakStaleLock(file: string, stale: string): void {
  const guard = `${file}.break`;
  let fd: number;
  try {
    fd = openSync(guard, 'wx', 0o644);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw cannotWrite(guard, e);
    // A guard is held for a moment; one this old was left by a run that died while breaking a lock.
    if (ageMs(guard) > UNREADABLE_STALE_MS) unlinkQuietly(guard);
    return;
  }
  try {
    closeSync(fd);
    if (readLock(file)?.content === stale) unlinkQuietly(file);
  } finally {
    unlinkQuietly(guard);
  }
}

function removeIfContent(file: string, content: string): void {
  try {
    if (readFileSync(file, 'utf8') === content) unlinkSync(file);
  } catch {
    // Already gone (or unreadable): nothing of ours to remove.
  }
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Gone already: what was wanted.
  }
}

function describe(holder: Holder | null): string {
  if (holder === null) return 'a process that has not written its pid (the file is being written, or was left damaged)';
  return holder.host === os.hostname() ? `pid ${holder.pid}` : `pid ${holder.pid} on ${holder.host}`;
}
