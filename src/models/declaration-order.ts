/**
 * The order declarations were made in: a model file's tables, enums, views and the rest are listed (`-v`) and checked
 * (the first of two conflicting declarations is the one named first) in the order the file made them, its source
 * order, whichever compiler ran it. esbuild's CommonJS lists a module's exports by name, sucrase's in source order,
 * so the order of a module's exports is not the source's; the order of the calls that made the declarations is.
 * Kept beside the objects (a WeakMap), not in them, so a declaration's own fields and shape stay as they are.
 */
const made = new WeakMap<object, number>();
let next = 0;

/** Notes that `decl` is made now; returns it. */
export function declared<T extends object>(decl: T): T {
  made.set(decl, next++);
  return decl;
}

/** `decls` sorted by when each was made (stable: one this module did not see keeps its place among the others after them). */
export function inDeclarationOrder<T>(decls: T[]): T[] {
  const at = (d: T) => (typeof d === 'object' || typeof d === 'function') && d !== null ? made.get(d) ?? Number.MAX_SAFE_INTEGER : Number.MAX_SAFE_INTEGER;
  return decls.sort((a, b) => at(a) - at(b));
}
