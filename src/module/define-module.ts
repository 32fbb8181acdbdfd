import { describeValue } from '../shared/describe.js';
import { acceptedKeys, type KeyList, unknownKeyProblem } from '../shared/options.js';
import { ModuleError } from './errors.js';
import { type Provider, type RegisteredProvider, registerProvider } from './providers.js';
import { type ProviderToken, tokenName } from './tokens.js';

/** What `defineModule` takes. `Inject` is inferred: one `inject` list per provider. */
export interface ModuleOptions<Inject extends readonly unknown[] = readonly unknown[]> {
  /** A non-empty name without `/` or spaces; errors and logs use it. */
  name: string;
  /** The module's providers, created in order (after what they `inject`). */
  providers?: { [Index in keyof Inject]: Provider<Inject[Index]> };
  /** Modules whose exported providers this module may use. */
  imports?: readonly ModuleDefinition[];
  /** Which of this module's own providers importing modules may use. */
  exports?: readonly ProviderToken[];
}

/** A checked module, ready for `bootstrap` or another module's `imports`. */
export interface ModuleDefinition {
  readonly name: string;
  /** Its own providers, checked, in declaration order. */
  readonly providers: readonly RegisteredProvider[];
  /** The modules whose exports it sees. */
  readonly imports: readonly ModuleDefinition[];
  /** The names of the exported providers. */
  readonly exports: readonly string[];
}

const SEPARATORS = /[\s/]/;

/** Every key of {@link ModuleOptions}; the type makes the list complete. */
const MODULE_KEYS = acceptedKeys({
  name: true,
  providers: true,
  imports: true,
  exports: true,
} satisfies KeyList<ModuleOptions>);

/**
 * Defines a module: providers, the modules it imports and the providers it exports.
 * Everything is checked now, not at `bootstrap`.
 * @throws ModuleError `E_INVALID_MODULE` or `E_INVALID_PROVIDER`, naming the module and provider.
 * @example
 * export const AppModule = defineModule({
 *   name: 'app',
 *   providers: [
 *     { provide: 'cacheStore', useFactory: () => new MemoryCacheStore() },
 *     {
 *       provide: CacheService,
 *       useFactory: ({ cacheStore }) => new CacheService(cacheStore, { defaultTTL: 300 }),
 *       inject: ['cacheStore'],
 *     },
 *   ],
 *   exports: [CacheService],
 * });
 */
export function defineModule<const Inject extends readonly unknown[]>(
  options: ModuleOptions<Inject>,
): ModuleDefinition {
  const name: unknown = options?.name;
  if (typeof name !== 'string' || name === '' || SEPARATORS.test(name)) {
    throw new ModuleError(
      'E_INVALID_MODULE',
      `a module name must be a non-empty string without "/" or spaces, got ${describeValue(name)}`,
    );
  }
  const unknownKey = unknownKeyProblem(options, MODULE_KEYS, `module "${name}"`);
  if (unknownKey !== undefined)
    throw new ModuleError('E_INVALID_MODULE', unknownKey, { module: name });
  const list = (key: 'providers' | 'imports' | 'exports'): readonly unknown[] => {
    const value: unknown = options[key] ?? [];
    if (Array.isArray(value)) return value;
    throw invalidModule(name, `${key} must be an array, got ${describeValue(value)}`);
  };
  const providers = list('providers').map((provider, index) =>
    registerProvider(provider, index, name),
  );
  const seen = new Set<string>();
  for (const provider of providers) {
    if (seen.has(provider.name)) {
      throw new ModuleError(
        'E_INVALID_PROVIDER',
        `provider "${provider.name}" is registered twice in module "${name}"`,
        { module: name, provider: provider.name },
      );
    }
    seen.add(provider.name);
  }
  const imports = list('imports').map((imported, index) => {
    if (isModuleDefinition(imported)) return imported;
    const hint = imported === undefined ? ' (a circular import between module files?)' : '';
    throw invalidModule(
      name,
      `imports[${index}] must be a module from defineModule(), got ${describeValue(imported)}${hint}`,
    );
  });
  const exports = list('exports').map((token) => {
    const exported = tokenName(token);
    if (exported !== undefined && seen.has(exported)) return exported;
    throw invalidModule(
      name,
      `exports ${exported === undefined ? describeValue(token) : `"${exported}"`}, which is not one of its providers`,
    );
  });
  return Object.freeze({
    name,
    providers: Object.freeze(providers),
    imports: Object.freeze(imports),
    exports: Object.freeze(exports),
  });
}

/** Whether `value` has the shape of a {@link ModuleDefinition}. */
export function isModuleDefinition(value: unknown): value is ModuleDefinition {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<keyof ModuleDefinition, unknown>>;
  return (
    typeof candidate.name === 'string' &&
    Array.isArray(candidate.providers) &&
    Array.isArray(candidate.imports) &&
    Array.isArray(candidate.exports)
  );
}

function invalidModule(module: string, problem: string): ModuleError {
  return new ModuleError('E_INVALID_MODULE', `module "${module}" ${problem}`, { module });
}
