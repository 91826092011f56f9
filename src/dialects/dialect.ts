/**
 * The Dialect: everything that differs between databases, as five small parts, each named for the question it
 * answers (contract/): how SQL is spelled (SqlSpellingPart), how to reach and lock the database (DriverPart),
 * what it holds (SchemaReader), how changes become statements (CompilerPart) and how a run goes (RunPolicyPart).
 * Core code (runner, autogenerate, commands) asks these parts and never tests a dialect's name. Each dialect
 * folder builds one object per part and composes them in its `-dialect` file; the registry (index.ts) maps URL
 * schemes to dialects.
 */
import type { CompilerPart } from './contract/compiler.js';
import type { DriverPart } from './contract/driver.js';
import type { SchemaReader } from './contract/reader.js';
import type { RunPolicyPart } from './contract/run-policy.js';
import type { SqlSpellingPart } from './contract/spelling.js';

export type { Catalog, Connection, Statement } from './contract/connection.js';
export { noCatalog } from './contract/connection.js';
export type { ConnectOptions, DatabaseUrl, DriverPart, LockOptions, ReleaseLock, ScratchDatabase, SslMode, SslSettings } from './contract/driver.js';
export { SSL_MODES, lockWaitInterrupted } from './contract/driver.js';
export type { IntrospectOptions, InvalidIndex, SchemaReader, UndeclaredObject } from './contract/reader.js';
export { liveCatalog } from './contract/reader.js';
export type { CompilerPart } from './contract/compiler.js';
export type { RevisionTimeouts, RunOptions, RunPolicyPart, StepClock, StepSavepoint } from './contract/run-policy.js';
export type { SqlSpellingPart } from './contract/spelling.js';

/** A dialect: the five parts of the contract, composed. */
export interface Dialect extends SqlSpellingPart, DriverPart, SchemaReader, CompilerPart, RunPolicyPart {}
