/**
 * Partitioned tables and exclusion constraints on PostgreSQL: reading what the catalog prints
 * (pg_get_partkeydef, pg_get_expr(relpartbound), pg_get_constraintdef) into the IR, and writing the IR as DDL
 * (PARTITION BY, PARTITION OF ... FOR VALUES, ATTACH / DETACH PARTITION, EXCLUDE). The catalog's texts are
 * read in the one introspection batch (postgres-introspector.ts), not here.
 */
import type { ExclusionIR, PartitionBoundIR, PartitionKeyIR, TableIR } from '../../ir/ir.js';
import type { Operation } from '../../operations/operations.js';
import { closingParen, splitTopLevel, stripOuterParens } from '../sql-text.js';
import { indexColumnSql, unquoteIdentifier } from './postgres-index.js';
import { conditionSql, postgresSyntax, quoteIdentifier as q, quoteQualified as qn } from './postgres-sql.js';

const keyEntry = (e: string) => (/^"(?:[^"]|"")+"$/.test(e) ? unquoteIdentifier(e) : e);

/** pg_get_partkeydef's `RANGE (payment_date)` as a PartitionKeyIR (a quoted column comes back as its name). */
export function parsePartitionKey(def: string): PartitionKeyIR | undefined {
  const m = /^(RANGE|LIST|HASH)\s*\(/i.exec(def.trim());
  if (!m) return undefined;
  const text = def.trim();
  const open = text.indexOf('(');
  const inner = text.slice(open + 1, closingParen(text, open, postgresSyntax));
  return { strategy: m[1]!.toLowerCase() as PartitionKeyIR['strategy'], columns: splitTopLevel(inner, postgresSyntax).map(keyEntry) };
}

/** pg_get_expr(relpartbound)'s `FOR VALUES FROM (...) TO (...)`, `FOR VALUES IN (...)`, `FOR VALUES WITH (modulus m, remainder r)` or `DEFAULT`. */
export function parsePartitionBound(text: string): PartitionBoundIR {
  const t = text.trim();
  if (/^DEFAULT$/i.test(t)) return { kind: 'default' };
  const list = (from: number): [string[], number] => {
    const open = t.indexOf('(', from);
    const close = closingParen(t, open, postgresSyntax);
    return [splitTopLevel(t.slice(open + 1, close), postgresSyntax), close + 1];
  };
  if (/^FOR VALUES FROM\s*\(/i.test(t)) {
    const [from, end] = list(0);
    const [to] = list(t.toUpperCase().indexOf(' TO ', end) + 1);
    return { kind: 'range', from, to };
  }
  if (/^FOR VALUES IN\s*\(/i.test(t)) return { kind: 'list', values: list(0)[0] };
  const hash = /^FOR VALUES WITH\s*\(\s*modulus\s+(\d+)\s*,\s*remainder\s+(\d+)\s*\)$/i.exec(t);
  if (hash) return { kind: 'hash', modulus: Number(hash[1]), remainder: Number(hash[2]) };
  throw new Error(`unreadable partition bound: ${text}`);
}

/** pg_get_constraintdef's `EXCLUDE USING gist (room WITH =, during WITH &&) WHERE (...)` as an ExclusionIR. */
export function parseExclusion(name: string, def: string): ExclusionIR {
  const t = def.trim();
  const m = /^EXCLUDE USING (\S+) \(/i.exec(t);
  if (!m) return { name, method: 'gist', elements: [{ expression: t, operator: '' }], where: null };
  const open = m[0].length - 1;
  const close = closingParen(t, open, postgresSyntax);
  const elements = splitTopLevel(t.slice(open + 1, close), postgresSyntax).map((e) => {
    const at = e.toUpperCase().lastIndexOf(' WITH ');
    return { expression: keyEntry(e.slice(0, at).trim()), operator: e.slice(at + 6).trim() };
  });
  const rest = t.slice(close + 1);
  const w = /\bWHERE\s*\(/i.exec(rest);
  let where: string | null = null;
  if (w) {
    const wOpen = w.index + w[0].length - 1;
    where = stripOuterParens(rest.slice(wOpen, closingParen(rest, wOpen, postgresSyntax) + 1), postgresSyntax);
  }
  return { name, method: m[1]!.toLowerCase(), elements, where };
}

/** `PARTITION BY RANGE ("payment_date")`. */
export function partitionKeySql(k: PartitionKeyIR): string {
  return `PARTITION BY ${k.strategy.toUpperCase()} (${k.columns.map(indexColumnSql).join(', ')})`;
}

/** `FOR VALUES FROM (...) TO (...)` and the like, or `DEFAULT`. */
export function partitionBoundSql(b: PartitionBoundIR): string {
  switch (b.kind) {
    case 'range': return `FOR VALUES FROM (${b.from.join(', ')}) TO (${b.to.join(', ')})`;
    case 'list': return `FOR VALUES IN (${b.values.join(', ')})`;
    case 'hash': return `FOR VALUES WITH (MODULUS ${b.modulus}, REMAINDER ${b.remainder})`;
    case 'default': return 'DEFAULT';
  }
}

/** `CONSTRAINT "name" EXCLUDE USING gist ("room" WITH =, "during" WITH &&) WHERE (...)`. */
export function exclusionSql(x: ExclusionIR): string {
  const elements = x.elements.map((e) => `${indexColumnSql(e.expression)} WITH ${e.operator}`).join(', ');
  return `CONSTRAINT ${q(x.name)} EXCLUDE USING ${x.method} (${elements})${x.where === null ? '' : ` WHERE (${conditionSql(x.where)})`}`;
}

/** CREATE TABLE for a partition: its parent's columns, its bound, and its own keys and checks (`lines`). */
export function createPartitionSql(t: TableIR, lines: readonly string[]): string {
  const own = lines.length === 0 ? '' : ` (\n${lines.map((l) => `  ${l}`).join(',\n')}\n)`;
  return `CREATE TABLE ${qn(t.name)} PARTITION OF ${qn(t.partitionOf!.parent)}${own} ${partitionBoundSql(t.partitionOf!.bound)}${t.partitionBy ? ` ${partitionKeySql(t.partitionBy)}` : ''}`;
}

/** ATTACH and DETACH PARTITION. */
export function compilePartitionOp(op: Extract<Operation, { kind: 'attachPartition' | 'detachPartition' }>): string[] {
  if (op.kind === 'attachPartition') return [`ALTER TABLE ${qn(op.parent)} ATTACH PARTITION ${qn(op.partition)} ${partitionBoundSql(op.bound)}`];
  return [`ALTER TABLE ${qn(op.parent)} DETACH PARTITION ${qn(op.partition)}`];
}
