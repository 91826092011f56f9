/**
 * add-unique
 *
 * Revision ID: edfac1506b74
 * Revises: 4c9a626e3c84
 * Create Date: 2026-12-06T14:56:04.462Z
 */

import type { Op } from 'retort-migrate';

export const revision = 'edfac1506b74';
export const downRevision = '4c9a626e3c84';
export const message = 'add-unique';
export const createDate = '2026-12-06T14:56:04.462Z';

export function upgrade(op: Op): void {
  op.createUniqueConstraint('orders_code_key', 'orders', ['code']);
}

export function downgrade(op: Op): void {
  op.dropConstraint('orders_code_key', 'orders', 'unique');
}
