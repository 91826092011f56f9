/**
 * The quick path: `history`, `heads` and `branches` read only revision headers,
 * and `current` the version table besides, so they run from one CommonJS bundle
 * of this file (dist/quick.cjs) without commander, Node's ES module loader or
 * the rest of Retort: on 1000 revisions that is about a quarter of their time.
 * `current` loads only the dialect's connector (DialectConnector) and its driver.
 * It takes only the plain forms of those commands (the options of options.ts,
 * spelled out, before and after the command as commander takes them) and a
 * config that is plain data; for anything else, and for every error before the
 * database is asked, it answers null and bin/retort.cjs runs the full CLI, which
 * then does the whole command and reports as usual.
 */
import { findConfigFile, resolveConfig, workingFolder } from '../config/config.js';
import { readPlainConfigFile } from '../config/static-config.js';
import { retortBuild } from '../build-stamp.js';
import { openRevisionFolder, readRevisionGraph } from '../revisions/read-graph.js';
import { historyBounds } from '../revisions/revision-target.js';
import { branchPointInfos, revisionInfo } from '../revisions/revision-info.js';
import { Listing, historyNeedsDatabase } from './commands/listing.js';
import { globalOptions, listingOptions, type ListingCommand, type OptionSpec } from './options.js';
import { colourLevel, errorText, stylesAt, stylesFor } from './styles.js';
import { isRetortError } from '../errors.js';
import { Project } from '../runtime/project.js';
import { currentState } from '../runtime/current-heads.js';
import { stoppedText, type StoppedRevision } from '../runtime/history-table.js';
import { requireKnownHeads } from '../runtime/version-table.js';
import type { RevisionGraph } from '../revisions/revision-graph.js';
import type { RevisionFolder } from '../revisions/revision-scan.js';

type Values = Record<string, string | true>;

export interface QuickArgs {
  readonly command: ListingCommand;
  /** Program options (`config`, `url`, `debug`), keyed as commander keys them. */
  readonly global: Values;
  /** The command's options (`revRange`, `verbose`, `indicateCurrent`). */
  readonly options: Values;
}

interface Flag {
  readonly short: string | null;
  readonly long: string;
  readonly key: string;
  readonly takesValue: boolean;
}

function flagOf([flags]: OptionSpec): Flag {
  const m = /^(?:-(\w), )?--([a-z][a-z-]*)(?: <[^>]+>)?$/.exec(flags);
  if (!m) throw new Error(`option spelling the quick path cannot read: ${flags}`);
  return { short: m[1] ? `-${m[1]}` : null, long: `--${m[2]}`, key: m[2]!.replace(/-(\w)/g, (_, c: string) => c.toUpperCase()), takesValue: flags.includes('<') };
}

/**
 * Reads argv (without node and the script) as commander would, or returns null for any form it does not
 * take: help, version, unknown or repeated options, joined short flags (`-vi`), `--`, extra arguments, or a
 * value that starts with a dash. Declining is always safe: the full CLI runs instead.
 */
export function parseQuickArgs(args: readonly string[]): QuickArgs | null {
  const globals = globalOptions.map(flagOf);
  let i = 0;
  const global: Values = {};
  // Reads the option at args[i] into `into` and moves past it; false (args[i] untouched) when it is not one of
  // `flags`, or is spelled in a way this reader leaves to commander.
  const take = (flags: readonly Flag[], into: Values): boolean => {
    const arg = args[i]!;
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const flag = flags.find((f) => f.long === name || f.short === name);
    if (!flag || flag.key in into) return false;
    if (!flag.takesValue) {
      if (eq > 0) return false;
      into[flag.key] = true;
      i += 1;
      return true;
    }
    const value = eq > 0 ? arg.slice(eq + 1) : args[i + 1];
    if (value === undefined || value === '' || value.startsWith('-')) return false;
    into[flag.key] = value;
    i += eq > 0 ? 1 : 2;
    return true;
  };
  while (i < args.length && args[i]!.startsWith('-')) if (!take(globals, global)) return null;
  const command = args[i++];
  if (command === undefined || !Object.hasOwn(listingOptions, command)) return null;
  const name = command as ListingCommand;
  const own = (listingOptions[name] as readonly OptionSpec[]).map(flagOf);
  const options: Values = {};
  while (i < args.length) {
    if (!args[i]!.startsWith('-')) return null;
    // commander reads program options after the command too.
    if (!take(own, options) && !take(globals, global)) return null;
  }
  return { command: name, global, options };
}

/**
 * Runs `history`, `heads`, `branches` or `current` when argv is one of their plain forms and everything they need
 * is on disk (and, for `current`, in the database); writes the listing with `write` and resolves to the exit code.
 * Resolves to null, having written nothing, when the full CLI must run the command: other commands and forms, a
 * config that must be run (not plain data), a listing that reads the database (`-i`, `-r current:`, `history -v`
 * with a database URL, `current -v`), and any error before the database is asked, which the full CLI then reports
 * in its usual words. An error from reading the version table (connecting, a revision no file has) is written with
 * `writeError` as the full CLI writes it: running the command again there would wait for the database twice.
 */
