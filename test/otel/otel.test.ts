/**
 * glasswork/otel against the real OpenTelemetry SDK: spans through the in-memory span
 * exporter, metrics through the in-memory metric exporter, context through the
 * AsyncLocalStorage context manager.
 */
import { context, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import {
  AggregationTemporality,
  InMemoryMetricExporter,
  MeterProvider,
  PeriodicExportingMetricReader,
} from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { CacheService, type CacheStore, MemoryCacheStore, silentLogger } from 'glasswork';
import { instrumentGlasswork } from 'glasswork/otel';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';

/** A value no attribute may ever hold. */
const SECRET = 'secret-value-4f1c';
const VALUE = { card: SECRET, nested: [SECRET] };

const contextManager = new AsyncLocalStorageContextManager();
let spans: InMemorySpanExporter;
let metricExporter: InMemoryMetricExporter;
let reader: PeriodicExportingMetricReader;
let tracerProvider: BasicTracerProvider;
let meterProvider: MeterProvider;
let stop: (() => void) | undefined;

beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  context.disable();
});

beforeEach(() => {
  spans = new InMemorySpanExporter();
  tracerProvider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(spans)] });
  metricExporter = new InMemoryMetricExporter(AggregationTemporality.CUMULATIVE);
  reader = new PeriodicExportingMetricReader({
    exporter: metricExporter,
    exportIntervalMillis: 3_600_000,
  });
  meterProvider = new MeterProvider({ readers: [reader] });
});
afterEach(async () => {
  stop?.();
  stop = undefined;
  vi.useRealTimers();
  await meterProvider.shutdown();
  await tracerProvider.shutdown();
});

const instrument = (keys?: 'none' | 'hash' | 'plain') => {
  stop = instrumentGlasswork({ tracerProvider, meterProvider, keys });
};
const create = (store: CacheStore = new MemoryCacheStore()) =>
  new CacheService(store, { defaultTTL: 60, keyPrefix: 'app', logger: silentLogger });

const finished = () => spans.getFinishedSpans();
const named = (name: string) => finished().filter((span) => span.name === name);
const one = (name: string) => {
  const found = named(name);
  expect(found, `spans named ${name}`).toHaveLength(1);
  return found[0]!;
};
const parentOf = (span: ReadableSpan) => span.parentSpanContext?.spanId;

/** Every metric point, by instrument name: the sum (counters) or count (histograms), per attribute set. */
async function collectMetrics() {
  await reader.forceFlush();
  const points: Record<string, { attributes: Record<string, unknown>; value: number }[]> = {};
  for (const batch of metricExporter.getMetrics()) {
    for (const scope of batch.scopeMetrics) {
      for (const metric of scope.metrics) {
        points[metric.descriptor.name] = metric.dataPoints.map((point) => ({
          attributes: point.attributes,
          value:
            typeof point.value === 'number'
              ? point.value
              : (point.value as { count: number }).count,
        }));
      }
    }
  }
  metricExporter.reset();
  return points;
}
const total = (points: { value: number }[] | undefined) =>
  (points ?? []).reduce((sum, point) => sum + point.value, 0);

