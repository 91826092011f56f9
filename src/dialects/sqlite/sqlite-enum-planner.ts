/**
 * SQLite's enum planner. SQLite has no enum types: its compiler turns the enum
 * operations into CHECK swaps and table rebuilds (sqlite-enums.ts), and ignores
 * the USING cast of a column moved to another enum (the CHECK carries the values).
 * So it takes the operations PostgreSQL's planner writes: they are the ones
 * SQLite has always run, and a revision generated against SQLite then also
 * runs on PostgreSQL.
 */
import type { EnumPlanner } from '../../diff/enum-change.js';
import { postgresEnumPlanner } from '../postgres/postgres-enum-planner.js';
import { liftEnums, lowerEnums } from './sqlite-enums.js';

/** sqliteEnumPlanner plans enum changes as PostgreSQL's planner does; see the module comment. */
export const sqliteEnumPlanner: EnumPlanner = {
  planEnumChange: (change, current) => postgresEnumPlanner.planEnumChange(change, current),
  // Enum rename hints are read against the enums the CHECKs stand for.
  enumTypes: { lift: liftEnums, lower: lowerEnums },
};
