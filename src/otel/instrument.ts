import type { AsyncLocalStorage } from 'node:async_hooks';
import { channel, tracingChannel } from 'node:diagnostics_channel';
import {
  type Attributes,
  type Context,
  context,
  type MeterProvider,
  metrics,
  type Span,
  SpanStatusCode,
  type Tracer,
  type TracerProvider,
  trace,
} from '@opentelemetry/api';
import type { GlassworkTracingChannels, StoreErrorMessage } from '../cache/channels.js';
import { CacheArgumentError, describeValue } from '../errors.js';
import { SAFE_CODE } from '../shared/logger.js';
import { type KeyAttributeMode, keyAttributes } from './keys.js';
import { GlassworkMetrics } from './metrics.js';

/** Options of {@link instrumentGlasswork}. */
export interface GlassworkInstrumentationOptions {
  /**
   * Where spans go.
   * @default the global tracer provider (`trace.getTracerProvider()`)
   */
  tracerProvider?: TracerProvider;
  /**
   * Where metrics go.
   * @default the global meter provider (`metrics.getMeterProvider()`)
   */
  meterProvider?: MeterProvider;
  /**
   * How keys appear on spans: not at all, as a short SHA-256 hash, or in full. Keys often
   * hold personal data (user ids, e-mail addresses). Metrics never carry keys.
   * @default 'none'
   */
  keys?: KeyAttributeMode;
}

type ChannelName = keyof GlassworkTracingChannels;
type AnyMessage = GlassworkTracingChannels[ChannelName];

const TRACED: readonly ChannelName[] = [
  'glasswork:get',
  'glasswork:has',
  'glasswork:set',
  'glasswork:del',
  'glasswork:wrap',
  'glasswork:load',
  'glasswork:refresh',
  'glasswork:drain',
];

/** What is kept per operation between its `start` and its end. */
interface Running {
  span: Span;
  startedMs: number;
}

/**
 * Turns glasswork's diagnostics channels into OpenTelemetry spans and metrics, for every
 * `CacheService` in the process. Returns the function that stops it. Spans: `cache.get`,
 * `cache.has`, `cache.set`, `cache.del`, `cache.delByPattern`, `cache.wrap`,
 * `cache.wrapSWR` (with a `cache.load` child for the loader), `cache.refresh` (a new trace
 * linked to the request that found the entry stale, when it runs in the background) and
 * `cache.drain`. Values never appear; keys only as `keys` allows. Parent/child relations
 * follow the active context, so register a context manager (NodeSDK and the ADOT Lambda
 * layer do).
 *
 * @example
 * import { instrumentGlasswork } from 'glasswork/otel';
 * const stop = instrumentGlasswork({ keys: 'hash' });
 * @throws CacheArgumentError `E_INVALID_OPTION` for an unknown `keys` mode
 */
export function instrumentGlasswork(options: GlassworkInstrumentationOptions = {}): () => void {
  const mode = options.keys ?? 'none';
  if (mode !== 'none' && mode !== 'hash' && mode !== 'plain') {
    throw new CacheArgumentError(
      'E_INVALID_OPTION',
      `keys must be 'none', 'hash' or 'plain', got ${describeValue(mode)}`,
    );
  }
  const tracer = (options.tracerProvider ?? trace.getTracerProvider()).getTracer('glasswork');
  const meters = new GlassworkMetrics(
    (options.meterProvider ?? metrics.getMeterProvider()).getMeter('glasswork'),
  );
  const running = new WeakMap<object, Running>();
  // The stores a channel's `start` runs the operation in: OpenTelemetry's active context,
  // so a span started here is the parent of whatever the operation awaits (the loader
  // under wrap, and the loader's own HTTP or SDK calls).
  const otelContext = {
    run: <R>(active: Context, fn: () => R): R => context.with(active, fn),
  } as unknown as AsyncLocalStorage<Context>;

  const start = (message: AnyMessage): Context => {
    const active = context.active();
    try {
      const span = startSpan(tracer, message, active, mode);
      running.set(message, { span, startedMs: performance.now() });
      return trace.setSpan(active, span);
    } catch {
      return active;
    }
  };
  const finish = (message: AnyMessage): void => {
    const state = running.get(message);
    if (state === undefined) return;
    running.delete(message);
    try {
      endSpan(state, message, meters);
    } catch {
      // Telemetry never breaks the cache.
    }
  };
  const handlers = {
    start: noop,
    end: (message: AnyMessage) => {
      // A synchronous failure ends here; asynchronous outcomes end at asyncEnd.
      if (message.failed === true) finish(message);
    },
    asyncStart: noop,
    asyncEnd: finish,
    error: noop,
  };
  const channels = TRACED.map((name) => tracingChannel<Context, AnyMessage>(name));
  for (const tracing of channels) {
    tracing.start.bindStore(otelContext, start);
    tracing.subscribe(handlers);
  }
  const storeErrors = channel('glasswork:store-error');
  const onStoreError = (message: unknown) => {
    try {
      const failure = message as StoreErrorMessage;
      meters.storeError(failure, errorType(failure.error));
    } catch {
      // Telemetry never breaks the cache.
    }
  };
  storeErrors.subscribe(onStoreError);

  let stopped = false;
  return () => {
    if (stopped) return;
    stopped = true;
    for (const tracing of channels) {
      tracing.unsubscribe(handlers);
      tracing.start.unbindStore(otelContext);
    }
    storeErrors.unsubscribe(onStoreError);
  };
}

