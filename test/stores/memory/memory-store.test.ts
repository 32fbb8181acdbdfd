import { CacheService, MemoryCacheStore } from 'glasswork';
import { runStoreConformance } from 'glasswork/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';

runStoreConformance('MemoryCacheStore', { createStore: () => new MemoryCacheStore() });

describe('MemoryCacheStore', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('evicts the least recently used entry past maxEntries', async () => {
    const store = new MemoryCacheStore({ maxEntries: 3 });
    await store.set('a', '1', 60_000);
    await store.set('b', '2', 60_000);
    await store.set('c', '3', 60_000);
    await store.get('a'); // a is now the most recently used
    await store.set('d', '4', 60_000);
    expect(store.size).toBe(3);
    expect(await store.get('b')).toBeUndefined();
    expect(await store.get('a')).toBe('1');
    expect(await store.get('c')).toBe('3');
    expect(await store.get('d')).toBe('4');
  });

  it('defaults to 10,000 entries', async () => {
    const store = new MemoryCacheStore();
    for (let i = 0; i < 10_005; i++) await store.set(`k${i}`, 'v', 60_000);
    expect(store.size).toBe(10_000);
    expect(await store.get('k0')).toBeUndefined();
    expect(await store.get('k10004')).toBe('v');
  });

  it('refuses a bad maxEntries at construction', () => {
    for (const maxEntries of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => new MemoryCacheStore({ maxEntries })).toThrow(
        expect.objectContaining({
          code: 'E_INVALID_OPTION',
          message: expect.stringContaining('maxEntries'),
        }),
      );
    }
  });

  it('gives callers copies: mutating a returned value never changes the cache', async () => {
    const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 60 });
    const original = { list: [1, 2], nested: { a: 1 } };
    await cache.set('obj', original);
    original.list.push(3);
    const first = await cache.get<typeof original>('obj');
    first!.nested.a = 99;
    expect(await cache.get('obj')).toEqual({ list: [1, 2], nested: { a: 1 } });
  });

  it('expires by Date.now(), driven by fake timers, and starts no timers', async () => {
    vi.useFakeTimers();
    const store = new MemoryCacheStore();
    await store.set('k', 'v', 1000);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(999);
    expect(await store.get('k')).toBe('v');
    vi.advanceTimersByTime(1);
    expect(await store.get('k')).toBeUndefined();
  });

  it('does not count expired entries in delByPattern', async () => {
    vi.useFakeTimers();
    const store = new MemoryCacheStore();
    await store.set('p:1', 'v', 1000);
    await store.set('p:2', 'v', 5000);
    vi.advanceTimersByTime(2000);
    expect(await store.delByPattern('p:*')).toBe(1);
  });

  it('clear() and close() empty it', async () => {
    const store = new MemoryCacheStore();
    await store.set('k', 'v', 1000);
    await store.clear();
    expect(store.size).toBe(0);
    await store.set('k', 'v', 1000);
    await store.close();
    expect(await store.get('k')).toBeUndefined();
  });
});
