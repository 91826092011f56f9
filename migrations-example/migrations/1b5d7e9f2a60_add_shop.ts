/**
 * add shop
 *
 * Revision ID: 1b5d7e9f2a60
 * Revises: e7b3a0d5c904
 * Create Date: 2026-11-22T04:08:17.584Z
 */

import type { MigrationContext, Op } from 'retort-migrate';
import { check, integer, numeric, serial, sql, text, timestamp, unique, varchar } from 'retort-migrate';

export const revision = '1b5d7e9f2a60';
export const downRevision = 'e7b3a0d5c904';
export const message = 'add shop';
export const createDate = '2026-11-22T04:08:17.584Z';

export function upgrade(op: Op, ctx: MigrationContext): void {
  op.createTable('orders', {
    id: serial().primaryKey(),
    user_id: integer().notNull().references('users.id'),
    placed_at: timestamp({ withTimezone: true }).notNull().serverDefault(sql`CURRENT_TIMESTAMP`),
  });

  op.createTable('products', {
    id: serial().primaryKey(),
    name: varchar(120).notNull(),
    description: text(),
    price: numeric(10, 2).notNull(),
  }, (t) => [
    check('ck_products_price_positive', sql`price > 0`),
  ]);

  op.createTable('order_product_association', {
    id: serial().primaryKey(),
    order_id: integer().notNull().references('orders.id'),
    product_id: integer().notNull().references('products.id'),
    count: integer().notNull().serverDefault(1).index(),
  }, (t) => [
    unique('idx_unique_order_product').on(t.order_id, t.product_id),
  ]);
}

export function downgrade(op: Op, ctx: MigrationContext): void {
  // DESTRUCTIVE: drops table order_product_association and all its rows
  op.dropTable('order_product_association');

  // DESTRUCTIVE: drops table products and all its rows
  op.dropTable('products');

  // DESTRUCTIVE: drops table orders and all its rows
  op.dropTable('orders');
}