function startSpan(
  tracer: Tracer,
  message: AnyMessage,
  active: Context,
  mode: KeyAttributeMode,
): Span {
  const attributes: Attributes = {
    'glasswork.operation': message.operation,
    'glasswork.store': message.store,
    'glasswork.tier': message.tier,
    ...keyAttributes(mode, message.key),
  };
  const name = `cache.${message.operation}`;
  if (message.operation === 'refresh' && message.background) {
    // A background refresh outlives the request that found the entry stale: its own
    // trace, linked to that request's span.
    const trigger = trace.getSpan(active)?.spanContext();
    return tracer.startSpan(
      name,
      { root: true, attributes, links: trigger === undefined ? [] : [{ context: trigger }] },
      active,
    );
  }
  return tracer.startSpan(name, { attributes }, active);
}

function endSpan(state: Running, message: AnyMessage, meters: GlassworkMetrics): void {
  const { span } = state;
  const base: Attributes = {
    'glasswork.operation': message.operation,
    'glasswork.store': message.store,
    'glasswork.tier': message.tier,
  };
  const seconds = (performance.now() - state.startedMs) / 1000;
  const attributes: Attributes = {};
  switch (message.operation) {
    case 'get':
    case 'has':
      if (message.outcome !== undefined) {
        attributes['glasswork.outcome'] = message.outcome;
        attributes['cache.hit'] = message.outcome === 'hit';
      }
      if (message.operation === 'get') meters.lookup(message.outcome, base);
      break;
    case 'set':
      attributes['glasswork.ttl_ms'] = message.ttlMs;
      if (message.written !== undefined) attributes['glasswork.written'] = message.written;
      break;
    case 'del':
    case 'delByPattern':
      if (message.removed !== undefined) attributes['glasswork.removed'] = message.removed;
      break;
    case 'wrap':
    case 'wrapSWR':
      attributes['glasswork.ttl_ms'] = message.ttlMs;
      attributes['glasswork.coalesced'] = message.coalesced;
      if (message.outcome !== undefined) {
        attributes['glasswork.outcome'] = message.outcome;
        attributes['cache.hit'] = message.outcome === 'hit';
      }
      setDefined(attributes, 'glasswork.stale_reason', message.staleReason);
      setDefined(attributes, 'glasswork.lock', message.lock);
      setDefined(attributes, 'glasswork.lock.wait_ms', message.lockWaitMs);
      setDefined(attributes, 'glasswork.refresh', message.refresh);
      meters.lookup(message.outcome, base);
      meters.lockWait(message, base);
      break;
    case 'load': {
      attributes['glasswork.ttl_ms'] = message.ttlMs;
      attributes['glasswork.loader.has_stale'] = message.hasStale;
      attributes['glasswork.loader.refresh'] = message.refresh;
      setDefined(attributes, 'glasswork.loader.ttl_override_ms', message.ttlOverrideMs);
      setDefined(attributes, 'glasswork.loader.aborted', message.aborted);
      const outcome =
        message.aborted !== undefined ? 'aborted' : message.failed === true ? 'error' : 'ok';
      meters.loader(seconds, {
        ...base,
        'glasswork.loader.outcome': outcome,
        'glasswork.loader.refresh': message.refresh,
      });
      break;
    }
    case 'refresh':
      attributes['glasswork.refresh.background'] = message.background;
      setDefined(attributes, 'glasswork.outcome', message.outcome);
      break;
    case 'drain':
      attributes['glasswork.background.pending'] = message.pending;
      setDefined(attributes, 'glasswork.background.remaining', message.remaining);
      setDefined(attributes, 'glasswork.drain.timeout_ms', message.timeoutMs);
      meters.drained(message.pending - (message.remaining ?? message.pending), {
        'glasswork.store': message.store,
      });
      break;
  }
  if (message.failed === true) {
    // The error's class and code only: messages of foreign errors may quote values.
    attributes['error.type'] = errorType(message.error);
    span.setStatus({ code: SpanStatusCode.ERROR });
  }
  span.setAttributes(attributes);
  span.end();
}

/** A value-free name for an error: its `code`, else its class name, when an identifier. */
function errorType(error: unknown): string {
  if (typeof error === 'object' && error !== null) {
    try {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && SAFE_CODE.test(code)) return code;
      const name = (error as { name?: unknown }).name;
      if (typeof name === 'string' && SAFE_CODE.test(name)) return name;
    } catch {
      // A hostile error: fall through to its type.
    }
  }
  return typeof error;
}

function setDefined(
  attributes: Attributes,
  name: string,
  value: string | number | boolean | undefined,
): void {
  if (value !== undefined) attributes[name] = value;
}

function noop(): void {}
