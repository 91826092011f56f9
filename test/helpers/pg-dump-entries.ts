/**
 * pg_dump --schema-only read as its entries, for comparing two databases' schemas whatever order their objects were
 * created in. pg_dump heads each object with `-- Name: x; Type: T; Schema: s; Owner: o`; an entry is that object's
 * statements. What the comparison ignores, and why:
 * - comments (`--` lines) and blank lines: the headers are read into the entry, the rest is layout;
 * - `SET` lines and `SELECT pg_catalog.set_config(...)`: the session pg_dump's output runs in, not the schema;
 * - `\restrict` / `\unrestrict`: a random key per run (pg_dump 17.6+);
 * - `ALTER ... OWNER TO`, `GRANT`, `REVOKE`: who owns the objects and who may use them (Retort creates objects as the
 *   user it connects as and manages no privileges; the dump is also taken with --no-owner --no-privileges);
 * - the order of the entries: pg_dump orders by dependencies and then by creation (OID), which differs between a
 *   database loaded from a file and one built by a revision; entries are sorted by type, name and text.
 */
import { execFileSync } from 'node:child_process';

/** One object of the dump: its header's type and name, and its statements as pg_dump writes them. */
export interface DumpEntry {
  readonly type: string;
  readonly name: string;
  readonly text: string;
}

const HEADER = /^-- (?:Data for )?Name: (.*); Type: (.*); Schema: .*; Owner: .*$/;
const IGNORED = [/^--/, /^\s*$/, /^SET /, /^SELECT pg_catalog\.set_config\(/, /^\\(un)?restrict /, /^ALTER .* OWNER TO /, /^(GRANT|REVOKE) /];

/** The entries of a pg_dump text, in the dump's order (lines before the first header are the session's: left out). */
export function dumpEntries(dump: string): DumpEntry[] {
  const out: { type: string; name: string; lines: string[] }[] = [];
  for (const line of dump.split('\n')) {
    const header = HEADER.exec(line);
    if (header) {
      out.push({ name: header[1]!, type: header[2]!, lines: [] });
      continue;
    }
    if (out.length === 0 || IGNORED.some((re) => re.test(line))) continue;
    out[out.length - 1]!.lines.push(line);
  }
  return out.map((e) => ({ type: e.type, name: e.name, text: e.lines.join('\n').trim() })).filter((e) => e.text !== '');
}

/** pg_dump --schema-only of a database as its entries, Retort's own tables left out. */
export function pgDumpEntries(url: string): DumpEntry[] {
  const text = execFileSync('pg_dump', ['--schema-only', '--no-owner', '--no-privileges', '-T', 'retort_version', '-T', 'retort_history', url], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  return dumpEntries(text);
}

/** Entries as one text, sorted, for an assert.equal whose diff names the objects that differ. */
export function entriesText(entries: readonly DumpEntry[]): string {
  return entries.map((e) => `-- ${e.type} ${e.name}\n${e.text}`).sort().join('\n\n');
}
