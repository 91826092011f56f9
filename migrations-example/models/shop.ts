import { check, index, integer, numeric, serial, sql, table, text, timestamp, unique, varchar } from 'retort-migrate';
import { users } from './blog.js';

export const products = table(
  'products',
  {
    id: serial().primaryKey(),
    name: varchar(120).notNull(),
    description: text(),
    price: numeric(10, 2).notNull(),
  },
  () => [check('ck_products_price_positive', sql`price > 0`)],
);

export const orders = table('orders', {
  id: serial().primaryKey(),
  user_id: integer().notNull().references(() => users.columns.id),
  placed_at: timestamp({ withTimezone: true }).notNull().serverDefault(sql`now()`),
});

// The association table carries data of its own (count), so it is a table, not just a link.
export const orderProducts = table(
  'order_product_association',
  {
    id: serial().primaryKey(),
    order_id: integer().notNull().references('orders.id'),
    product_id: integer().notNull().references('products.id'),
    count: integer().notNull().serverDefault(1),
  },
  (t) => [unique('idx_unique_order_product').on(t.order_id, t.product_id), index().on(t.count)],
);