describe('instrumentGlasswork: spans', () => {
  it('traces get, set and del, with hit and miss, under the caller span', async () => {
    instrument();
    const cache = create();
    const tracer = tracerProvider.getTracer('test');
    await tracer.startActiveSpan('request', async (request) => {
      await cache.get('user:1');
      await cache.set('user:1', VALUE);
      await cache.get('user:1');
      await cache.del('user:1');
      request.end();
    });
    const requestSpan = one('request');
    const gets = named('cache.get');
    expect(gets.map((span) => span.attributes['glasswork.outcome'])).toEqual(['miss', 'hit']);
    expect(gets.map((span) => span.attributes['cache.hit'])).toEqual([false, true]);
    for (const span of [...gets, one('cache.set'), one('cache.del')]) {
      expect(parentOf(span)).toBe(requestSpan.spanContext().spanId);
      expect(span.attributes['glasswork.store']).toBe('memory');
      expect(span.attributes['glasswork.tier']).toBe('store');
      expect(span.attributes['glasswork.key']).toBeUndefined();
    }
    expect(one('cache.set').attributes['glasswork.ttl_ms']).toBe(60_000);
    expect(one('cache.del').attributes['glasswork.removed']).toBe(1);
  });

  it('puts the loader span under the wrap span, and the loader runs in its context', async () => {
    instrument();
    const cache = create();
    const tracer = tracerProvider.getTracer('test');
    let activeInLoader: string | undefined;
    await cache.wrap('user:1', 600, async ({ setTTL }) => {
      activeInLoader = trace.getActiveSpan()?.spanContext().spanId;
      // Work the loader does (an HTTP call, say) is traced under the loader's span.
      tracer.startSpan('fetch').end();
      setTTL(30);
      return VALUE;
    });
    const wrap = one('cache.wrap');
    const load = one('cache.load');
    expect(parentOf(load)).toBe(wrap.spanContext().spanId);
    expect(activeInLoader).toBe(load.spanContext().spanId);
    expect(parentOf(one('fetch'))).toBe(load.spanContext().spanId);
    expect(wrap.attributes).toMatchObject({
      'glasswork.outcome': 'miss',
      'cache.hit': false,
      'glasswork.coalesced': false,
      'glasswork.ttl_ms': 600_000,
    });
    expect(load.attributes).toMatchObject({
      'glasswork.ttl_ms': 600_000,
      'glasswork.loader.ttl_override_ms': 30_000,
      'glasswork.loader.has_stale': false,
    });
    // wrap writes through the store itself: no cache.set span of its own.
    expect(named('cache.set')).toHaveLength(0);
  });

  it('marks coalesced callers and gives them no loader span of their own', async () => {
    instrument();
    const cache = create();
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const calls = [1, 2, 3].map(() => cache.wrap('k', 60, () => gate.then(() => 'v')));
    release();
    await Promise.all(calls);
    const wraps = named('cache.wrap');
    expect(wraps.map((span) => span.attributes['glasswork.coalesced']).sort()).toEqual([
      false,
      true,
      true,
    ]);
    expect(named('cache.load')).toHaveLength(1);
  });

  it('links a background refresh span to the span of the request that triggered it', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    instrument();
    const cache = create();
    await cache.wrapSWR('flags', 10, 300, () => ({ v: 1, token: SECRET }));
    vi.setSystemTime(Date.now() + 20_000);
    spans.reset();
    const tracer = tracerProvider.getTracer('test');
    await tracer.startActiveSpan('request', async (request) => {
      await cache.wrapSWR('flags', 10, 300, () => ({ v: 2, token: SECRET }));
      request.end();
    });
    await cache.drain();
    const trigger = one('cache.wrapSWR');
    expect(trigger.attributes).toMatchObject({
      'glasswork.outcome': 'stale',
      'glasswork.stale_reason': 'swr',
      'glasswork.refresh': 'background',
    });
    const refresh = one('cache.refresh');
    expect(parentOf(refresh)).toBeUndefined();
    expect(refresh.spanContext().traceId).not.toBe(trigger.spanContext().traceId);
    expect(refresh.links.map((link) => link.context.spanId)).toEqual([
      trigger.spanContext().spanId,
    ]);
    expect(refresh.attributes).toMatchObject({
      'glasswork.refresh.background': true,
      'glasswork.outcome': 'refreshed',
    });
    const load = one('cache.load');
    expect(parentOf(load)).toBe(refresh.spanContext().spanId);
    expect(load.attributes['glasswork.loader.has_stale']).toBe(true);
    expect(one('cache.drain').attributes['glasswork.background.remaining']).toBe(0);
  });

  it('records a failing loader as an error by its class, never its message', async () => {
    instrument();
    const cache = create();
    await expect(
      cache.wrap('k', 60, () => {
        throw new RangeError(`bad ${SECRET}`);
      }),
    ).rejects.toThrow(RangeError);
    for (const span of [one('cache.wrap'), one('cache.load')]) {
      expect(span.status.code).toBe(2); // ERROR
      expect(span.attributes['error.type']).toBe('RangeError');
      expect(JSON.stringify([span.attributes, span.events, span.status])).not.toContain(SECRET);
    }
  });

  it('names keys only when asked: hashed or plain', async () => {
    instrument('hash');
    const cache = create();
    await cache.get('user:42');
    const hashed = one('cache.get').attributes;
    expect(hashed['glasswork.key']).toBeUndefined();
    expect(hashed['glasswork.key_hash']).toMatch(/^[0-9a-f]{16}$/);
    stop?.();
    spans.reset();
    instrument('plain');
    await cache.get('user:42');
    expect(one('cache.get').attributes['glasswork.key']).toBe('app:user:42');
  });

  it('carries no value in any attribute, event or link', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    instrument('plain');
    const cache = create();
    await cache.set('a', VALUE);
    await cache.get('a');
    await cache.wrap('b', 60, () => VALUE);
    await cache.wrap('b', 60, () => VALUE);
    await cache.wrapSWR('c', 1, 60, () => VALUE);
    vi.setSystemTime(Date.now() + 2000);
    await cache.wrapSWR('c', 1, 60, () => VALUE);
    await cache.drain();
    await cache.has('a');
    await cache.delByPattern('*');
    expect(finished().length).toBeGreaterThan(8);
    for (const span of finished()) {
      const text = JSON.stringify({
        attributes: span.attributes,
        events: span.events,
        links: span.links,
        status: span.status,
        name: span.name,
      });
      expect(text).not.toContain(SECRET);
    }
  });

  it('refuses an unknown keys mode', () => {
    expect(() =>
      instrumentGlasswork({ tracerProvider, keys: 'full' as unknown as 'plain' }),
    ).toThrow(expect.objectContaining({ code: 'E_INVALID_OPTION' }));
  });

  it('stops: no spans after the returned function is called, and no context bound', async () => {
    instrument();
    const cache = create();
    stop?.();
    await cache.wrap('k', 60, () => 1);
    expect(finished()).toHaveLength(0);
  });
});

