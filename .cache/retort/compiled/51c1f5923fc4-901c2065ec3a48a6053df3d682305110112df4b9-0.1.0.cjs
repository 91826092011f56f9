"use strict";Object.defineProperty(exports, "__esModule", {value: true});/**
 * a
 *
 * Revision ID: df78f57b352e
 * Revises: (none: first revision)
 * Create Date: 2026-12-07T23:35:00.791Z
 */


var _retortmigrate = require('retort-migrate');

 const revision = 'df78f57b352e'; exports.revision = revision;
 const downRevision = null; exports.downRevision = downRevision;
 const message = 'a'; exports.message = message;
 const createDate = '2026-12-07T23:35:00.791Z'; exports.createDate = createDate;

 function upgrade(op) {
  op.createTable('t', {
    id: _retortmigrate.integer.call(void 0, ).primaryKey(),
    n: _retortmigrate.integer.call(void 0, ),
  }, () => [
    _retortmigrate.check.call(void 0, 'n_small', _retortmigrate.sql`n < 100`),
  ]);
} exports.upgrade = upgrade;

 function downgrade(op) {
  // DESTRUCTIVE: drops table t and all its rows
  op.dropTable('t');
} exports.downgrade = downgrade;

/*retort:915*/