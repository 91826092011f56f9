/**
 * This build of Retort, for the caches whose content depends on Retort's code (the kept listings, the remembered
 * verdicts): its version and the stamp of the file this code runs from, the bundle (dist/bundle/retort.cjs,
 * dist/quick.cjs) or, compiled file by file, this module, which every build writes again. The stamp holds the size,
 * the modification and status-change times and the inode: npm installs every file with the same fixed modification
 * time, but a write or an install always sets the ctime.
 */
import { statSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { packageVersion } from './package-version.js';

let memo: string | null = null;

export function retortBuild(): string {
  if (memo !== null) return memo;
  // In the quick path's CommonJS bundle `import.meta` is empty and __filename names the bundle.
  const self = import.meta.url ? fileURLToPath(import.meta.url) : __filename;
  let stamp = '?';
  try {
    const st = statSync(self);
    stamp = `${st.size} ${st.mtimeMs} ${st.ctimeMs} ${st.ino}`;
  } catch {
    // No file to stamp: every run has the same '?', and the version still keys the build.
  }
  memo = `${packageVersion(pathToFileURL(self).href)} ${stamp}`;
  return memo;
}
