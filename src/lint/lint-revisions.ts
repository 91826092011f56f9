/**
 * Lints revision files: runs each one's upgrade offline (capture.ts), parses what it would execute with
 * PostgreSQL's parser where the dialect has per-table lock levels, runs the checks statement by statement with
 * what the revision did before (revision-walk.ts), and sorts the findings into reported and accepted (ignores.ts).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { Dialect } from '../dialects/dialect.js';
import type { Operation } from '../operations/operations.js';
import type { Project } from '../runtime/project.js';
import { RevisionCapturer, type CapturedRevision, type CapturedStatement } from './capture.js';
import { checkOperation, checkRawStatement, operationEnum, operationTable } from './check-code.js';
import { checkAttach, checkConstraints, checkDoBlock, checkDomain, checkIndex, checkLockTimeout, checkTableLocks, checkTimeoutOff, checkValidate } from './check-locks.js';
import { checkAddColumn, checkDataWithDdl, checkDdlAfterData, checkTypeChange } from './check-rewrites.js';
import type { Hit, StatementCheck } from './check-types.js';
import { acceptedBy, readIgnores } from './ignores.js';
import { LINT_RULES, lintRule, type LintRule, type Severity } from './lint-rules.js';
import { pgBatchParser, type Parsed, type PgNode } from './pg-ast.js';
import { newProjectMemory, RevisionWalk, type CarriedLocks, type ProjectMemory } from './revision-walk.js';

/** One finding: a rule broken at a line of a revision file. */
export interface LintFinding {
  readonly rule: string;
  readonly severity: Severity;
  /** The revision file, relative to the folder lint ran in. */
  readonly file: string;
  /** The line of the `op.*` call (or of the ignore comment); null when it could not be told. */
  readonly line: number | null;
  readonly revision: string | null;
  readonly message: string;
  readonly fix: string;
  /** The statement that broke the rule, where there is one. */
  readonly sql?: string;
}

/** A finding a `retort-lint-ignore` comment accepted, with its reason. */
export interface AcceptedFinding extends LintFinding {
  readonly reason: string;
}

/** A revision file to lint. */
export interface LintTarget {
  readonly file: string;
  readonly revision: string | null;
  /**
   * True when `upgrade` runs this revision right after the target before it, in the same run (a range, the unapplied
   * revisions): where the dialect sends such revisions in groups of one transaction (PostgreSQL's stretches), a lock the
   * one before still held may be held through this one's statements.
   */
  readonly followsInRun?: boolean;
}

/** What linting a list of revisions found. */
export interface LintOutcome {
  readonly findings: LintFinding[];
  readonly accepted: AcceptedFinding[];
  /** The rules that apply to this project's database. */
  readonly rules: readonly LintRule[];
}

/** LintRunEvents tells a caller about progress. */
export interface LintRunEvents {
  revisionLinted?(target: LintTarget, findings: number): void;
}

const LOCK_CHECKS: readonly StatementCheck[] = [checkIndex, checkTableLocks, checkConstraints, checkValidate, checkAttach, checkDomain, checkAddColumn, checkTypeChange, checkDataWithDdl, checkDdlAfterData, checkTimeoutOff, checkDoBlock, checkLockTimeout];
// Reported once per revision, or once per transaction: the first statement that shows it is enough.
const ONCE_PER_REVISION = new Set(['require-lock-timeout']);
const ONCE_PER_TRANSACTION = new Set(['ddl-with-data-change']);

/**
 * The statements Retort sends around every revision on `dialect` (its session setup, the schema's, the opening of
 * the transaction). Lint reads them before each revision, so a lock_timeout that Retort itself sets counts.
 */
export function runPreamble(project: Project, dialect: Dialect): string[] {
  // The revision's lock and statement timeouts (config revisionLockTimeout...) are set right after its BEGIN.
  const { lockTimeoutMs, statementTimeoutMs } = project.config.online;
  const timeouts = dialect.transactionalDdl ? (dialect.revisionTimeoutSql?.({ lockTimeoutMs, statementTimeoutMs }) ?? []) : [];
  return [...(dialect.sessionSetup ?? []), ...project.schemaSetup(dialect)].map((s) => s.sql).concat(dialect.transactionalDdl ? [dialect.beginSql] : [], timeouts.map((s) => s.sql));
}

