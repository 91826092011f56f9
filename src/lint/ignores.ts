/**
 * `// retort-lint-ignore rule-id[, rule-id]: reason` in a revision file accepts those rules' findings on the
 * comment's own line and on the next (the comment goes on the line before the op call, or at its end). The reason
 * is required: an ignore without one, or naming no known rule, accepts nothing and is itself a finding. These are
 * comments of the TypeScript file, read line by line; the SQL is never read this way.
 */
import { isLintRule } from './lint-rules.js';

/** One ignore comment. */
export interface IgnoreComment {
  readonly line: number;
  readonly rules: readonly string[];
  readonly reason: string;
  /** Why it accepts nothing (no reason, an unknown rule), else null. */
  readonly problem: string | null;
  used: boolean;
}

const MARK = 'retort-lint-ignore';

/** The ignore comments of a revision file's text. */
export function readIgnores(text: string): IgnoreComment[] {
  const out: IgnoreComment[] = [];
  // Most revisions have none: splitting each into lines cost lint of 1000 revisions about 40 ms.
  if (!text.includes(MARK)) return out;
  text.split(/\r?\n/).forEach((lineText, i) => {
    const at = lineText.indexOf(`// ${MARK}`) >= 0 ? lineText.indexOf(`// ${MARK}`) : lineText.indexOf(`//${MARK}`);
    if (at < 0) return;
    const body = lineText.slice(lineText.indexOf(MARK, at) + MARK.length);
    const colon = body.indexOf(':');
    const ids = (colon < 0 ? body : body.slice(0, colon)).split(',').map((s) => s.trim()).filter((s) => s !== '');
    const reason = colon < 0 ? '' : body.slice(colon + 1).trim();
    const unknown = ids.filter((id) => !isLintRule(id));
    const problem =
      ids.length === 0 ? 'names no rule'
      : unknown.length > 0 ? `names no known rule: ${unknown.join(', ')}`
      : reason === '' ? `gives no reason for accepting ${ids.join(', ')}`
      : null;
    out.push({ line: i + 1, rules: ids, reason, problem, used: false });
  });
  return out;
}

/** The valid ignore that accepts `rule` at `line`, if any (marking it used). */
export function acceptedBy(ignores: readonly IgnoreComment[], rule: string, line: number | null): IgnoreComment | null {
  if (line === null) return null;
  const found = ignores.find((c) => c.problem === null && (c.line === line || c.line === line - 1) && c.rules.includes(rule));
  if (found) found.used = true;
  return found ?? null;
}
