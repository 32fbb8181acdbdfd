/**
 * glasswork/otel puts "the error's class and code only" on spans (`error.type`), because
 * foreign messages may quote values. But any string `code` is copied as is: a loader error
 * whose `code` holds data (an e-mail, a token, a whole message) reaches the span, while the
 * logger's `errorClass` accepts only short identifier-like codes.
 */
import { context } from '@opentelemetry/api';
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

const SECRET = 'alice@example.com';

describe('error.type on spans', () => {
  it('never carries a foreign code that holds data', async () => {
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
      await expect(
        cache.wrap('user:1', () => {
          throw Object.assign(new Error('lookup failed'), {
            code: `no account for ${SECRET}`,
          });
        }),
      ).rejects.toThrow('lookup failed');
      const attributes = spans.getFinishedSpans().map((span) => span.attributes);
      expect(attributes.length).toBeGreaterThan(0);
      expect(JSON.stringify(attributes)).not.toContain(SECRET);
    } finally {
      stop();
      await tracerProvider.shutdown();
      await meterProvider.shutdown();
    }
  });
});
