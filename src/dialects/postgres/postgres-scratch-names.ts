/**
 * Names for the scratch copies canonicalisation builds (postgres-canonicalize.ts). The copies live in the session's
 * temporary schema, so a table or enum type of a named schema (`billing.invoices`, ir/qualified.ts) cannot keep its
 * schema there: created as `"billing"."invoices"` it would collide with the live table. Each is renamed to one name
 * without a dot (`billing<U+0001>invoices`, which no real name holds) for the scratch, and named back in what is read.
 */
import type { EnumIR, TableIR } from '../../ir/ir.js';

const SEP = '\u0001';

/** `tables` and `enums` with every identity of a named schema renamed for the scratch (the same objects when none is). */
export function scratchNames(tables: readonly TableIR[], enums: readonly EnumIR[]): { tables: readonly TableIR[]; enums: readonly EnumIR[] } {
  const qualified = new Set([...tables.map((t) => t.name), ...enums.map((e) => e.name)].filter((n) => n.includes('.')));
  if (qualified.size === 0) return { tables, enums };
  const rename = (_key: string, v: unknown) => (typeof v === 'string' && qualified.has(v) ? v.replace('.', SEP) : v);
  return JSON.parse(JSON.stringify({ tables, enums }), rename) as { tables: TableIR[]; enums: EnumIR[] };
}

/** `t` as read from the scratch, with the scratch names named back: `billing.invoices`, and `billing.status` in SQL text as PostgreSQL prints it. */
export function liveNames(t: TableIR): TableIR {
  if (!JSON.stringify(t).includes('\\u0001')) return t;
  const back = (_key: string, v: unknown) => {
    if (typeof v !== 'string' || !v.includes(SEP)) return v;
    // In SQL text the scratch name is quoted ("billing<U+0001>status"); outside the search_path PostgreSQL prints the schema.
    const text = v.replace(/"((?:[^"]|"")*?)\u0001((?:[^"]|"")*?)"/g, (_m, s: string, n: string) => `${printed(s)}.${printed(n)}`);
    return text.split(SEP).join('.');
  };
  return JSON.parse(JSON.stringify(t), back) as TableIR;
}

/** An identifier as PostgreSQL prints it: bare when it is a plain lower-case word, quoted otherwise. */
function printed(name: string): string {
  const plain = name.replace(/""/g, '"');
  return /^[a-z_][a-z0-9_$]*$/.test(plain) ? plain : `"${plain.replace(/"/g, '""')}"`;
}
