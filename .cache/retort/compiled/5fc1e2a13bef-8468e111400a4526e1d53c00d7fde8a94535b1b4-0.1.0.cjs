/*retort:mapped*/"use strict";var __defProp = Object.defineProperty;
var __getOwnPropDesc = Object.getOwnPropertyDescriptor;
var __getOwnPropNames = Object.getOwnPropertyNames;
var __hasOwnProp = Object.prototype.hasOwnProperty;
var __export = (target, all) => {
  for (var name in all)
    __defProp(target, name, { get: all[name], enumerable: true });
};
var __copyProps = (to, from, except, desc) => {
  if (from && typeof from === "object" || typeof from === "function") {
    for (let key of __getOwnPropNames(from))
      if (!__hasOwnProp.call(to, key) && key !== except)
        __defProp(to, key, { get: () => from[key], enumerable: !(desc = __getOwnPropDesc(from, key)) || desc.enumerable });
  }
  return to;
};
var __toCommonJS = (mod) => __copyProps(__defProp({}, "__esModule", { value: true }), mod);
var a_exports = {};
__export(a_exports, {
  t: () => t
});
module.exports = __toCommonJS(a_exports);
var import_retort_migrate = require("retort-migrate");
const t = (0, import_retort_migrate.table)("t", { id: (0, import_retort_migrate.integer)().primaryKey(), n: (0, import_retort_migrate.integer)() }, (t2) => [(0, import_retort_migrate.check)("n_small", import_retort_migrate.sql`n < 100 -- 50`), (0, import_retort_migrate.check)("c2", import_retort_migrate.sql`n /* ' */ > 0`), (0, import_retort_migrate.index)("ix").on(t2.n).where(import_retort_migrate.sql`n > 5 -- x`)]);
// Annotate the CommonJS export names for ESM import in node:
0 && (module.exports = {
  t
});

/*retort:1488*/