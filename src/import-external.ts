/**
 * Imports a package, or a file by URL, from outside Retort (chalk, diff, a project's prettier). The CLI's bundle
 * runs as a script compiled with V8's code cache (bin/retort.cjs), where `import()` has no loader to ask; there
 * bin/retort.cjs lends its own as `globalThis.__retortImport`. Everywhere else this is `import()`.
 */
type Importer = (specifier: string) => Promise<unknown>;

export function importExternal<T>(specifier: string): Promise<T> {
  const lent = (globalThis as { __retortImport?: Importer }).__retortImport;
  return (lent ? lent(specifier) : import(specifier)) as Promise<T>;
}
