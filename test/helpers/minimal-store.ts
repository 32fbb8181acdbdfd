import { type CacheStore, MemoryCacheStore } from 'glasswork';

/** A store with only the required methods: no has, delByPattern, setIfAbsent, delIfEquals or close. */
export function minimalStore(inner = new MemoryCacheStore()): CacheStore {
  return {
    name: 'minimal',
    get: (key) => inner.get(key),
    set: (key, payload, ttlMs) => inner.set(key, payload, ttlMs),
    del: (key) => inner.del(key),
  };
}