describe('instrumentGlasswork: metrics', () => {
  it('counts hits, misses and stale by tier, times loaders, counts drained work', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    instrument();
    const cache = create();
    await cache.get('a'); // miss
    await cache.wrap('a', 60, () => 1); // miss + load
    await cache.get('a'); // hit
    await cache.wrap('a', 60, () => 1); // hit
    await cache.wrapSWR('s', 1, 60, () => 1); // miss + load
    vi.setSystemTime(Date.now() + 2000);
    await cache.wrapSWR('s', 1, 60, () => 2); // stale + background load
    await cache.drain();
    const points = await collectMetrics();
    expect(total(points['glasswork.cache.hits'])).toBe(2);
    expect(total(points['glasswork.cache.misses'])).toBe(3);
    expect(total(points['glasswork.cache.stale_served'])).toBe(1);
    for (const point of points['glasswork.cache.hits']!) {
      expect(point.attributes['glasswork.tier']).toBe('store');
    }
    expect(total(points['glasswork.loader.duration'])).toBe(3);
    expect(
      points['glasswork.loader.duration']!.find(
        (point) => point.attributes['glasswork.loader.refresh'] === true,
      )?.value,
    ).toBe(1);
    expect(total(points['glasswork.background.drained'])).toBe(1);
  });

  it('counts store errors by operation and error type', async () => {
    instrument();
    const failing: CacheStore = {
      name: 'broken',
      get: () => Promise.reject(Object.assign(new Error(`down ${SECRET}`), { code: 'ECONNRESET' })),
      set: () => Promise.reject(new Error('down')),
      del: () => Promise.resolve(false),
    };
    const cache = create(failing);
    expect(await cache.get('a')).toBeUndefined();
    await cache.set('a', 1);
    const points = await collectMetrics();
    const errors = points['glasswork.store.errors']!;
    expect(errors).toEqual(
      expect.arrayContaining([
        {
          attributes: expect.objectContaining({
            'glasswork.store': 'broken',
            'glasswork.store.operation': 'get',
            'error.type': 'ECONNRESET',
          }),
          value: 2, // the entry and the service's generation
        },
      ]),
    );
    expect(total(errors)).toBe(3);
  });

  it('counts lock waits and their duration', async () => {
    instrument();
    const store = new MemoryCacheStore();
    const a = create(store);
    const b = create(store);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const winner = a.wrap('k', 60, () => gate.then(() => 'v'), { lock: true });
    await new Promise((resolve) => setTimeout(resolve, 5));
    const waiter = b.wrap('k', 60, () => 'own', { lock: true, lockWaitMs: 2000 });
    await new Promise((resolve) => setTimeout(resolve, 30));
    release();
    expect(await winner).toBe('v');
    expect(await waiter).toBe('v');
    const points = await collectMetrics();
    expect(total(points['glasswork.lock.waits'])).toBe(1);
    expect(total(points['glasswork.lock.wait.duration'])).toBe(1);
    const waited = named('cache.wrap').find(
      (span) => span.attributes['glasswork.lock'] === 'waited',
    );
    expect(waited?.attributes['glasswork.lock.wait_ms']).toBeGreaterThan(0);
  });
});
