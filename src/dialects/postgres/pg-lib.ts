/**
 * The pg package, alone in a module of its own: the entry of dist/pg.cjs (pg and the packages it requires in one
 * file, scripts/build.mjs), which bin/retort.cjs compiles with a code cache of its own and lends to the driver; and
 * what the driver imports where bin did not start the process (a program importing the package, the tests).
 */
import pg from 'pg';

export default pg;
