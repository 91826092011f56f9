/**
 * A lint report as SARIF 2.1.0, the format CI systems (GitHub code scanning, GitLab, Azure DevOps) turn into
 * annotations on the lines of a pull request. Accepted findings are kept, with their reason as an in-source
 * suppression, so the CI shows what was accepted and why.
 */
import type { LintReport } from '../commands/lint.js';
import type { LintFinding } from '../lint/lint-revisions.js';

/** The SARIF document for `report`; `version` is Retort's. */
export function lintSarif(report: LintReport, version: string): object {
  const result = (f: LintFinding, reason?: string) => ({
    ruleId: f.rule,
    level: f.severity,
    message: { text: f.message },
    locations: [{ physicalLocation: { artifactLocation: { uri: f.file.split('\\').join('/') }, ...(f.line !== null ? { region: { startLine: f.line } } : {}) } }],
    ...(reason !== undefined ? { suppressions: [{ kind: 'inSource', justification: reason }] } : {}),
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'retort',
            version,
            informationUri: 'https://www.npmjs.com/package/retort-migrate',
            rules: report.rules.map((r) => ({
              id: r.id,
              shortDescription: { text: r.summary },
              help: { text: r.fix },
              defaultConfiguration: { level: r.severity },
            })),
          },
        },
        results: [...report.findings.map((f) => result(f)), ...report.accepted.map((f) => result(f, f.reason))],
      },
    ],
  };
}
