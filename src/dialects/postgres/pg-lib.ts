/**
 * The pg package, alone in a module of its own so that the driver can import it on its first connection: in the
 * command's bundle (scripts/build.mjs) pg is bundled, compiled with the bundle's V8 code cache, and evaluated only
 * when this module is first imported; elsewhere (the compiled sources, the quick path) it is Node's import of pg.
 */
import pg from 'pg';

export default pg;