/** How to lint. */
export interface LintRunOptions {
  /**
   * Compile PostgreSQL's parser (WebAssembly) with V8's baseline compiler only, for the rest of the process: the
   * optimising compiler's second pass costs more CPU than it saves in a run that ends soon after (the CLI asks for it).
   */
  readonly baselineWasm?: boolean;
}

/** Lints `targets` in order; `cwd` is what finding paths are relative to. */
export async function lintRevisions(project: Project, targets: readonly LintTarget[], cwd: string, events: LintRunEvents = {}, options: LintRunOptions = {}): Promise<LintOutcome> {
  const dialect = await project.dialect();
  const locks = dialect.tableLockLevels === true;
  const rules = LINT_RULES.filter((r) => r.scope !== 'locks' || locks);
  // Every revision runs before the parser loads: V8 refuses the code it cached for a revision module (see
  // runtime/module-loader.ts) when its flags differ from those it was cached under, so the baseline-only flag is
  // set after the last module has loaded, and the cache stays the one every other command reads.
  const capturer = new RevisionCapturer({ dialect, naming: project.config.naming, compile: locks });
  const captures: CapturedRevision[] = [];
  for (const target of targets) captures.push(await capturer.capture(target.file));
  if (options.baselineWasm && locks) setFlagsFromString('--liftoff-only');
  const parse = locks || captures.some((c) => c.statements.some((s) => s.sql !== null)) ? await pgBatchParser() : () => [];
  const preamble = locks ? parse(runPreamble(project, dialect)).flatMap((p) => (p.ok ? p.statements : [])) : [];
  const memory = newProjectMemory();
  const stretches = dialect.transactionalDdl && dialect.pipelineStretches === true;
  let carry: CarriedLocks | null = null;
  const findings: LintFinding[] = [];
  const accepted: AcceptedFinding[] = [];
  for (const [i, target] of targets.entries()) {
    const before = findings.length;
    const carried = stretches && target.followsInRun === true ? carry : null;
    const { findings: raw, carryOut } = lintOne(captures[i]!, { locks, parse, preamble, memory, carried, label: target.revision ?? path.basename(target.file) });
    carry = carryOut;
    const ignores = readIgnores(readFileSync(target.file, 'utf8'));
    const file = path.relative(cwd, target.file) || target.file;
    const finding = (rule: string, line: number | null, message: string, sql?: string, fix?: string): LintFinding => {
      const r = lintRule(rule);
      return { rule, severity: r.severity, file, line, revision: target.revision, message, fix: fix ?? r.fix, ...(sql !== undefined ? { sql } : {}) };
    };
    for (const f of raw) {
      const by = acceptedBy(ignores, f.rule, f.line);
      const made = finding(f.rule, f.line, f.message, f.sql, f.fix);
      if (by) accepted.push({ ...made, reason: by.reason });
      else findings.push(made);
    }
    const applies = new Set(rules.map((r) => r.id));
    for (const c of ignores) {
      if (c.problem !== null) findings.push(finding('invalid-ignore', c.line, `this retort-lint-ignore ${c.problem}: it accepts nothing`));
      else if (!c.used && c.rules.some((r) => applies.has(r))) findings.push(finding('unused-ignore', c.line, `this retort-lint-ignore (${c.rules.join(', ')}) matches no finding on its line or the next`));
    }
    events.revisionLinted?.(target, findings.length - before);
  }
  return { findings, accepted, rules };
}

interface RawFinding {
  readonly rule: string;
  readonly line: number | null;
  readonly message: string;
  readonly sql?: string;
  readonly fix?: string;
}

