import { randomBytes, randomUUID } from 'node:crypto';
// Imported by name so the built `glasswork/testing` shares the main entry's classes.
import { CacheService, type CacheStore, escapeGlob, silentLogger } from 'glasswork';
import { afterAll, beforeAll, describe, expect, it, type TestContext, vi } from 'vitest';
import { sleep } from '../shared/timers.js';

/** The optional methods of {@link CacheStore}; tests of one are skipped on stores without it. */
type Capability =
  | 'has'
  | 'getHead'
  | 'setIfHead'
  | 'delByPattern'
  | 'setIfAbsent'
  | 'delIfEquals'
  | 'getMany'
  | 'setMany'
  | 'delMany';

/** Options of {@link runStoreConformance}. */
export interface StoreConformanceOptions {
  /** Creates the store under test, once for the whole suite. */
  createStore: () => CacheStore | Promise<CacheStore>;
  /**
   * How expiry is tested. `'fake'` moves `Date` with Vitest's fake clock (stores that
   * compare expiry with `Date.now()`); `'real'` waits for real time to pass (stores whose
   * server expires entries, like Redis).
   * @default 'fake'
   */
  clock?: 'fake' | 'real';
  /**
   * Close the store after the suite.
   * @default true
   */
  close?: boolean;
}

/**
 * Runs the shared store contract tests (the same ones glasswork's own stores pass)
 * against your {@link CacheStore}, inside Vitest. Keys are namespaced per run, so a
 * shared server can be used. Tests of an optional method the store does not implement
 * (`has`, `delByPattern`, `setIfAbsent`, `delIfEquals`, `getMany`, `setMany`, `delMany`) are reported as skipped.
 *
 * @example
 * import { runStoreConformance } from 'glasswork/testing';
 * runStoreConformance('my store', { createStore: () => new MyStore() });
 */
