/** Scratch databases for `retort verify`: a file in a fresh temporary folder, removed with the folder. */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ScratchDatabase } from '../contract/driver.js';

/** Creates the folder; the database file appears when verify first connects. SQLite has no schemas to create. */
export async function createSqliteScratch(): Promise<ScratchDatabase> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'retort-verify-'));
  const file = path.join(dir, 'scratch.db');
  // sqlite:/// followed by an absolute path (`sqlite:////tmp/...`) names it from the root.
  const url = `sqlite:///${file}`;
  return {
    url,
    masked: url,
    // The folder also holds the journal and the migration lock's file.
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}
