/**
 * `require` for the database drivers (CommonJS packages, never bundled): Node's own in the quick path's CommonJS
 * bundle (dist/quick.cjs, where `import.meta` is empty), one made for this module in the ES module build. Either
 * resolves the driver from Retort's own package. require, not import: importing CommonJS from an ES module makes
 * Node scan it for its export names.
 */
import { createRequire } from 'node:module';

export const requireDriver: NodeJS.Require = typeof require === 'function' ? require : createRequire(import.meta.url);
