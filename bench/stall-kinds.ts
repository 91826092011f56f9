/**
 * The change kinds of issue 20 on one busy table (`orders`, with `customers` to reference and an enum): each kind is
 * the model pieces it changes from STALL_BASE. The write-stall bench applies each one alone to a table of a million
 * rows; test/lint-generated.test.ts applies them one after another and lints what autogenerate wrote for each.
 */

/** The model pieces a change kind may change. */
export interface StallModels {
  readonly customer: string;
  readonly code: string;
  readonly note: string;
  readonly qty: string;
  /** Column lines added after `qty` (each ending with a comma). */
  readonly added: string;
  /** Items of the table's extras callback (`index(...)`, `check(...)`). */
  readonly extras: readonly string[];
  readonly mood: string;
}

export const STALL_BASE: StallModels = {
  customer: 'customer_id: integer()',
  code: 'code: text()',
  note: 'note: varchar(50)',
  qty: 'qty: integer()',
  added: '',
  extras: [],
  mood: "enumType('mood', ['new', 'paid'])",
};

/** A change kind: its id and the pieces it changes (extras are added to those already there). */
export interface StallKind {
  readonly id: string;
  readonly change: Partial<StallModels>;
}

export const STALL_KINDS: readonly StallKind[] = [
  { id: 'add-index', change: { extras: ["index('ix_orders_customer').on(t.customer_id)"] } },
  { id: 'add-fk', change: { customer: 'customer_id: integer().references(() => customers.columns.id)' } },
  { id: 'add-check', change: { extras: ['check(\'ck_orders_qty\', sql`qty > 0`)'] } },
  { id: 'set-not-null', change: { qty: 'qty: integer().notNull()' } },
  { id: 'add-unique', change: { code: 'code: text().unique()' } },
  { id: 'add-column-default', change: { added: 'flag: integer().notNull().serverDefault(0),' } },
  { id: 'widen-varchar', change: { note: 'note: varchar(200)' } },
  { id: 'add-enum-value', change: { mood: "enumType('mood', ['new', 'paid', 'shipped'])" } },
];

/** `m` with `kind`'s change applied (its extras added to those of `m`). */
export function withChange(m: StallModels, kind: StallKind): StallModels {
  return { ...m, ...kind.change, extras: [...m.extras, ...(kind.change.extras ?? [])] };
}

/** The model file for `m`. */
export function stallModels(m: StallModels): string {
  const extras = m.extras.length > 0 ? `, (t) => [${m.extras.join(', ')}]` : '';
  return `import { enumType, integer, serial, table, text, varchar, index, check, sql } from 'retort-migrate';
export const mood = ${m.mood};
export const customers = table('customers', { id: serial().primaryKey(), name: text() });
export const orders = table('orders', {
  id: serial().primaryKey(),
  ${m.customer},
  ${m.code},
  ${m.note},
  ${m.qty},
  ${m.added}
  status: mood(),
}${extras});
`;
}
