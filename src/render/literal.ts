/**
 * Literals for generated TypeScript: single-quoted strings, sql`...` templates
 * and object keys, escaped so that any name or SQL text (quotes, backticks,
 * `${`, newlines, non-ASCII) reads back exactly as it was.
 */

const ESCAPES: Record<string, string> = { '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\t': '\\t', '\u2028': '\\u2028', '\u2029': '\\u2029' };

/** A single-quoted JavaScript string literal for `s`. */
export function quoteString(s: string): string {
  return `'${s.replace(/[\\'\n\r\t\u2028\u2029\u0000-\u001f\u007f]/g, (c) => ESCAPES[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}'`;
}

/**
 * Text for a `//` comment of generated code, on one line: every JavaScript line terminator (LF, CR, U+2028, U+2029)
 * becomes a space, so that a name read from a database (a column called `x<LF>require(...)`) cannot end the comment
 * and become code that runs when the file is loaded. Every comment that carries a name or a reason goes through it.
 */
export function commentText(s: string): string {
  return s.replace(/[\n\r\u2028\u2029]/g, ' ');
}

/** A `//` comment line holding `s` (commentText). */
export function commentLine(s: string): string {
  return `// ${commentText(s)}`;
}

/** A sql`...` tagged template whose text is exactly `text`. */
export function sqlTemplate(text: string): string {
  return `sql\`${text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${')}\``;
}

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** An object-literal key for `name`: bare when it is an identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return IDENTIFIER.test(name) ? name : quoteString(name);
}

/** `obj.name`, or `obj['name']` when `name` is not an identifier. */
export function member(obj: string, name: string): string {
  return IDENTIFIER.test(name) ? `${obj}.${name}` : `${obj}[${quoteString(name)}]`;
}

/** Names an object literal cannot hold as the n-th key in declaration order (`__proto__` sets the prototype; integer-like keys are reordered first). */
export function isUnsafeKey(name: string): boolean {
  return name === '__proto__' || /^(0|[1-9][0-9]*)$/.test(name);
}

/** A string array literal: `['a', 'b']`. */
export function stringArray(xs: readonly string[]): string {
  return `[${xs.map(quoteString).join(', ')}]`;
}

/** `{ a: x, b: y }` from entries whose value is already code; `{}` when empty. */
export function objectLiteral(entries: readonly (readonly [string, string])[]): string {
  return entries.length === 0 ? '{}' : `{ ${entries.map(([k, v]) => `${propertyKey(k)}: ${v}`).join(', ')} }`;
}

/** `op.name(a, b);` from arguments that are already code. */
export function opCall(name: string, ...args: string[]): string {
  return `op.${name}(${args.join(', ')});`;
}

/** The last resort for an operation the `op` API cannot express exactly: the operation as data, appended as it is. */
export function runLiteral(o: unknown): string {
  return `op.run(${JSON.stringify(o, null, 2)});`;
}

/**
 * For each line of generated TypeScript, whether it starts inside a template literal (a multi-line sql`...`):
 * indentation added or trimmed there would change the SQL (a function's body is kept as written).
 */
export function linesInTemplates(code: string): boolean[] {
  const out: boolean[] = [];
  let state: 'code' | "'" | '"' | '`' | '//' = 'code';
  let lineStart = true;
  for (let i = 0; i < code.length; i++) {
    if (lineStart) {
      out.push(state === '`');
      lineStart = false;
    }
    const ch = code[i]!;
    if (ch === '\n') {
      lineStart = true;
      if (state === '//' || state === "'" || state === '"') state = 'code';
      continue;
    }
    if (state === '//') continue;
    if (state !== 'code') {
      if (ch === '\\') i++;
      else if (ch === state) state = 'code';
      continue;
    }
    if (ch === '/' && code[i + 1] === '/') state = '//';
    else if (ch === "'" || ch === '"' || ch === '`') state = ch;
  }
  if (lineStart) out.push(state === '`');
  return out;
}

/** `code` with `indent` before each non-empty line that does not start inside a template literal. */
export function indentCode(code: string, indent: string): string {
  if (indent === '') return code;
  const inside = linesInTemplates(code);
  return code.split('\n').map((l, i) => (l === '' || inside[i] === true ? l : indent + l)).join('\n');
}
