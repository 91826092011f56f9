/** What unit tests collect models for: SQL-standard quoting (both dialects' own) and the registry's identifier limit. */
import { quoteIdentifier, quoteLiteral } from '../../src/dialects/sql-quote.js';
import { portableIdentifierLimit } from '../../src/dialects/index.js';
import type { SqlSpelling } from '../../src/models/dsl.js';
import type { ModelTarget } from '../../src/models/collect.js';

export const STANDARD_SPELLING: SqlSpelling = { quoteIdentifier, quoteLiteral };
export const MODEL_TARGET: ModelTarget = { spelling: STANDARD_SPELLING, identifierLimit: portableIdentifierLimit() };