interface LintContext {
  readonly locks: boolean;
  readonly parse: (pieces: readonly string[]) => Parsed[];
  readonly preamble: readonly PgNode[];
  readonly memory: ProjectMemory;
  /** The locks the revisions before this one in the same group transaction may still hold (null: none, or no group). */
  readonly carried: CarriedLocks | null;
  /** How this revision is named in a later one's finding. */
  readonly label: string;
}

/**
 * Whether a revision may run inside a group transaction with its neighbours: the runner sends it in a group unless it
 * talks to the database before its end (ctx.query, an autocommit block) or binds parameters.
 */
function joinsGroups(captured: CapturedRevision): boolean {
  // op.execute (SQL of the revision's own, of unknown cost) never joins a group either: the runner runs it alone.
  return captured.failure === null && captured.statements.every((s) => s.transaction === 0 && s.op !== null && s.op.kind !== 'execute');
}

/** The findings of one captured revision, before ignores. */
function lintOne(captured: CapturedRevision, ctx: LintContext): { findings: RawFinding[]; carryOut: CarriedLocks | null } {
  // The revision's statements in one call of the parser (a revision without SQL, such as ops on SQLite, makes none).
  const parsedAll = ctx.parse(captured.statements.flatMap((s) => (s.sql !== null ? [s.sql] : [])));
  let nextParsed = 0;
  const groups = joinsGroups(captured);
  const walk = new RevisionWalk(ctx.memory, ctx.preamble, groups ? ctx.carried : null);
  const out: RawFinding[] = [];
  const seen = new Set<string>();
  const seenOps = new Set<Operation>();
  const add = (hit: Hit, s: CapturedStatement) => {
    const key = ONCE_PER_REVISION.has(hit.rule) ? hit.rule : ONCE_PER_TRANSACTION.has(hit.rule) ? `${hit.rule}@${s.transaction}` : `${hit.rule}@${s.line}@${hit.message}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ rule: hit.rule, line: s.line, message: hit.message, ...(s.sql !== null ? { sql: s.sql } : {}), ...(hit.fix !== undefined ? { fix: hit.fix } : {}) });
  };
  for (const s of captured.statements) {
    const op = s.op;
    const raw = op === null || op.kind === 'execute';
    if (op && !raw && !seenOps.has(op)) {
      seenOps.add(op);
      const table = operationTable(op);
      const enumName = operationEnum(op);
      if ((table === null || walk.existing(table)) && (enumName === null || !walk.newEnums.has(enumName))) for (const hit of checkOperation(op)) add(hit, s);
    }
    // What the revision creates is no running code's yet (views and sequences are relations, as tables are).
    if (op?.kind === 'createTable') walk.newTables.add(op.table.name);
    if (op?.kind === 'createView') walk.newTables.add(op.view.name);
    if (op?.kind === 'createSequence') walk.newTables.add(op.sequence.name);
    if (op?.kind === 'createEnum') walk.newEnums.add(op.enum.name);
    if ((op?.kind === 'renameView' || op?.kind === 'renameSequence') && walk.newTables.has(op.from)) walk.newTables.add(op.to);
    if (op?.kind === 'renameEnum' && walk.newEnums.has(op.from)) walk.newEnums.add(op.to);
    if (s.sql === null) continue;
    const parsed = parsedAll[nextParsed++]!;
    if (!parsed.ok) {
      // Without lock levels the SQL is the dialect's own, which PostgreSQL's grammar need not take.
      if (ctx.locks) add({ rule: 'unparsable-sql', message: `PostgreSQL's parser rejects this statement: ${parsed.error}` }, s);
      continue;
    }
    for (const node of parsed.statements) {
      const view = { node, captured: s };
      if (raw) for (const { table, hit } of checkRawStatement(node)) if (walk.existing(table)) add(hit, s);
      if (ctx.locks) for (const check of LOCK_CHECKS) for (const hit of check(view, walk)) add(hit, s);
      walk.record(view);
    }
  }
  if (captured.failure) out.push({ rule: 'revision-not-linted', line: captured.failure.line, message: `the revision could not be run offline: ${captured.failure.message}` });
  return { findings: out, carryOut: groups ? walk.carryOut(ctx.label) : null };
}
