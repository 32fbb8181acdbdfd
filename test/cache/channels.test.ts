/**
 * The diagnostics channels, read by a plain subscriber: which operations publish, the
 * fields of their messages, and that no message ever carries a value.
 */
import { channel, tracingChannel } from 'node:diagnostics_channel';
import {
  CacheService,
  type CacheStore,
  type GlassworkTracingChannels,
  MemoryCacheStore,
  silentLogger,
} from 'glasswork';
import { afterEach, describe, expect, it, vi } from 'vitest';

const SECRET = 'value-7d2e';
type Name = keyof GlassworkTracingChannels;
const NAMES: Name[] = [
  'glasswork:get',
  'glasswork:has',
  'glasswork:set',
  'glasswork:del',
  'glasswork:wrap',
  'glasswork:load',
  'glasswork:refresh',
  'glasswork:drain',
];

/** Records every event on every channel: [channel, event, a copy of the message]. */
function record() {
  const events: [Name, string, Record<string, unknown>][] = [];
  const unsubscribes = NAMES.map((name) => {
    const handlers = Object.fromEntries(
      ['start', 'end', 'asyncStart', 'asyncEnd', 'error'].map((event) => [
        event,
        (message: object) => events.push([name, event, { ...message }]),
      ]),
    ) as unknown as Parameters<ReturnType<typeof tracingChannel>['subscribe']>[0];
    const tracing = tracingChannel(name);
    tracing.subscribe(handlers);
    return () => tracing.unsubscribe(handlers);
  });
  const done = (name: Name) =>
    events.filter(([n, event]) => n === name && event === 'asyncEnd').map(([, , m]) => m);
  return {
    events,
    done,
    stop: () => {
      for (const unsubscribe of unsubscribes) unsubscribe();
    },
  };
}

let stop: (() => void) | undefined;
afterEach(() => {
  stop?.();
  stop = undefined;
  vi.useRealTimers();
});

const create = (store: CacheStore = new MemoryCacheStore()) =>
  new CacheService(store, { defaultTTL: 60, keyPrefix: 'p', logger: silentLogger });

