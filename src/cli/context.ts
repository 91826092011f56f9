/** What a CLI action hands its command: the options every use case takes, and how to render its report. */
import type { Command } from 'commander';
import type { CommandOptions } from '../commands/context.js';
import { printJson } from './json.js';

export interface CliContext {
  /** `--json`: render the report as one JSON document. */
  readonly json: boolean;
  readonly options: CommandOptions;
  /** Prints the report under --json and says true; false when the text rendering is the caller's. */
  renderJson(command: string, report: object): boolean;
}

interface GlobalOptions {
  config?: string;
  url?: string;
  json?: boolean;
}

/** The context of the command `cmd` was parsed into. */
export function cliContext(cmd: Command): CliContext {
  const g = cmd.optsWithGlobals<GlobalOptions>();
  const json = !!g.json;
  return {
    json,
    options: { ...(g.config !== undefined ? { config: g.config } : {}), ...(g.url !== undefined ? { url: g.url } : {}) },
    renderJson(command, report) {
      if (json) printJson(command, report);
      return json;
    },
  };
}
