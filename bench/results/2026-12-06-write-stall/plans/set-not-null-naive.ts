/**
 * set-not-null
 *
 * Revision ID: dbaf87f497aa
 * Revises: 41cd62c04511
 * Create Date: 2026-12-06T14:55:12.691Z
 */

import type { Op } from 'retort-migrate';

export const revision = 'dbaf87f497aa';
export const downRevision = '41cd62c04511';
export const message = 'set-not-null';
export const createDate = '2026-12-06T14:55:12.691Z';

export function upgrade(op: Op): void {
  op.alterColumn('orders', 'qty', { nullable: false, existing: { nullable: true } });
}

export function downgrade(op: Op): void {
  op.alterColumn('orders', 'qty', { nullable: true, existing: { nullable: false } });
}
