"use strict";Object.defineProperty(exports, "__esModule", {value: true});/**
 * a
 *
 * Revision ID: 2ec8806fb9bc
 * Revises: (none: first revision)
 * Create Date: 2026-12-07T23:34:21.818Z
 */


var _retortmigrate = require('retort-migrate');

 const revision = '2ec8806fb9bc'; exports.revision = revision;
 const downRevision = null; exports.downRevision = downRevision;
 const message = 'a'; exports.message = message;
 const createDate = '2026-12-07T23:34:21.818Z'; exports.createDate = createDate;

 function upgrade(op) {
  op.createTable('t', {
    id: _retortmigrate.integer.call(void 0, ).primaryKey(),
    n: _retortmigrate.integer.call(void 0, ),
  }, () => [
    _retortmigrate.check.call(void 0, 'n_small', _retortmigrate.sql`n < 100 - -50`),
  ]);
} exports.upgrade = upgrade;

 function downgrade(op) {
  // DESTRUCTIVE: drops table t and all its rows
  op.dropTable('t');
} exports.downgrade = downgrade;

/*retort:921*/