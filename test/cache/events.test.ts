import { type CacheEvent, CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChaosStore } from '../helpers/chaos-store.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('events and stats', () => {
  it('reports a scripted scenario with exact counts, keys, store and durations', async () => {
    vi.useFakeTimers();
    const events: CacheEvent[] = [];
    const store = new ChaosStore(new MemoryCacheStore());
    const cache = new CacheService(store, {
      defaultTTL: 60,
      keyPrefix: 'app',
      logger: silentLogger,
      onEvent: (event) => events.push(event),
    });
    const secret = { card: '4111-1111-1111-1111' };
    await cache.get('a'); // miss
    await cache.set('a', secret); // set
    await cache.get('a'); // hit
    await cache.wrap('b', () => secret); // miss, set
    await cache.wrap('b', () => secret); // hit
    await cache.wrapSWR('c', 1, 60, () => 1); // miss, set
    vi.advanceTimersByTime(1000);
    await cache.wrapSWR('c', 1, 60, () => 2); // stale (+ background refresh: set, refresh)
    await cache.drain();
    await cache.del('a'); // del
    await cache.del('a'); // nothing removed: no event
    store.mode('fail', 'get');
    await cache.get('b'); // error, miss
    expect(events.map((e) => e.type)).toEqual([
      'miss',
      'set',
      'hit',
      'miss',
      'set',
      'hit',
      'miss',
      'set',
      'stale',
      'set',
      'refresh',
      'del',
      'error',
      'miss',
    ]);
    expect(cache.stats()).toEqual({
      hits: 2,
      misses: 4,
      stales: 1,
      sets: 4,
      dels: 1,
      refreshes: 1,
      refreshErrors: 0,
      errors: 1,
      lockWaits: 0,
      inFlight: 0,
      background: 0,
      leasesHeld: 0,
      l1Hits: 0,
      l1Entries: 0,
      busMessages: 0,
      busErrors: 0,
    });
    for (const event of events) {
      expect(event.store).toBe('chaos');
      expect(event.key.startsWith('app:')).toBe(true);
      if (event.type === 'error') expect(event.error).toBeInstanceOf(Error);
      else expect(typeof event.durationMs).toBe('number');
    }
    expect(JSON.stringify(events)).not.toContain('4111');
  });

  it('supports per-type listeners, unsubscribing, and survives throwing listeners', async () => {
    const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 60 });
    const hits: string[] = [];
    const off = cache.on('hit', (event) => hits.push(event.key));
    cache.on('*', () => {
      throw new Error('listener bug');
    });
    await cache.set('k', 1);
    expect(await cache.get('k')).toBe(1);
    off();
    expect(await cache.get('k')).toBe(1);
    expect(hits).toEqual(['k']);
  });

  it('counts without listeners and reports refresh errors', async () => {
    vi.useFakeTimers();
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 60,
      logger: silentLogger,
    });
    await cache.wrapSWR('k', 1, 60, () => 1);
    vi.advanceTimersByTime(1000);
    await cache.wrapSWR('k', 1, 60, async () => {
      throw new Error('x');
    });
    await cache.drain();
    expect(cache.stats()).toMatchObject({ misses: 1, sets: 1, stales: 1, refreshErrors: 1 });
  });

  it('has no value contents in any event, log or error context', async () => {
    const lines: string[] = [];
    const capture = (message: string, context?: object) =>
      lines.push(message + JSON.stringify(context));
    const logger = { debug: capture, info: capture, warn: capture, error: capture };
    const events: CacheEvent[] = [];
    const store = new ChaosStore().mode('fail', 'set');
    const cache = new CacheService(store, {
      defaultTTL: 60,
      logger,
      onEvent: (e) => events.push(e),
    });
    await cache.set('k', { password: 'hunter2' });
    await cache.wrap('w', () => ({ password: 'hunter2' }));
    await cache.wrap('big', () => ({ password: 'hunter2', n: 1n }));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n')).not.toContain('hunter2');
    expect(JSON.stringify(events, (_, v) => (v instanceof Error ? v.message : v))).not.toContain(
      'hunter2',
    );
  });
});
