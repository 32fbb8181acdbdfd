/**
 * Channels record a failure by setting `message.error`, and glasswork/otel tests
 * `message.error !== undefined`. A loader that rejects with `undefined` (`Promise.reject()`,
 * `throw undefined`, a callback API's `reject()`) fails the caller, yet its `cache.load` and
 * `cache.wrap` spans end with status OK and the loader metric says `ok`.
 */
import { context, SpanStatusCode } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { instrumentGlasswork } from 'glasswork/otel';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const contextManager = new AsyncLocalStorageContextManager();
beforeAll(() => {
  context.setGlobalContextManager(contextManager.enable());
});
afterAll(() => {
  context.disable();
});

describe('a loader rejecting with undefined', () => {
  it('is an error on its spans', async () => {
    const spans = new InMemorySpanExporter();
    const tracerProvider = new BasicTracerProvider({
      spanProcessors: [new SimpleSpanProcessor(spans)],
    });
    const meterProvider = new MeterProvider();
    const stop = instrumentGlasswork({ tracerProvider, meterProvider });
    try {
      const cache = new CacheService(new MemoryCacheStore(), {
        defaultTTL: 60,
        logger: silentLogger,
      });
      const outcome = await cache
        .wrap('k', () => Promise.reject(undefined))
        .then(
          () => 'resolved',
          () => 'rejected',
        );
      expect(outcome).toBe('rejected');
      const byName = Object.fromEntries(
        spans.getFinishedSpans().map((span) => [span.name, span.status.code]),
      );
      expect(byName).toEqual({
        'cache.load': SpanStatusCode.ERROR,
        'cache.wrap': SpanStatusCode.ERROR,
      });
    } finally {
      stop();
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    }
  });
});
