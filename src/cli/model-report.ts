/** What `revision --autogenerate` and `check` say about the model files: -v's listing, and the warnings. */
import path from 'node:path';
import { modelWarningText, type ModelsSummary } from '../commands/models-summary.js';
import { info, warn } from './output.js';

const relative = (file: string) => path.relative(process.cwd(), file) || file;

/** With -v (the summary then has contents), one line per model file read (`models/blog.ts: users, posts, enum genderenum`); the warnings always. */
export function printModelReport(report: ModelsSummary): void {
  for (const { file, tables, enums } of report.contents ?? []) {
    const found = [...tables, ...enums.map((e) => `enum ${e}`)];
    info(`${relative(file)}: ${found.length > 0 ? found.join(', ') : 'no tables or enums exported'}`);
  }
  for (const w of report.warnings) warn(modelWarningText(w));
}
