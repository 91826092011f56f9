/**
 * The lines of users' files as they wrote them, for files Retort runs from a compiled form whose lines differ
 * (runtime/module-loader.ts registers one mapper per such file). Stack traces name the compiled form's line and
 * column; errors and lint findings name the user's line through `sourceLine`. Files without a mapper keep their lines.
 */
type LineMapper = (line: number, column: number) => number | null;

const mappers = new Map<string, LineMapper>();

/** Sets (or, with null, removes) how `file`'s compiled lines map to its own. */
export function setLineMapper(file: string, mapper: LineMapper | null): void {
  if (mapper) mappers.set(file, mapper);
  else mappers.delete(file);
}

/** The line of `file` that the compiled form's line and column (both from 1, as in a stack trace) came from. */
export function sourceLine(file: string, line: number, column: number): number {
  const mapper = mappers.get(file);
  return (mapper && mapper(line, column)) ?? line;
}
