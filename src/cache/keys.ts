import { CacheArgumentError, describeValue } from '../errors.js';

declare const valueType: unique symbol;

/**
 * A cache key string that remembers the type of the value stored under it.
 * Created by the factories {@link createCacheKey} returns; at runtime it is a plain string.
 */
export type CacheKey<T> = string & { readonly [valueType]: T };

/**
 * A key factory made by {@link createCacheKey}. Call it to get a key; a factory
 * that takes no arguments can be passed directly wherever a key is accepted.
 */
export type CacheKeyFactory<T, Args extends unknown[] = []> = ((...args: Args) => CacheKey<T>) & {
  /** The name given to {@link createCacheKey}. */
  readonly keyName: string;
};

/** Anything that names an entry holding a `T`: a typed key or a zero-argument key factory. */
export type TypedKey<T> = CacheKey<T> | (() => CacheKey<T>);

/**
 * A plain string key, as opposed to a {@link CacheKey}. Typed keys are refused here
 * so that their type is checked instead of inferred.
 */
export type PlainKey = string & { readonly [valueType]?: never };

/** Every form a key argument can take. */
export type KeyInput<T> = TypedKey<T> | PlainKey;

/** A value a default key factory joins into its key. */
export type KeyPart = string | number | boolean | bigint;

/**
 * Creates a typed key factory. The value type travels with every key it makes,
 * so `cache.get(userKey('1'))` is typed and `cache.set(userKey('1'), notAUser)` does not compile.
 *
 * @param name A short name for the kind of entry.
 * @param keyFn Builds the key from its arguments; without it the key is `name` and the
 * arguments joined by `:`.
 * @example
 * const userKey = createCacheKey<User>('user', (id: string) => `user:${id}`);
 * const featureKey = createCacheKey<Flags>('flags', () => 'flags:current');
 * await cache.get(userKey('123')); // User | undefined
 * await cache.get(featureKey);     // Flags | undefined
 */
export function createCacheKey<T>(name: string): CacheKeyFactory<T, KeyPart[]>;
export function createCacheKey<T>(name: string, keyFn: () => string): CacheKeyFactory<T, []>;
/** With a value type only, TypeScript cannot infer the argument types: they are checked by count. Pass them as the second type argument for full checking. */
export function createCacheKey<T>(
  name: string,
  keyFn: (...args: never[]) => string,
): CacheKeyFactory<T, [unknown, ...unknown[]]>;
export function createCacheKey<T, Args extends unknown[]>(
  name: string,
  keyFn: (...args: Args) => string,
): CacheKeyFactory<T, Args>;
export function createCacheKey(
  name: string,
  keyFn?: (...args: never[]) => string,
): CacheKeyFactory<unknown, unknown[]> {
  if (typeof name !== 'string' || name.length === 0) {
    throw new CacheArgumentError(
      'E_INVALID_KEY',
      `createCacheKey name must be a non-empty string, got ${describeValue(name)}`,
    );
  }
  if (keyFn !== undefined && typeof keyFn !== 'function') {
    throw new CacheArgumentError(
      'E_INVALID_KEY',
      `createCacheKey keyFn for "${name}" must be a function, got ${describeValue(keyFn)}`,
    );
  }
  const build = (keyFn ?? ((...args: unknown[]) => [name, ...args].join(':'))) as (
    ...args: unknown[]
  ) => string;
  const factory = (...args: unknown[]) => build(...args) as CacheKey<unknown>;
  Object.defineProperties(factory, {
    keyName: { value: name, enumerable: true },
    [takesArguments]: { value: keyFn !== undefined && keyFn.length > 0 },
  });
  return factory as CacheKeyFactory<unknown, unknown[]>;
}

const takesArguments = Symbol('glasswork.takesArguments');

/**
 * Turns a key argument into its string form: calls a key factory, and checks that the
 * result is a non-empty string.
 * @throws CacheArgumentError `E_INVALID_KEY`.
 */
export function resolveKey(key: unknown): string {
  if (typeof key === 'function' && (key as { [takesArguments]?: boolean })[takesArguments]) {
    const name = (key as { keyName?: string }).keyName;
    throw new CacheArgumentError(
      'E_INVALID_KEY',
      `a typed key factory was passed where a key is expected: call it to make the key, e.g. userKey('123'), not userKey (this factory from createCacheKey(${JSON.stringify(name)}, …) takes arguments)`,
    );
  }
  const resolved = typeof key === 'function' ? key() : key;
  if (typeof resolved !== 'string' || resolved.length === 0) {
    throw new CacheArgumentError(
      'E_INVALID_KEY',
      `key must be a non-empty string${typeof key === 'function' ? ' (from a key factory)' : ''}, got ${describeValue(resolved)}`,
    );
  }
  return resolved;
}