describe('tracing channels', () => {
  it('publish get, set, has and del with their outcome, start to asyncEnd', async () => {
    const recorder = record();
    stop = recorder.stop;
    const cache = create();
    await cache.get('a');
    await cache.set('a', SECRET, 30);
    await cache.get('a');
    await cache.has('a');
    await cache.del('a');
    await cache.delByPattern('*');
    const common = { store: 'memory', tier: 'store' };
    expect(recorder.done('glasswork:get')).toEqual([
      { operation: 'get', key: 'p:a', outcome: 'miss', ...common },
      { operation: 'get', key: 'p:a', outcome: 'hit', ...common },
    ]);
    expect(recorder.done('glasswork:set')).toEqual([
      { operation: 'set', key: 'p:a', ttlMs: 30_000, written: true, ...common },
    ]);
    expect(recorder.done('glasswork:has')).toEqual([
      { operation: 'has', key: 'p:a', outcome: 'hit', ...common },
    ]);
    expect(recorder.done('glasswork:del')).toEqual([
      { operation: 'del', key: 'p:a', removed: 1, ...common },
      { operation: 'delByPattern', key: 'p:*', removed: 0, ...common },
    ]);
    const order = recorder.events.filter(([name]) => name === 'glasswork:get').map(([, e]) => e);
    expect(order.slice(0, 4)).toEqual(['start', 'end', 'asyncStart', 'asyncEnd']);
  });

  it('publish wrap per caller and load once, with lock, coalescing and TTL facts', async () => {
    const recorder = record();
    stop = recorder.stop;
    const cache = create();
    const loader = async ({ setTTL }: { setTTL: (s: number) => void }) => {
      setTTL(20);
      return SECRET;
    };
    await Promise.all([
      cache.wrap('w', 60, loader, { lock: true }),
      cache.wrap('w', 60, loader, { lock: true }),
    ]);
    const wraps = recorder.done('glasswork:wrap');
    expect(wraps).toEqual([
      expect.objectContaining({
        operation: 'wrap',
        key: 'p:w',
        coalesced: false,
        outcome: 'miss',
        lock: 'acquired',
        ttlMs: 60_000,
      }),
      expect.objectContaining({ operation: 'wrap', key: 'p:w', coalesced: true }),
    ]);
    expect(wraps[1]!.outcome).toBeUndefined();
    expect(recorder.done('glasswork:load')).toEqual([
      {
        operation: 'load',
        key: 'p:w',
        store: 'memory',
        tier: 'store',
        ttlMs: 60_000,
        hasStale: false,
        refresh: false,
        ttlOverrideMs: 20_000,
      },
    ]);
  });

  it('publish a failing loader on error, then asyncEnd, with the error set', async () => {
    const recorder = record();
    stop = recorder.stop;
    const cache = create();
    const failure = new Error('boom');
    await expect(cache.wrap('f', 60, () => Promise.reject(failure))).rejects.toBe(failure);
    const loadEvents = recorder.events.filter(([name]) => name === 'glasswork:load');
    expect(loadEvents.map(([, event]) => event)).toEqual([
      'start',
      'end',
      'error',
      'asyncStart',
      'asyncEnd',
    ]);
    expect(loadEvents.at(-1)![2].error).toBe(failure);
  });

  it('publish refresh and drain for stale-while-revalidate', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const cache = create();
    await cache.wrapSWR('s', 1, 60, () => 1);
    vi.setSystemTime(Date.now() + 2000);
    const recorder = record();
    stop = recorder.stop;
    expect(await cache.wrapSWR('s', 1, 60, () => 2)).toBe(1);
    await cache.drain(1000);
    expect(recorder.done('glasswork:wrap')).toEqual([
      expect.objectContaining({
        operation: 'wrapSWR',
        outcome: 'stale',
        staleReason: 'swr',
        refresh: 'background',
      }),
    ]);
    expect(recorder.done('glasswork:refresh')).toEqual([
      expect.objectContaining({
        operation: 'refresh',
        key: 'p:s',
        background: true,
        outcome: 'refreshed',
      }),
    ]);
    expect(recorder.done('glasswork:load')).toEqual([
      expect.objectContaining({ hasStale: true, refresh: true }),
    ]);
    expect(recorder.done('glasswork:drain')).toEqual([
      expect.objectContaining({
        operation: 'drain',
        key: '',
        pending: 1,
        remaining: 0,
        timeoutMs: 1000,
      }),
    ]);
  });

  it('never carry a value in any message', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const recorder = record();
    stop = recorder.stop;
    const cache = create();
    await cache.set('a', { secret: SECRET });
    await cache.get('a');
    await cache.wrap('b', 60, () => ({ secret: SECRET }));
    await cache.wrap('b', 60, () => ({ secret: SECRET }));
    await cache.wrapSWR('c', 1, 60, () => ({ secret: SECRET }));
    vi.setSystemTime(Date.now() + 2000);
    await cache.wrapSWR('c', 1, 60, () => ({ secret: SECRET }));
    await cache.drain();
    expect(recorder.events.length).toBeGreaterThan(30);
    for (const [, , message] of recorder.events) {
      expect(JSON.stringify(message)).not.toContain(SECRET);
      expect(message).not.toHaveProperty('result');
    }
  });

  it('publish nothing, and build no message, while nobody subscribes', async () => {
    const cache = create();
    const spy = vi.spyOn(tracingChannel('glasswork:get').start, 'runStores');
    await cache.set('a', 1);
    await cache.get('a');
    await cache.wrap('b', 60, () => 1);
    expect(spy).not.toHaveBeenCalled();
    spy.mockRestore();
  });
});

describe('glasswork:store-error', () => {
  it('carries the store operation, key and error of an absorbed failure', async () => {
    const seen: Record<string, unknown>[] = [];
    const listener = (message: unknown) => seen.push({ ...(message as object) });
    channel('glasswork:store-error').subscribe(listener);
    try {
      const failure = new Error('down');
      const store: CacheStore = {
        name: 'broken',
        get: () => Promise.reject(failure),
        set: () => Promise.resolve(),
        del: () => Promise.resolve(false),
      };
      expect(await create(store).get('x')).toBeUndefined();
      expect(seen).toEqual([
        { operation: 'get', key: 'p:x', store: 'broken', tier: 'store', error: failure },
        // The service's generation, read beside the entry (see clear()).
        {
          operation: 'get',
          key: 'p#glasswork:generation',
          store: 'broken',
          tier: 'store',
          error: failure,
        },
      ]);
    } finally {
      channel('glasswork:store-error').unsubscribe(listener);
    }
  });
});
