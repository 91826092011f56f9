/**
 * The `retort` command: commander wiring only. Each action loads the module
 * that does its work when it runs, so `retort --help` loads neither drivers
 * nor the TypeScript loader.
 */
// Bundled into dist/bundle/retort.cjs (scripts/build.mjs), so V8's code cache covers it with Retort's own code.
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { packageVersion } from '../package-version.js';
import { RetortError } from '../errors.js';
import { reserveStdout, writeErr, writeOut } from './fd-write.js';
import { initOutput, reportError } from './output.js';
import { globalOptions, listingOptions, type ListingCommand } from './options.js';
import { cliContext } from './context.js';


const sqlOption = (range = 'a range from:to sets the start') => new Option('--sql', `print the SQL instead of running it (no connection; ${range})`);
const lockOption = () => new Option('--lock-timeout <seconds>', 'how long to wait for a migration in progress (the migration lock, or a lock on the database)').argParser((v) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('give a number of seconds');
  return n;
});

export function buildProgram(): Command {
  const program = new Command('retort')
    .description('Schema migrations for TypeScript projects on PostgreSQL and SQLite')
    .version(packageVersion(), '-V, --version')
    .showSuggestionAfterError()
    .configureOutput({ writeOut, writeErr })
    .exitOverride();
  for (const [flags, description] of globalOptions) program.option(flags, description);

  program
    .command('init')
    .description('create retort.config.ts, models/ and migrations/ in a folder')
    .argument('[dir]', 'folder to set up', '.')
    .option('--url <url>', 'database URL to write into the config (default: sqlite:///app.db)')
    .option('--nested', 'set up a project even inside the folder of another one')
    .option('--from-db <url>', 'adopt an existing database: pull its models and write a baseline revision, stamped (as pull --baseline)')
    .option('-m, --message <message>', 'with --from-db: the baseline revision\'s message', 'baseline')
    .option('--split <layout>', 'with --from-db: single, schema or table (as pull)')
    .option('--no-stamp', 'with --from-db: do not stamp the database at the baseline')
    .option('--exclude <names...>', 'with --from-db: tables and views to leave out (names or globs, as pull --exclude); written to the config\'s exclude')
    .option('--schemas <names>', 'with --from-db: named schemas to manage besides the default one, comma-separated (PostgreSQL); written to the config\'s schemas')
    .action(async (dir: string, opts: { url?: string; nested?: boolean; fromDb?: string; message: string; split?: string; stamp?: boolean; exclude?: string[]; schemas?: string }, cmd: Command) => {
      const commands = await import('./commands/revision-commands.js');
      // The global --url takes `init --url X` for itself when written after the command: read either.
      const url = opts.url ?? (cmd.optsWithGlobals() as { url?: string }).url ?? 'sqlite:///app.db';
      if (opts.fromDb !== undefined) return commands.initFromDbCommand(cliContext(cmd), dir, { ...opts, url, fromDb: opts.fromDb });
      if (opts.schemas !== undefined) throw new RetortError('USAGE', '--schemas is an option of init --from-db (the schemas the new config manages)', { hint: 'add --from-db <url>, or list the schemas in the config\'s schemas' });
      if (opts.exclude !== undefined) throw new RetortError('USAGE', '--exclude is an option of init --from-db (the tables to leave out of the pulled models)', { hint: 'add --from-db <url>, or list the tables in the config\'s exclude' });
      return commands.initCommand(cliContext(cmd), dir, { ...opts, url });
    });

  program
    .command('revision')
    .description('create a new revision file (empty, or --autogenerate from the models)')
    .requiredOption('-m, --message <message>', 'what the revision does')
    .option('--autogenerate', 'diff the models against the database and write the operations')
    .option('--head <rev>', 'the revision to build on (default: the single head)')
    .option('--splice', 'allow --head to name a revision that is not a head (starts a branch)')
    .option('--rev-id <id>', 'use this revision id instead of a random one')
    .option('--branch-label <label...>', 'branch labels for the new revision')
    .option('--depends-on <rev...>', 'revisions this one depends on besides its parent')
    .option('--allow-empty', 'with --autogenerate, write a file even when nothing changed')
    .option('-v, --verbose', 'with --autogenerate, list the model files read and the tables in each')
    .addOption(lockOption())
    .action(async (opts, cmd: Command) => (await import('./commands/revision-commands.js')).revisionCommand(cliContext(cmd), opts));

  program
    .command('merge')
    .description('create a revision that merges several heads into one')
    .argument('[revisions...]', 'revisions to merge', ['heads'])
    .requiredOption('-m, --message <message>', 'what the merge is for')
    .option('--rev-id <id>', 'use this revision id instead of a random one')
    .action(async (revs: string[], opts, cmd: Command) => (await import('./commands/revision-commands.js')).mergeCommand(cliContext(cmd), revs, opts));

  for (const [name, description] of [
    ['upgrade', 'apply revisions up to TARGET (head, heads, a revision, +N, label@head)'],
    ['downgrade', 'revert revisions down to TARGET (base, a revision, -N)'],
  ] as const) {
    program
      .command(name)
      .description(description)
      // A downgrade's start cannot be read offline: it needs the range, where an upgrade starts from base without one.
      .argument('<target>', name === 'upgrade' ? 'where to go; with --sql also from:to' : 'where to go; with --sql a range from:to (required: the database is not read)')
      .addOption(sqlOption(name === 'upgrade' ? 'a range from:to sets the start' : 'needs a range from:to'))
      .addOption(lockOption())
      .option('--allow-changed', 'run even if an applied revision file changed since it ran')
      .action(async (target: string, opts: { sql?: boolean; lockTimeout?: number; allowChanged?: boolean }, cmd: Command) =>
        (await import('./commands/migrate-commands.js')).migrateCommand(cliContext(cmd), name === 'upgrade' ? 'up' : 'down', target, opts),
      );
  }

  program
    .command('stamp')
    .description('set the version table to REVISION without running migrations')
    .argument('<revision>', 'a revision, head, heads or base')
    .option('--purge', 'empty the version table first (also when it names unknown revisions)')
    .addOption(sqlOption())
    .addOption(lockOption())
    .action(async (rev: string, opts: { purge?: boolean; sql?: boolean; lockTimeout?: number }, cmd: Command) =>
      (await import('./commands/migrate-commands.js')).stampCommand(cliContext(cmd), rev, opts),
    );

  const listing = (name: ListingCommand, description: string): Command => {
    const cmd = program.command(name).description(description);
    for (const [flags, text] of listingOptions[name]) cmd.option(flags, text);
    return cmd;
  };

  listing('current', "show the database's current revision(s)")
    .action(async (opts: { verbose?: boolean }, cmd: Command) => (await import('./commands/inspect-commands.js')).currentCommand(cliContext(cmd), opts));

  listing('history', 'list revisions, newest first')
    .action(async (opts: { revRange?: string; verbose?: boolean; indicateCurrent?: boolean }, cmd: Command) =>
      (await import('./commands/inspect-commands.js')).historyCommand(cliContext(cmd), opts),
    );

  listing('heads', 'list the head revisions')
    .action(async (opts: { verbose?: boolean }, cmd: Command) => (await import('./commands/inspect-commands.js')).headsCommand(cliContext(cmd), opts));

  listing('branches', 'list branch points and the branches that leave them')
    .action(async (opts: { verbose?: boolean }, cmd: Command) => (await import('./commands/inspect-commands.js')).branchesCommand(cliContext(cmd), opts));

  program
    .command('show')
    .description('show one revision')
    .argument('<revision>', 'a revision id, prefix, head or label@head')
    .action(async (rev: string, _opts, cmd: Command) => (await import('./commands/inspect-commands.js')).showCommand(cliContext(cmd), rev));

  program
    .command('check')
    .description('exit 1 if the database does not match the models')
    .option('--diff', 'show a unified diff of the schema as SQL')
    .option('-v, --verbose', 'list the model files read and the tables in each')
    .addOption(lockOption())
    .action(async (opts: { diff?: boolean; lockTimeout?: number; verbose?: boolean }, cmd: Command) => (await import('./commands/check-command.js')).checkCommand(cliContext(cmd), opts));

  program
    .command('verify')
    .description('on a scratch database, upgrade, downgrade and upgrade again every revision; exit 1 at the first that does not restore the schema exactly')
    .option('--sql', 'also render every revision as a script (as upgrade --sql and downgrade --sql do)')
    .addHelpText('after', '\nWith --url, that database (which must be empty) is used and downgraded to base at the end; without it, verify creates a database beside the configured one and drops it.')
    .action(async (opts: { sql?: boolean }, cmd: Command) => {
      const ctx = cliContext(cmd);
      const config = ctx.options.config;
      await (await import('./commands/verify-command.js')).verifyCommand({
        ...opts,
        json: ctx.json,
        ...(typeof config === 'string' ? { config } : {}),
        ...(ctx.options.url !== undefined ? { url: ctx.options.url } : {}),
      });
    });

  program
    .command('lint')
    .description('check revisions for changes that lock or rewrite busy tables, or break running code (offline)')
    .argument('[files...]', 'revision files to lint (default: the revisions not yet applied, or all when the database cannot be read)')
    .option('--range <from:to>', 'lint the revisions in a range instead (either side may be empty)')
    .option('--format <format>', 'text, json or sarif (SARIF 2.1.0, for CI annotations; --json is json)')
    .action(async (files: string[], opts: { range?: string; format?: string }, cmd: Command) => {
      const ctx = cliContext(cmd);
      const config = ctx.options.config;
      await (await import('./commands/lint-command.js')).lintCommand(files, { ...opts, json: ctx.json }, {
        ...(typeof config === 'string' ? { config } : {}),
        ...(ctx.options.url !== undefined ? { url: ctx.options.url } : {}),
      });
    });

  program
    .command('pull')
    .description('write model files from the live database (and, with --baseline, a first revision stamped on it)')
    .option('--out <dir>', 'folder for the model files (default: models/ beside the config)')
    .option('--schema <name>', 'PostgreSQL schema to read (default: the config\'s)')
    .addOption(new Option('--split <layout>', 'one file, one per schema, or one per table').choices(['single', 'schema', 'table']).default('single'))
    .option('--force', 'overwrite model files that exist')
    .option('--dry-run', 'print the files instead of writing them')
    .option('--baseline', 'also write a revision that creates the whole schema, and stamp the database at it')
    .option('-m, --message <message>', 'the baseline revision\'s message')
    .option('--no-stamp', 'with --baseline, do not stamp the database')
    .option('--exclude <names...>', 'tables and views to leave out (names or globs, as the config\'s exclude); added to the config\'s exclude')
    .action(async (opts, cmd: Command) => (await import('./commands/pull-command.js')).pullCommand(cliContext(cmd), opts));

  for (const cmd of [program, ...program.commands]) suggestPrefixes(cmd);
  return program;
}

