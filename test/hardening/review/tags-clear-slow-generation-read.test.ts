/**
 * docs/tags.md: an instance uses a generation "for at most one second after sending that
 * read", which is why clear() resolves one second after its write. But TagState#checkRead
 * (and capture, checkMany) use whatever GenerationCache.load() resolves, and load() hands
 * out the read already in flight however old it is. A read sent before clear() whose answer
 * comes back late (a slow network or a blocked event loop, well within storeTimeoutMs) is
 * used by a get() that started after clear() resolved, and the cleared entry is served.
 */
import { CacheService, type CacheStore, MemoryCacheStore, silentLogger } from 'glasswork';
import { describe, expect, it } from 'vitest';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The shared store, whose answers to generation reads arrive `delayMs` late. */
function slowGenerationReads(inner: MemoryCacheStore, delayMs: number): CacheStore {
  return new Proxy(inner, {
    get(target, property, receiver) {
      if (property === 'get') {
        return async (key: string) => {
          const answer = await target.get(key); // what the store held when the read arrived
          if (key.endsWith('#glasswork:generation')) await sleep(delayMs);
          return answer;
        };
      }
      const value = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as CacheStore;
}

describe('clear() and a generation read answered late', () => {
  it('a get() started after clear() resolved does not return a cleared entry', async () => {
    const shared = new MemoryCacheStore();
    const a = new CacheService(shared, { defaultTTL: 60, keyPrefix: 'p', logger: silentLogger });
    const b = new CacheService(slowGenerationReads(shared, 1500), {
      defaultTTL: 60,
      keyPrefix: 'p',
      logger: silentLogger,
    });
    await a.set('k', 'old');
    const early = b.get('k'); // sends B's generation read; its answer takes 1.5 s
    await sleep(20);
    expect(await a.clear()).toBe(true);
    const afterClear = b.get('k');
    await early;
    expect(await afterClear).toBeUndefined();
  });
});