export async function quickMain(
  argv: readonly string[],
  write: (text: string) => void,
  cwd?: string,
  writeError: (text: string) => void = (text) => void process.stderr.write(text),
): Promise<number | null> {
  const args = parseQuickArgs(argv.slice(2));
  if (!args) return null;
  const { command, global, options } = args;
  // --json renders the report of the full command layer.
  if (global.json === true) return null;
  const verbose = options.verbose === true;
  // `current -v` also reads the history table, which takes the whole dialect.
  if (command === 'current' && verbose) return null;
  const range = typeof options.revRange === 'string' ? options.revRange : undefined;
  if (historyNeedsDatabase({ revRange: range, indicateCurrent: options.indicateCurrent === true })) return null;
  let text: string;
  try {
    const folder = cwd ?? workingFolder();
    const file = findConfigFile(folder, typeof global.config === 'string' ? global.config : undefined);
    const raw = file ? readPlainConfigFile(file) : {};
    if (raw === null) return null;
    const config = resolveConfig(raw, file, folder, { url: typeof global.url === 'string' ? global.url : undefined });
    // `history -v` also says when each revision ran, which the database knows.
    if (command === 'history' && verbose && config.url !== null) return null;
    if (command === 'current') return await current(new Project(config), write, writeError, global.debug === true);
    const revisions = openRevisionFolder(config);
    const level = await colourLevel(1);
    const key = range === undefined ? listingKey(command, verbose, level, config.migrationsDir) : null;
    const kept = key === null ? null : revisions.derived(command, key);
    if (kept !== null) {
      text = kept;
    } else {
      const graph = readRevisionGraph(config, 'folder', revisions);
      const listing = new Listing(await stylesAt(level));
      if (command === 'history') {
        const { from, to } = range === undefined ? { from: null, to: null } : historyBounds(graph, [], range);
        text = listing.history(graph.history(from, to).map((h) => revisionInfo(graph, h)), verbose);
      } else if (command === 'heads') {
        text = listing.heads(graph.heads.map((id) => revisionInfo(graph, graph.require(id))), verbose);
      } else {
        text = listing.branches(branchPointInfos(graph), verbose);
      }
      if (key !== null) revisions.keepDerived(command, key, text);
    }
  } catch {
    return null;
  }
  if (text !== '') write(`${text}\n`);
  return 0;
}

/**
 * The key under which a listing's text is kept beside the header cache (RevisionFolder.derived): everything the text
 * depends on besides the headers, which the cache's generation stands for. A range (`-r`) is not kept: it is chosen
 * per run. Verbose blocks print paths relative to the working folder.
 */
function listingKey(command: ListingCommand, verbose: boolean, level: 0 | 1, migrationsDir: string): string {
  return JSON.stringify([command, verbose, level, migrationsDir, verbose ? process.cwd() : null, retortBuild()]);
}

// `current` as the full CLI prints it (inspect-commands.ts): each head with its tags, or that none is applied. The
// text printed for a set of heads is kept beside the header cache (RevisionFolder.derived), as the listings' is, so
// that with an unchanged migrations folder `current` reads no header and builds no graph: the folder is listed and
// checked while the connection opens, and the graph read only when no text is kept for the heads the database names.
async function current(project: Project, write: (text: string) => void, writeError: (text: string) => void, debug: boolean): Promise<number | null> {
  // Whatever fails before the database is asked (no URL, a URL no dialect reads, the revision files) is the full
  // CLI's to report.
  project.url();
  const config = project.config;
  // A changed folder has its graph read while the connection opens; a graph that fails stops the quick path (before
  // any statement is sent), as a failure before the database is asked.
  let folder: RevisionFolder | null = null;
  let graph: RevisionGraph | null = null;
  let graphFailed = false;
  const readFolder = () => {
    try {
      folder = openRevisionFolder(config);
      if (!folder.unchanged()) graph = readRevisionGraph(config, 'folder', folder);
    } catch (e) {
      graphFailed = true;
      throw e;
    }
  };
  let heads: string[];
  let stopped: StoppedRevision | null;
  try {
    ({ heads, stopped } = await currentState(project, null, readFolder));
  } catch (e) {
    if (graphFailed || !isRetortError(e)) return null;
    return reported(e, writeError, debug);
  }
  const revisions = folder ?? openRevisionFolder(config);
  const level = await colourLevel(1);
  const key = JSON.stringify([listingKey('current', false, level, config.migrationsDir), heads]);
  // A revision left part-way is said after the heads, never kept with them (its row is gone once a run moves on).
  const stoppedLine = async () => (stopped === null ? '' : `${(await stylesAt(level)).yellow(stoppedText(stopped))}\n`);
  const kept = revisions.derived('current', key);
  if (kept !== null) {
    write(kept + (await stoppedLine()));
    return 0;
  }
  let known: RevisionGraph;
  try {
    known = graph ?? readRevisionGraph(config, 'folder', revisions);
  } catch {
    return null;
  }
  // A head no file has: the full CLI shows it with the way out.
  if (heads.some((h) => !known.has(h))) return null;
  const listing = new Listing(await stylesAt(level));
  const text = heads.length === 0 ? 'base (no revision applied)\n' : `${heads.map((id) => listing.brief(revisionInfo(known, known.require(id)), false)).join('\n')}\n`;
  revisions.keepDerived('current', key, text);
  write(text + (await stoppedLine()));
  return 0;
}

/** Writes `e` as the full CLI would, and gives its exit code. */
async function reported(e: Parameters<typeof errorText>[0], writeError: (text: string) => void, debug: boolean): Promise<number> {
  const { text, exitCode } = errorText(e, debug, await stylesFor(2));
  writeError(text);
  return exitCode;
}