/**
 * An unknown option that begins exactly one known option (`history --indicate`) gets that option as its
 * suggestion; commander suggests only near misspellings, and says nothing for a cut-short name.
 */
function suggestPrefixes(cmd: Command): void {
  // unknownOption is commander's own (untyped) hook for this message.
  const hooked = cmd as Command & { unknownOption(flag: string): never };
  const unknownOption = hooked.unknownOption.bind(cmd);
  hooked.unknownOption = (flag: string): never => {
    const known: string[] = [];
    for (let c: Command | null = cmd; c; c = c.parent) for (const o of c.options) if (o.long) known.push(o.long);
    const matches = flag.startsWith('--') ? known.filter((l) => l.startsWith(flag)) : [];
    if (matches.length === 1) cmd.error(`error: unknown option '${flag}'\n(Did you mean ${matches[0]}?)`, { code: 'commander.unknownOption', exitCode: 2 });
    return unknownOption(flag);
  };
}

/**
 * Ends the process as soon as Node finds nothing left to run ('beforeExit': no timer, socket, child or pending write
 * keeps it alive), with the same exit code and 'exit' handlers, skipping what a natural exit does after that: tearing
 * down V8's heap page by page (30 ms after a 1000-table autogenerate, more with a bigger heap). Only while nobody
 * else listens for 'beforeExit', since such a listener may schedule more work.
 */
