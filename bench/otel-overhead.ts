/**
 * What tracing costs per `CacheService.get` hit on `MemoryCacheStore`: batches without any
 * subscriber alternate with batches where `instrumentGlasswork()` feeds the OpenTelemetry
 * SDK (BasicTracerProvider + BatchSpanProcessor to an exporter that drops spans,
 * MeterProvider with a reader, AsyncLocalStorage context manager). Prints the median ns per
 * call of each and the difference in µs.
 *
 *   npx tsx bench/otel-overhead.ts [--quick]
 */
import { context } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  type SpanExporter,
} from '@opentelemetry/sdk-trace-base';
import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { instrumentGlasswork } from 'glasswork/otel';
import { loopBatch } from './harness/interleave.js';
import { fmt, median } from './harness/stats.js';

const quick = process.argv.includes('--quick');
const ROUNDS = quick ? 7 : 21;
const CALLS = quick ? 5000 : 20_000;
const KEYS = 1000;

/** Receives spans and drops them: the cost measured is the SDK's, not an exporter's I/O. */
const dropping: SpanExporter = {
  export: (_spans, done) => done({ code: 0 }),
  shutdown: async () => {},
};
class PullReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
const tracerProvider = new BasicTracerProvider({
  spanProcessors: [new BatchSpanProcessor(dropping, { maxQueueSize: 100_000 })],
});
const reader = new PullReader();
const meterProvider = new MeterProvider({ readers: [reader] });

const cache = new CacheService(new MemoryCacheStore(), {
  defaultTTL: 600,
  logger: silentLogger,
});
for (let i = 0; i < KEYS; i++) await cache.set(`k${i}`, { id: i, name: 'Ada', roles: ['a'] });
let i = 0;
const call = () => cache.get(`k${i++ % KEYS}`);
const batch = loopBatch(CALLS);

const plain: number[] = [];
const traced: number[] = [];
await batch(call); // warm-up
for (let round = 0; round < ROUNDS; round++) {
  plain.push(await batch(call));
  const stop = instrumentGlasswork({ tracerProvider, meterProvider });
  if (round === 0) await batch(call); // warm-up of the traced path
  traced.push(await batch(call));
  stop();
  await reader.collect();
}
await tracerProvider.shutdown();
await meterProvider.shutdown();

const a = median(plain);
const b = median(traced);
console.log(`CacheService.get hit, MemoryCacheStore, ${ROUNDS} rounds of ${CALLS} calls`);
console.log(`  no subscriber:          ${fmt(a)} ns per call`);
console.log(`  OpenTelemetry SDK:      ${fmt(b)} ns per call`);
console.log(`  added per get:          ${fmt((b - a) / 1000, 2)} µs (${fmt(b / a, 2)}×)`);
