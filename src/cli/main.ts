/**
 * The `retort` command: commander wiring only. Each action loads the module
 * that does its work when it runs, so `retort --help` loads neither drivers
 * nor the TypeScript loader.
 */
import { createRequire } from 'node:module';
// require(), not import(): importing a CommonJS package from ESM makes Node scan it for named exports.
const { Command, CommanderError, InvalidArgumentError, Option } = createRequire(import.meta.url)('commander') as typeof import('commander');
type Command = import('commander').Command;
import { readFileSync } from 'node:fs';
import { reportError } from './output.js';
import { globalOptions, listingOptions, type ListingCommand } from './options.js';
import type { Project } from '../runtime/project.js';

interface GlobalOptions {
  config?: string;
  url?: string;
  debug?: boolean;
}

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

/** Loads the config and builds the Project a command works on. */
async function project(cmd: Command): Promise<Project> {
  const g = cmd.optsWithGlobals<GlobalOptions>();
  const [{ loadConfig }, { Project }, { workingFolder }] = await Promise.all([import('../config/load-config.js'), import('../runtime/project.js'), import('../config/config.js')]);
  return new Project(await loadConfig(workingFolder(), { config: g.config, url: g.url }));
}

const sqlOption = () => new Option('--sql', 'print the SQL instead of running it (no connection; a range from:to sets the start)');
const lockOption = () => new Option('--lock-timeout <seconds>', 'how long to wait for a migration in progress (the migration lock, or a lock on the database)').argParser((v) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('give a number of seconds');
  return n;
});

export function buildProgram(): Command {
  const program = new Command('retort')
    .description('Schema migrations for TypeScript projects on PostgreSQL and SQLite')
    .version(version(), '-V, --version')
    .showSuggestionAfterError()
    .exitOverride();
  for (const [flags, description] of globalOptions) program.option(flags, description);

  program
    .command('init')
    .description('create retort.config.ts, models/ and migrations/ in a folder')
    .argument('[dir]', 'folder to set up', '.')
    .option('--url <url>', 'database URL to write into the config', 'sqlite:///app.db')
    .option('--nested', 'set up a project even inside the folder of another one')
    .action(async (dir: string, opts: { url: string; nested?: boolean }) => (await import('./commands/revision-commands.js')).initCommand(dir, opts));

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
    .action(async (opts, cmd: Command) => (await import('./commands/revision-commands.js')).revisionCommand(await project(cmd), opts));

  program
    .command('merge')
    .description('create a revision that merges several heads into one')
    .argument('[revisions...]', 'revisions to merge', ['heads'])
    .requiredOption('-m, --message <message>', 'what the merge is for')
    .option('--rev-id <id>', 'use this revision id instead of a random one')
    .action(async (revs: string[], opts, cmd: Command) => (await import('./commands/revision-commands.js')).mergeCommand(await project(cmd), revs, opts));

  for (const [name, description] of [
    ['upgrade', 'apply revisions up to TARGET (head, heads, a revision, +N, label@head)'],
    ['downgrade', 'revert revisions down to TARGET (base, a revision, -N)'],
  ] as const) {
    program
      .command(name)
      .description(description)
      .argument('<target>', 'where to go; with --sql also from:to')
      .addOption(sqlOption())
      .addOption(lockOption())
      .option('--allow-changed', 'run even if an applied revision file changed since it ran')
      .action(async (target: string, opts: { sql?: boolean; lockTimeout?: number; allowChanged?: boolean }, cmd: Command) =>
        (await import('./commands/migrate-commands.js')).migrateCommand(await project(cmd), name === 'upgrade' ? 'up' : 'down', target, opts),
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
      (await import('./commands/migrate-commands.js')).stampCommand(await project(cmd), rev, opts),
    );

  program
    .command('current')
    .description("show the database's current revision(s)")
    .option('-v, --verbose', 'show each revision in full')
    .action(async (opts: { verbose?: boolean }, cmd: Command) => (await import('./commands/inspect-commands.js')).currentCommand(await project(cmd), opts));

  const listing = (name: ListingCommand, description: string): Command => {
    const cmd = program.command(name).description(description);
    for (const [flags, text] of listingOptions[name]) cmd.option(flags, text);
    return cmd;
  };

  listing('history', 'list revisions, newest first')
    .action(async (opts: { revRange?: string; verbose?: boolean; indicateCurrent?: boolean }, cmd: Command) =>
      (await import('./commands/inspect-commands.js')).historyCommand(await project(cmd), opts),
    );

  listing('heads', 'list the head revisions')
    .action(async (opts: { verbose?: boolean }, cmd: Command) => (await import('./commands/inspect-commands.js')).headsCommand(await project(cmd), opts));

  listing('branches', 'list branch points and the branches that leave them')
    .action(async (opts: { verbose?: boolean }, cmd: Command) => (await import('./commands/inspect-commands.js')).branchesCommand(await project(cmd), opts));

  program
    .command('show')
    .description('show one revision')
    .argument('<revision>', 'a revision id, prefix, head or label@head')
    .action(async (rev: string, _opts, cmd: Command) => (await import('./commands/inspect-commands.js')).showCommand(await project(cmd), rev));

  program
    .command('check')
    .description('exit 1 if the database does not match the models')
    .option('--diff', 'show a unified diff of the schema as SQL')
    .option('-v, --verbose', 'list the model files read and the tables in each')
    .addOption(lockOption())
    .action(async (opts: { diff?: boolean; lockTimeout?: number; verbose?: boolean }, cmd: Command) => (await import('./commands/check-command.js')).checkCommand(await project(cmd), opts));

  program
    .command('verify')
    .description('on a scratch database, upgrade, downgrade and upgrade again every revision; exit 1 at the first that does not restore the schema exactly')
    .option('--sql', 'also render every revision as a script (as upgrade --sql and downgrade --sql do)')
    .option('--json', 'print the report as one JSON document')
    .addHelpText('after', '\nWith --url, that database (which must be empty) is used and downgraded to base at the end; without it, verify creates a database beside the configured one and drops it.')
    .action(async (opts: { sql?: boolean; json?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals<GlobalOptions>();
      await (await import('./commands/verify-command.js')).verifyCommand({ ...opts, ...(g.config !== undefined ? { config: g.config } : {}), ...(g.url !== undefined ? { url: g.url } : {}) });
    });

  program
    .command('lint')
    .description('check revisions for changes that lock or rewrite busy tables, or break running code (offline)')
    .argument('[files...]', 'revision files to lint (default: the revisions not yet applied, or all when the database cannot be read)')
    .option('--range <from:to>', 'lint the revisions in a range instead (either side may be empty)')
    .option('--json', 'print one JSON document')
    .option('--format <format>', 'text, json or sarif (SARIF 2.1.0, for CI annotations)')
    .action(async (files: string[], opts: { range?: string; json?: boolean; format?: string }, cmd: Command) =>
      (await import('./commands/lint-command.js')).lintCommand(files, opts, cmd.optsWithGlobals<GlobalOptions>()),
    );

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

/** Runs the CLI; resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  const debug = argv.includes('--debug');
  if (argv.length <= 2) {
    program.outputHelp({ error: true });
    return 2;
  }
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === 'number' ? process.exitCode : 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help') return 0;
      return 2;
    }
    return reportError(e, debug);
  }
}
