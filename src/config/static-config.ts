/**
 * Reads a config file without running it when it is plain data:
 * `export default defineConfig({ ...literals... })`. Most configs are, and
 * this spares every command loading the TypeScript loader (about a third of
 * `retort history`'s time). Environment variables read the way most configs
 * read them are data too: `process.env.NAME` (or `process.env['NAME']`,
 * with a TypeScript `!`), alone or with `??` / `||` and a literal or another
 * variable, is read from this process's environment, as running the file would.
 * Anything else (imports of other files, computed values) returns null, and the
 * file is run as usual.
 */
import { readFileSync } from 'node:fs';

type Value = string | number | boolean | null | undefined | Value[] | { [key: string]: Value };

class Reader {
  private i = 0;
  constructor(private readonly s: string) {}

  private ws(): void {
    for (;;) {
      const m = /^(?:\s+|\/\/[^\n]*|\/\*[\s\S]*?\*\/)/.exec(this.s.slice(this.i));
      if (!m) return;
      this.i += m[0].length;
    }
  }

  /** Consumes `token` (after white space) if it is next. */
  eat(token: string | RegExp): string | null {
    this.ws();
    const rest = this.s.slice(this.i);
    if (typeof token === 'string') {
      if (!rest.startsWith(token)) return null;
      this.i += token.length;
      return token;
    }
    const m = token.exec(rest);
    if (!m || m.index !== 0) return null;
    this.i += m[0].length;
    return m[0];
  }

  atEnd(): boolean {
    this.ws();
    return this.i >= this.s.length;
  }

  /** A value, with `a ?? b` and `a || b` between values, evaluated left to right as JavaScript does. */
  value(): Value {
    let v = this.primary();
    for (;;) {
      const op = this.eat(/^(?:\?\?|\|\|)/);
      if (op === null) return v;
      const right = this.primary();
      v = op === '??' ? (v ?? right) : (v || right);
    }
  }

  private primary(): Value {
    const env = this.eat(/^process\.env(?:\.[A-Za-z_$][\w$]*|\[\s*(?:'[^'\\\n]*'|"[^"\\\n]*")\s*\])/);
    if (env !== null) {
      const name = /^process\.env\.(.*)$/.exec(env)?.[1] ?? env.replace(/^process\.env\[\s*['"]|['"]\s*\]$/g, '');
      this.eat(/^!(?!=)/);
      return process.env[name];
    }
    const str = this.eat(/^(?:'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`[^`\\$]*`)/);
    if (str !== null) return unquote(str);
    const num = this.eat(/^-?(?:\d[\d_]*)(?:\.\d+)?(?:[eE][+-]?\d+)?(?![\w$])/);
    if (num !== null) return Number(num.replace(/_/g, ''));
    const word = this.eat(/^(?:true|false|null)(?![\w$])/);
    if (word !== null) return word === 'true' ? true : word === 'false' ? false : null;
    if (this.eat('[')) {
      const out: Value[] = [];
      while (!this.eat(']')) {
        out.push(this.value());
        if (!this.eat(',') && !this.peek(']')) throw new Error('expected , or ]');
      }
      return out;
    }
    if (this.eat('{')) {
      const out: { [key: string]: Value } = {};
      while (!this.eat('}')) {
        const key = this.eat(/^(?:[A-Za-z_$][\w$]*|'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")/);
        if (key === null || !this.eat(':')) throw new Error('expected a key');
        out[/^['"]/.test(key) ? (unquote(key) as string) : key] = this.value();
        if (!this.eat(',') && !this.peek('}')) throw new Error('expected , or }');
      }
      return out;
    }
    throw new Error('not a literal');
  }

  private peek(token: string): boolean {
    this.ws();
    return this.s.startsWith(token, this.i);
  }
}

function unquote(token: string): string {
  if (token.startsWith('`')) return token.slice(1, -1);
  return JSON.parse(token.startsWith("'") ? `"${token.slice(1, -1).replace(/\\'/g, "'").replace(/"/g, '\\"')}"` : token) as string;
}

/** The config object a file exports, when the file is only imports from 'retort-migrate' and a literal default export; else null. */
export function readStaticConfig(text: string): Record<string, Value> | null {
  const r = new Reader(text);
  try {
    // Only imports of retort-migrate's own helpers and types: any other import may compute something.
    while (r.eat(/^import\s+(?:type\s+)?\{[^}]*\}\s+from\s+(['"])retort-migrate\1\s*;?/)) {
      /* skip */
    }
    if (!r.eat(/^export\s+default\s+/)) return null;
    const wrapped = r.eat(/^defineConfig\s*\(/) !== null;
    const value = r.value();
    if (wrapped && !r.eat(')')) return null;
    r.eat(/^(?:satisfies|as)\s+RetortConfig/);
    r.eat(';');
    if (!r.atEnd() || value === null || typeof value !== 'object' || Array.isArray(value)) return null;
    return value;
  } catch {
    return null;
  }
}

/** The config in `file` when it is plain data that runs without the TypeScript loader (see readStaticConfig); else null. */
export function readPlainConfigFile(file: string): Record<string, Value> | null {
  return file.endsWith('.json') ? null : readStaticConfig(readFileSync(file, 'utf8'));
}
