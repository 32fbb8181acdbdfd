/** A class used as a provider token; abstract classes included. */
export type ClassToken<T = unknown> = abstract new (...args: never[]) => T;

/**
 * What identifies a provider: a name, or a class, which stands for its camelCase
 * name (`CacheService` → `cacheService`).
 */
export type ProviderToken = string | ClassToken;

// A leading run of capitals is lowered as one word: `HTTPClient` → `httpClient`.
const LEADING_CAPITALS = /^[A-Z]+(?![a-z])|^[A-Z]/;

/**
 * The name a token registers under: a string as is, a class by its camelCase name.
 * `undefined` for anything else, an empty string or an anonymous class.
 */
export function tokenName(token: unknown): string | undefined {
  if (typeof token === 'string') return token.length > 0 ? token : undefined;
  if (typeof token !== 'function' || token.name.length === 0) return undefined;
  return token.name.replace(LEADING_CAPITALS, (capitals) => capitals.toLowerCase());
}

/** Whether `value` can be called with `new`: a class or a non-arrow function. */
export function isConstructor(value: unknown): value is new (deps: object) => unknown {
  return typeof value === 'function' && typeof value.prototype === 'object';
}
