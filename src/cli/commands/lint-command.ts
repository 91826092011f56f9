/** lint: wiring and output (text, --json, --format sarif); exit 1 when there are errors. */
import { packageVersion } from '../../package-version.js';
import { workingFolder } from '../../config/config.js';
import { RetortError } from '../../errors.js';
import { lint, type LintReport } from '../../commands/lint.js';
import type { LintFinding } from '../../lint/lint-revisions.js';
import { info, out, print, warn } from '../output.js';
import { lintSarif } from '../lint-sarif.js';

export interface LintCommandOptions {
  range?: string;
  json?: boolean;
  format?: string;
}

const FORMATS = ['text', 'json', 'sarif'];

export async function lintCommand(files: string[], opts: LintCommandOptions, global: { config?: string | undefined; url?: string | undefined }): Promise<void> {
  const format = opts.json ? 'json' : (opts.format ?? 'text');
  if (!FORMATS.includes(format)) throw new RetortError('USAGE', `--format ${format} is not a format lint writes`, { hint: `use one of ${FORMATS.join(', ')}` });
  if (opts.json && opts.format !== undefined && opts.format !== 'json') throw new RetortError('USAGE', `--json and --format ${opts.format} ask for two formats`, { hint: 'give one' });
  const report = await lint({
    cwd: workingFolder(),
    ...(global.config !== undefined ? { config: global.config } : {}),
    ...(global.url !== undefined ? { url: global.url } : {}),
    ...(opts.range !== undefined ? { range: opts.range } : {}),
    files,
    // This process is the CLI's own and ends after the report: the parser's second compilation would not pay back.
    baselineWasm: true,
  });
  if (format === 'json') print(JSON.stringify(lintJson(report), null, 2));
  else if (format === 'sarif') print(JSON.stringify(lintSarif(report, packageVersion()), null, 2));
  else printText(report);
  if (report.errors > 0) process.exitCode = 1;
}

/** The report as the one JSON document `--json` prints. */
export function lintJson(report: LintReport): object {
  return {
    schemaVersion: 1,
    command: 'lint',
    database: report.database,
    selection: report.selection,
    revisions: report.revisions,
    rules: report.rules.map((r) => r.id),
    findings: report.findings,
    accepted: report.accepted,
    summary: { errors: report.errors, warnings: report.warnings, accepted: report.accepted.length },
  };
}

/** One finding as text: `file:line  severity  rule  message`, then its fix. */
export function findingText(f: LintFinding): string[] {
  const where = f.line !== null ? `${f.file}:${f.line}` : f.file;
  const level = f.severity === 'error' ? out.red('error') : out.yellow('warning');
  return [`${where}  ${level}  ${f.rule}  ${f.message}`, out.dim(`  fix: ${f.fix}`)];
}

function printText(report: LintReport): void {
  if (report.selection.note) info(report.selection.note);
  for (const f of report.findings) for (const line of findingText(f)) print(line);
  const n = report.revisions.length;
  const summary = `${report.errors} error(s), ${report.warnings} warning(s) in ${n} revision(s)${report.accepted.length > 0 ? `; ${report.accepted.length} accepted by retort-lint-ignore` : ''}`;
  if (report.errors > 0) print(out.red(summary));
  else if (report.warnings > 0) warn(summary);
  else print(out.green(summary));
}

