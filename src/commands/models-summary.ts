/** What `check` and `revision --autogenerate` report about the model files: the files read, the warnings, and what each holds. */
import path from 'node:path';
import type { ModelFileContents, ModelReport, ModelWarning } from '../runtime/autogenerate-revision.js';

/** ModelsSummary is the model files a command read, as data. */
export interface ModelsSummary {
  /** The model files read, absolute, in the order they were loaded. */
  readonly files: readonly string[];
  readonly warnings: readonly ModelWarning[];
  /** The tables and enums each file exports; only when asked for (`listModels`), as working it out costs a walk of every export. */
  readonly contents?: readonly ModelFileContents[];
}

const relative = (file: string) => path.relative(process.cwd(), file) || file;

/** A model warning as one line. */
export function modelWarningText(w: ModelWarning): string {
  return w.kind === 'unexported'
    ? `table "${w.table}" is declared in a model file but not exported, so autogenerate ignores it: export it (export const ${/^[A-Za-z_$][\w$]*$/.test(w.table) ? w.table : 'name'} = table(...))`
    : `${relative(w.file)} is not read: no \`models\` glob matches it (add e.g. '${w.suggestion}' to models in ${w.config})`;
}

/** The summary of what the models' loading found; with `contents` when `listModels`. */
export function modelsSummary(report: ModelReport, listModels: boolean): ModelsSummary {
  return { files: report.files, warnings: report.warnings, ...(listModels ? { contents: report.contents() } : {}) };
}
