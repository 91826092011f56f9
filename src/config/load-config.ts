/** Loads the config file: read as data when it is plain data, else run through the TypeScript loader; then resolved. */
import { RetortError, isRetortError, messageOf } from '../errors.js';
import { CONFIG_KEYS, findConfigFile, resolveConfig, type ResolvedConfig } from './config.js';
import { readPlainConfigFile } from './static-config.js';

/** True once a config file that ran added properties to the global object (see configSetGlobals). */
let setGlobals = false;

/**
 * Whether the config file that ran set globals (`globalThis.prefix = process.env.X`): a model may read them, and
 * what they hold is no input the declared-schema memo can key, so the model files then run every time.
 */
export function configSetGlobals(): boolean {
  return setGlobals;
}

export async function loadConfig(cwd: string, opts: { config?: string | undefined; url?: string | undefined }): Promise<ResolvedConfig> {
  const file = findConfigFile(cwd, opts.config);
  let raw: unknown = {};
  const literal = file ? readPlainConfigFile(file) : null;
  if (literal) raw = literal;
  else if (file) {
    try {
      // The TypeScript loader is imported only for a config that is more than plain data.
      const { loadModule } = await import('../runtime/module-loader.js');
      const before = new Set(Reflect.ownKeys(globalThis));
      const mod = await loadModule(file, 'config');
      if (Reflect.ownKeys(globalThis).some((k) => !before.has(k))) setGlobals = true;
      raw = mod.default ?? mod.config ?? mod;
      if (raw && typeof raw === 'object' && 'default' in raw && Object.keys(raw).length === 1) raw = (raw as { default: unknown }).default;
      // Named exports only (`export const cfg = defineConfig(...)`): not a config whose keys are all unknown.
      const names = Object.keys(mod);
      if (raw === mod && names.length > 0 && !names.some((k) => CONFIG_KEYS.has(k))) {
        throw new RetortError('CONFIG', `config ${file} has no default export (it exports ${names.join(', ')})`, { hint: 'write export default defineConfig({ ... })' });
      }
    } catch (e) {
      if (isRetortError(e) && e.code !== 'REVISION_FILE') throw e;
      const prefix = `config ${file} cannot be loaded: `;
      const why = isRetortError(e) ? (e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message) : messageOf(e);
      throw new RetortError('CONFIG', `${prefix}${why}`, { hint: 'fix the file, or pass another with -c', cause: e });
    }
  }
  return resolveConfig(raw, file, cwd, { url: opts.url });
}
