/** What `revision --autogenerate` and `check` say about the model files: -v's listing, and the warnings. */
import path from 'node:path';
import type { ModelReport, ModelWarning } from '../runtime/autogenerate-revision.js';
import { info, warn } from './output.js';

const relative = (file: string) => path.relative(process.cwd(), file) || file;

export function modelWarningText(w: ModelWarning): string {
  return w.kind === 'unexported'
    ? `table "${w.table}" is declared in a model file but not exported, so autogenerate ignores it: export it (export const ${/^[A-Za-z_$][\w$]*$/.test(w.table) ? w.table : 'name'} = table(...))`
    : `${relative(w.file)} is not read: no \`models\` glob matches it (add e.g. '${w.suggestion}' to models in ${w.config})`;
}

/** With -v, one line per model file read (`models/blog.ts: users, posts, enum genderenum`); the warnings always. */
export function printModelReport(report: ModelReport, verbose: boolean): void {
  if (verbose) {
    for (const { file, tables, enums } of report.contents()) {
      const found = [...tables, ...enums.map((e) => `enum ${e}`)];
      info(`${relative(file)}: ${found.length > 0 ? found.join(', ') : 'no tables or enums exported'}`);
    }
  }
  for (const w of report.warnings) warn(modelWarningText(w));
}
