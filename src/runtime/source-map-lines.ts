/**
 * Reads a source map's `mappings` (version 3: lines split by `;`, segments by `,`, each segment base-64 VLQ
 * numbers relative to the previous one) far enough to say which line of the source a place in the
 * generated code came from. Read and decoded on the first question: a file's map is read when an error or a lint
 * finding needs a line, never when the file loads.
 */

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Int8Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) DIGIT[BASE64.charCodeAt(i)] = i;

/**
 * A mapper from a generated line and column (both from 1, as a stack trace prints them) to the source line (from
 * 1); null when the map says nothing for that line, or is missing or unreadable (the line is then the compiled one). `firstLineShift` is how many characters precede the generated
 * code on its first line where it runs (the function wrapper the loader adds).
 */
export function sourceLineMapper(mappings: () => string | null, firstLineShift: number): (line: number, column: number) => number | null {
  // Per generated line: pairs of (generated column from 0, source line from 0), in column order.
  let lines: Int32Array[] | null = null;
  return (line, column) => {
    if (lines === null) {
      const text = mappings();
      try {
        lines = text === null ? [] : decode(text);
      } catch {
        lines = []; // a damaged map must not turn the error being reported into another one
      }
    }
    const segments = lines[line - 1];
    if (!segments || segments.length === 0) return null;
    const col = column - 1 - (line === 1 ? firstLineShift : 0);
    // The last segment starting at or before the column; before the first, the first (the line's own start).
    let found = segments[1]!;
    for (let i = 0; i < segments.length && segments[i]! <= col; i += 2) found = segments[i + 1]!;
    return found + 1;
  };
}

function decode(text: string): Int32Array[] {
  const out: Int32Array[] = [];
  let sourceLine = 0;
  let pos = 0;
  const values: number[] = [];
  const readVlq = (): number => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const digit = DIGIT[text.charCodeAt(pos++)] ?? -1;
      if (digit < 0) throw new Error('bad source map');
      result += (digit & 31) * 2 ** shift;
      if ((digit & 32) === 0) break;
      shift += 5;
    }
    return result % 2 === 1 ? -(result - 1) / 2 : result / 2;
  };
  let current: number[] = [];
  let column = 0;
  while (pos <= text.length) {
    const c = text[pos];
    if (c === undefined || c === ';') {
      out.push(Int32Array.from(current));
      current = [];
      column = 0;
      pos++;
      if (c === undefined) break;
      continue;
    }
    if (c === ',') {
      pos++;
      continue;
    }
    values.length = 0;
    while (pos < text.length && text[pos] !== ',' && text[pos] !== ';') values.push(readVlq());
    column += values[0]!;
    if (values.length >= 4) {
      sourceLine += values[2]!;
      current.push(column, sourceLine);
    }
  }
  return out;
}