function exitWhenIdle(): void {
  process.once('beforeExit', () => {
    if (process.listenerCount('beforeExit') === 0) process.exit();
  });
}

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  exitWhenIdle();
  await initOutput();
  const program = buildProgram();
  const debug = argv.includes('--debug');
  if (argv.length <= 2) {
    program.outputHelp({ error: true });
    return 2;
  }
  // Read from argv, not the parsed options: an error in parsing them is reported as JSON too.
  const json = argv.includes('--json');
  // The command an error document names: the first argument that is one (null when none is: `retort --json`).
  const commandNames = new Set(program.commands.map((c) => c.name()));
  const command = argv.slice(2).find((a) => commandNames.has(a)) ?? null;
  // `retort help nope`: commander prints the whole help and fails without a word; say which command is unknown.
  const helpFor = argv[2] === 'help' ? argv[3] : undefined;
  if (helpFor !== undefined && !helpFor.startsWith('-') && !commandNames.has(helpFor) && !program.commands.some((c) => c.aliases().includes(helpFor))) {
    return reportError(new RetortError('USAGE', `unknown command '${helpFor}'`, { hint: 'run `retort --help` for the commands' }), debug);
  }
  // A document on stdout: the user's code writing there (console.log in a revision) goes to stderr.
  if (json || argv.includes('--sql') || argv.some((a, i) => (a === '--format' && argv[i + 1] !== 'text') || (a.startsWith('--format=') && a !== '--format=text'))) reserveStdout();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // No command (only options such as --json or --url): the help on stderr, and a usage error.
      if (e.code === 'commander.help' && e.exitCode !== 0) {
        if (json) (await import('./json.js')).printJsonError(new RetortError('USAGE', 'no command given', { hint: 'run `retort --help` for the commands' }), null);
        return 2;
      }
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      // commander has written its message to stderr; under --json stdout gets it as a USAGE error.
      if (json) (await import('./json.js')).printJsonError(new RetortError('USAGE', e.message.replace(/^error: /, '')), command);
      return 2;
    }
    const code = reportError(e, debug);
    if (json) (await import('./json.js')).printJsonError(e, command);
    return code;
  }
}
