/**
 * Options shared by the full CLI (registered with commander in main.ts) and
 * the quick path (parsed in quick.ts), so that the two accept the same spelling.
 */

/** An option as commander spells it (`-r, --rev-range <range>`), with its help text. */
export type OptionSpec = readonly [flags: string, description: string];

export const globalOptions: readonly OptionSpec[] = [
  ['-c, --config <file>', 'config file (default: retort.config.{ts,mts,js,mjs,json} in this folder or the nearest one above it)'],
  ['--url <url>', 'database URL (overrides RETORT_DATABASE_URL, DATABASE_URL and the config)'],
  ['--json', 'print the result (or the error) as one JSON document on stdout; progress stays on stderr'],
  ['--debug', 'print stack traces on errors'],
];

const verbose: OptionSpec = ['-v, --verbose', 'show each revision in full'];

/** The commands the quick path may run (listings of revision headers, and `current`), and their options. */
export const listingOptions = {
  current: [verbose],
  history: [
    ['-r, --rev-range <range>', 'only revisions in from:to (either side may be empty; current and -N read the database)'],
    verbose,
    ['-i, --indicate-current', 'mark the revision(s) the database is at (connects)'],
  ],
  heads: [verbose],
  branches: [verbose],
} as const satisfies Record<string, readonly OptionSpec[]>;

export type ListingCommand = keyof typeof listingOptions;
