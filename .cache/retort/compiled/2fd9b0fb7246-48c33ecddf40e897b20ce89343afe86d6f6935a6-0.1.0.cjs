"use strict";Object.defineProperty(exports, "__esModule", {value: true});/**
 * a
 *
 * Revision ID: a11dd0fd7b7c
 * Revises: (none: first revision)
 * Create Date: 2026-12-07T23:35:01.095Z
 */


var _retortmigrate = require('retort-migrate');

 const revision = 'a11dd0fd7b7c'; exports.revision = revision;
 const downRevision = null; exports.downRevision = downRevision;
 const message = 'a'; exports.message = message;
 const createDate = '2026-12-07T23:35:01.095Z'; exports.createDate = createDate;

 function upgrade(op) {
  op.createTable('t', {
    id: _retortmigrate.integer.call(void 0, ).primaryKey(),
    n: _retortmigrate.integer.call(void 0, ),
  }, (t) => [
    _retortmigrate.index.call(void 0, 'ix').on(t.n).where(_retortmigrate.sql`n > 5`),
    _retortmigrate.check.call(void 0, 'c2', _retortmigrate.sql`n > 0`),
    _retortmigrate.check.call(void 0, 'n_small', _retortmigrate.sql`n < 100`),
  ]);
} exports.upgrade = upgrade;

 function downgrade(op) {
  // DESTRUCTIVE: drops table t and all its rows
  op.dropTable('t');
} exports.downgrade = downgrade;

/*retort:1074*/