export function runStoreConformance(name: string, options: StoreConformanceOptions): void {
  const clock = options.clock ?? 'fake';
  describe(`${name}: store conformance`, () => {
    let store: CacheStore;
    const ns = `conformance:${randomUUID()}`;
    let counter = 0;
    const key = (suffix = '') => `${ns}:${++counter}${suffix}`;

    /** Lets `ms` pass: on the fake clock instantly, else in real time. */
    async function elapse(ms: number): Promise<void> {
      if (clock === 'fake') vi.setSystemTime(Date.now() + ms);
      else await sleep(ms);
    }
    /** A TTL long enough to outlive a round trip, short enough to wait out. */
    const shortTtlMs = clock === 'fake' ? 10_000 : 400;

    /**
     * The store, for a test of its optional `method`; skips the test when the store
     * lacks it. The store is created in `beforeAll`, so this is decided at run time.
     */
    function storeWith<M extends Capability>(
      ctx: TestContext,
      method: M,
    ): CacheStore & Required<Pick<CacheStore, M>> {
      if (typeof store[method] !== 'function') ctx.skip(`${store.name} has no ${method}()`);
      return store as CacheStore & Required<Pick<CacheStore, M>>;
    }

    beforeAll(async () => {
      store = await options.createStore();
    });
    afterAll(async () => {
      vi.useRealTimers();
      if (options.close !== false) await store?.close?.();
    });

    it('has a name', () => {
      expect(typeof store.name).toBe('string');
      expect(store.name.length).toBeGreaterThan(0);
    });

    it('misses an absent key', async () => {
      expect(await store.get(key())).toBeUndefined();
    });

    it('round-trips payloads exactly, binary-safe', async () => {
      const payloads = [
        'plain',
        '{"json":[1,2,3]}',
        'nul\u0000byte and \u0001 control \r\n characters',
        'ünïcödé ключ 键 🚀👩‍👩‍👧',
        ' leading and trailing spaces ',
        '\\ backslash * star ? question [brackets]',
      ];
      for (const payload of payloads) {
        const k = key();
        await store.set(k, payload, 60_000);
        expect(await store.get(k)).toBe(payload);
      }
    });

    it('accepts keys with unicode, spaces and pattern characters', async () => {
      for (const suffix of [':ключ:ü:🚀', ': spaced key ', ':a*b?c[d]e\\f', ':{tag}:x']) {
        const k = key(suffix);
        await store.set(k, `value of ${suffix}`, 60_000);
        expect(await store.get(k)).toBe(`value of ${suffix}`);
      }
    });

    it('replaces an entry on set', async () => {
      const k = key();
      await store.set(k, 'first', 60_000);
      await store.set(k, 'second', 60_000);
      expect(await store.get(k)).toBe('second');
    });

    it('expires entries after ttlMs, not before', async () => {
      if (clock === 'fake') vi.useFakeTimers({ toFake: ['Date'] });
      try {
        const k = key();
        await store.set(k, 'short-lived', shortTtlMs);
        await elapse(shortTtlMs / 4);
        expect(await store.get(k)).toBe('short-lived');
        await elapse(shortTtlMs);
        expect(await store.get(k)).toBeUndefined();
      } finally {
        vi.useRealTimers();
      }
    });

    it('has() follows expiry', async (ctx) => {
      const store = storeWith(ctx, 'has');
      if (clock === 'fake') vi.useFakeTimers({ toFake: ['Date'] });
      try {
        const k = key();
        await store.set(k, 'short-lived', shortTtlMs);
        await elapse(shortTtlMs / 4);
        expect(await store.has(k)).toBe(true);
        await elapse(shortTtlMs);
        expect(await store.has(k)).toBe(false);
      } finally {
        vi.useRealTimers();
      }
    });

    it('deletes entries and tells whether one existed', async () => {
      const k = key();
      await store.set(k, 'x', 60_000);
      expect(await store.del(k)).toBe(true);
      expect(await store.get(k)).toBeUndefined();
      expect(await store.del(k)).toBe(false);
    });

    it('reports existence with has()', async (ctx) => {
      const store = storeWith(ctx, 'has');
      const k = key();
      expect(await store.has(k)).toBe(false);
      await store.set(k, 'x', 60_000);
      expect(await store.has(k)).toBe(true);
    });

    it('getHead() returns the start of a live payload only', async (ctx) => {
      const store = storeWith(ctx, 'getHead');
      const k = key();
      expect(await store.getHead(k, 8)).toBeUndefined();
      await store.set(k, `gw1:head:${'é'.repeat(5000)}`, 60_000);
      expect(await store.getHead(k, 9)).toBe('gw1:head:');
      const short = key();
      await store.set(short, 'abc', 60_000);
      expect(await store.getHead(short, 32)).toBe('abc');
    });

    it('getHead() follows expiry', async (ctx) => {
      const store = storeWith(ctx, 'getHead');
      if (clock === 'fake') vi.useFakeTimers({ toFake: ['Date'] });
      try {
        const k = key();
        await store.set(k, 'short-lived', shortTtlMs);
        await elapse(shortTtlMs / 4);
        expect(await store.getHead(k, 5)).toBe('short');
        await elapse(shortTtlMs);
        expect(await store.getHead(k, 5)).toBeUndefined();
      } finally {
        vi.useRealTimers();
      }
    });

    it('setIfHead() writes only over a live payload starting with the head', async (ctx) => {
      const store = storeWith(ctx, 'setIfHead');
      const k = key();
      expect(await store.setIfHead(k, 'gw1:a:', 'gw1:b:new', 60_000)).toBe(false);
      expect(await store.get(k)).toBeUndefined();
      await store.set(k, `gw1:a:${'é'.repeat(3000)}`, 60_000);
      expect(await store.setIfHead(k, 'gw1:z:', 'gw1:b:lost', 60_000)).toBe(false);
      expect(await store.setIfHead(k, 'gw1:a:', 'gw1:b:won', 60_000)).toBe(true);
      expect(await store.get(k)).toBe('gw1:b:won');
      expect(await store.setIfHead(k, 'gw1:a:', 'gw1:c:stale', 60_000)).toBe(false);
      expect(await store.get(k)).toBe('gw1:b:won');
    });

    it('setIfHead() lets exactly one of many concurrent writers replace a payload', async (ctx) => {
      const store = storeWith(ctx, 'setIfHead');
      const k = key();
      await store.set(k, 'gw1:old:', 60_000);
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store.setIfHead(k, 'gw1:old:', `gw1:new${i}:`, 60_000),
        ),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.get(k)).toBe(`gw1:new${results.indexOf(true)}:`);
    });

    it('setIfAbsent writes only when no live entry exists', async (ctx) => {
      const store = storeWith(ctx, 'setIfAbsent');
      if (clock === 'fake') vi.useFakeTimers({ toFake: ['Date'] });
      try {
        const k = key();
        expect(await store.setIfAbsent(k, 'first', shortTtlMs)).toBe(true);
        expect(await store.setIfAbsent(k, 'second', shortTtlMs)).toBe(false);
        expect(await store.get(k)).toBe('first');
        await elapse(shortTtlMs + shortTtlMs / 2);
        expect(await store.setIfAbsent(k, 'third', 60_000)).toBe(true);
        expect(await store.get(k)).toBe('third');
        await store.del(k);
        expect(await store.setIfAbsent(k, 'fourth', 60_000)).toBe(true);
      } finally {
        vi.useRealTimers();
      }
    });

    it('setIfAbsent lets exactly one of many concurrent callers win', async (ctx) => {
      const store = storeWith(ctx, 'setIfAbsent');
      const k = key();
      const results = await Promise.all(
        Array.from({ length: 20 }, (_, i) => store.setIfAbsent(k, `writer-${i}`, 60_000)),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.get(k)).toBe(`writer-${results.indexOf(true)}`);
    });

    it('delIfEquals deletes only a live entry holding exactly the payload', async (ctx) => {
      const store = storeWith(ctx, 'delIfEquals');
      if (clock === 'fake') vi.useFakeTimers({ toFake: ['Date'] });
      try {
        const k = key();
        const payload = 'lease \u00e9\u{1f511} 1';
        expect(await store.delIfEquals(k, payload)).toBe(false);
        await store.set(k, payload, shortTtlMs);
        expect(await store.delIfEquals(k, `${payload}x`)).toBe(false);
        expect(await store.delIfEquals(k, payload.slice(0, -1))).toBe(false);
        expect(await store.get(k)).toBe(payload);
        expect(await store.delIfEquals(k, payload)).toBe(true);
        expect(await store.get(k)).toBeUndefined();
        expect(await store.delIfEquals(k, payload)).toBe(false);
        await store.set(k, payload, shortTtlMs);
        await elapse(shortTtlMs + shortTtlMs / 2);
        expect(await store.delIfEquals(k, payload)).toBe(false);
      } finally {
        vi.useRealTimers();
      }
    });

    it('delIfEquals removes a payload once among concurrent callers', async (ctx) => {
      const store = storeWith(ctx, 'delIfEquals');
      const k = key();
      await store.set(k, 'token', 60_000);
      const results = await Promise.all(
        Array.from({ length: 10 }, () => store.delIfEquals(k, 'token')),
      );
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store.get(k)).toBeUndefined();
    });

    it('holds large payloads: 1 MiB compressible and 256 KiB random', async () => {
      const compressible = JSON.stringify(
        Array.from({ length: 12_000 }, (_, i) => ({ id: i, name: `item-${i}`, tags: ['a', 'b'] })),
      ).padEnd(1024 * 1024, ' ');
      const random = randomBytes(192 * 1024).toString('base64');
      for (const payload of [compressible, random]) {
        const k = key();
        await store.set(k, payload, 60_000);
        expect(await store.get(k)).toBe(payload);
      }
    });

    it('keeps one whole payload when writers race on a key', async () => {
      const k = key();
      const payloads = Array.from({ length: 25 }, (_, i) => `writer-${i}:${'x'.repeat(1000 + i)}`);
      await Promise.all(payloads.map((payload) => store.set(k, payload, 60_000)));
      expect(payloads).toContain(await store.get(k));
      const keys = Array.from({ length: 50 }, () => key());
      await Promise.all(keys.map((k2) => store.set(k2, k2, 60_000)));
      expect(await Promise.all(keys.map((k2) => store.get(k2)))).toEqual(keys);
    });

    describe('delByPattern', () => {
      it('removes exactly the matching keys and counts them', async (ctx) => {
        const store = storeWith(ctx, 'delByPattern');
        const base = escapeGlob(key(':dbp'));
        const raw = base.replace(/\\(.)/g, '$1');
        const keys = ['a:1', 'a:2', 'a:10', 'b:1', 'a*', 'a?', '[a]:1', 'a\\1', 'ab'];
        for (const k of keys) await store.set(`${raw}:${k}`, k, 60_000);
        const removed = async (pattern: string) => store.delByPattern(`${base}:${pattern}`);
        expect(await removed('a:?')).toBe(2); // a:1, a:2
        expect(await store.get(`${raw}:a:10`)).toBe('a:10');
        expect(await removed('a\\*')).toBe(1); // the literal 'a*' only
        expect(await store.get(`${raw}:a?`)).toBe('a?');
        expect(await removed('[a]:*')).toBe(1); // brackets are literal
        expect(await removed('a\\\\1')).toBe(1); // a literal backslash
        expect(await removed('nothing*')).toBe(0);
        expect(await removed('*')).toBe(4); // a:10, b:1, a?, ab
        for (const k of keys) expect(await store.get(`${raw}:${k}`)).toBeUndefined();
      });

      it('removes many keys and counts each once', async (ctx) => {
        const store = storeWith(ctx, 'delByPattern');
        const base = key(':many');
        const keys = Array.from({ length: 1200 }, (_, i) => `${base}:${i}`);
        for (let i = 0; i < keys.length; i += 100) {
          await Promise.all(keys.slice(i, i + 100).map((k) => store.set(k, 'v', 60_000)));
        }
        const other = key(':many-other');
        await store.set(other, 'kept', 60_000);
        expect(await store.delByPattern(`${escapeGlob(base)}:*`)).toBe(keys.length);
        expect(await store.get(keys[0]!)).toBeUndefined();
        expect(await store.get(other)).toBe('kept');
      });
    });

    describe('batches', () => {
      it('getMany() answers aligned with the keys, missing keys undefined', async (ctx) => {
        const store = storeWith(ctx, 'getMany');
        const keys = [key(':a'), key(':{tag}:b'), key(':ключ 🚀'), key(':absent')];
        await store.set(keys[0]!, 'first', 60_000);
        await store.set(keys[1]!, 'second', 60_000);
        await store.set(keys[2]!, 'ünïcödé', 60_000);
        expect(await store.getMany(keys)).toEqual(['first', 'second', 'ünïcödé', undefined]);
        expect(await store.getMany([])).toEqual([]);
      });

      it('getMany() reads keys spread over many hash slots, past per-call limits', async (ctx) => {
        const store = storeWith(ctx, 'getMany');
        const keys = Array.from({ length: 250 }, (_, i) => key(`:spread:${i}`));
        await Promise.all(keys.map((k, i) => (i % 3 === 0 ? store.set(k, `v${i}`, 60_000) : null)));
        const values = await store.getMany(keys);
        expect(values).toEqual(keys.map((_, i) => (i % 3 === 0 ? `v${i}` : undefined)));
      });

      it('getMany() follows expiry', async (ctx) => {
        const store = storeWith(ctx, 'getMany');
        if (clock === 'fake') vi.useFakeTimers({ toFake: ['Date'] });
        try {
          const short = key(':short');
          const long = key(':long');
          await store.set(short, 'short-lived', shortTtlMs);
          await store.set(long, 'long-lived', 60_000);
          await elapse(shortTtlMs / 4);
          expect(await store.getMany([short, long])).toEqual(['short-lived', 'long-lived']);
          await elapse(shortTtlMs);
          expect(await store.getMany([short, long])).toEqual([undefined, 'long-lived']);
        } finally {
          vi.useRealTimers();
        }
      });

      it('setMany() stores every entry with its own TTL, binary-safe', async (ctx) => {
        const store = storeWith(ctx, 'setMany');
        if (clock === 'fake') vi.useFakeTimers({ toFake: ['Date'] });
        try {
          const entries = Array.from({ length: 60 }, (_, i) => ({
            key: key(`:set:${i}`),
            payload: `nul\u0000 ${i} ünï 🚀`,
            ttlMs: i % 2 === 0 ? shortTtlMs : 60_000,
          }));
          await store.setMany(entries);
          for (const entry of entries) expect(await store.get(entry.key)).toBe(entry.payload);
          await elapse(shortTtlMs * 1.25);
          for (const [i, entry] of entries.entries()) {
            expect(await store.get(entry.key)).toBe(i % 2 === 0 ? undefined : entry.payload);
          }
          await store.setMany([]);
        } finally {
          vi.useRealTimers();
        }
      });

      it('setMany() replaces existing entries', async (ctx) => {
        const store = storeWith(ctx, 'setMany');
        const k = key();
        await store.set(k, 'old', 60_000);
        await store.setMany([{ key: k, payload: 'new', ttlMs: 60_000 }]);
        expect(await store.get(k)).toBe('new');
      });

      it('delMany() removes the keys and counts the entries that existed', async (ctx) => {
        const store = storeWith(ctx, 'delMany');
        const keys = Array.from({ length: 40 }, (_, i) => key(`:del:${i}`));
        await Promise.all(keys.slice(0, 30).map((k) => store.set(k, 'v', 60_000)));
        const kept = key(':kept');
        await store.set(kept, 'kept', 60_000);
        expect(await store.delMany(keys)).toBe(30);
        for (const k of keys) expect(await store.get(k)).toBeUndefined();
        expect(await store.get(kept)).toBe('kept');
        expect(await store.delMany(keys)).toBe(0);
        expect(await store.delMany([])).toBe(0);
      });
    });

    describe('a CacheService', () => {
      /** Two services on the store whose prefixes differ by a trailing character only. */
      async function prefixedServices() {
        const prefix = `${ns}:svc:${++counter}`;
        const options = { defaultTTL: 60, logger: silentLogger };
        const inside = new CacheService(store, { ...options, keyPrefix: prefix });
        const sibling = new CacheService(store, { ...options, keyPrefix: `${prefix}2` });
        await inside.set('k:1', { n: 1 });
        await inside.set('k:2', null);
        await sibling.set('k:1', { n: 2 });
        return { inside, sibling };
      }

      it('stays inside its keyPrefix', async () => {
        const { inside, sibling } = await prefixedServices();
        expect(await inside.get('k:1')).toEqual({ n: 1 });
        expect(await inside.get('k:2')).toBeNull();
        expect(await inside.has('k:2')).toBe(true);
        expect(await sibling.get('k:1')).toEqual({ n: 2 });
      });

      it('deletes by pattern inside its keyPrefix only', async (ctx) => {
        storeWith(ctx, 'delByPattern');
        const { inside, sibling } = await prefixedServices();
        expect(await inside.delByPattern('*')).toBe(2);
        expect(await inside.get('k:1')).toBeUndefined();
        expect(await sibling.get('k:1')).toEqual({ n: 2 });
      });
    });
  });
}
