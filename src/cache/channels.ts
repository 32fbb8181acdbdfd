import {
  type Channel,
  channel,
  type TracingChannel,
  tracingChannel,
} from 'node:diagnostics_channel';

/**
 * Where an operation was answered. Only the shared store today; an in-process tier will
 * add its own name.
 */
export type CacheTier = 'store';

/** The fields every message on a glasswork channel carries. Messages never carry values. */
export interface OperationMessage {
  /** The full (prefixed) key, or the store pattern for `delByPattern`. */
  key: string;
  /** The store's name (`memory`, `redis`, `dynamodb`…). */
  store: string;
  tier: CacheTier;
  /** What the operation threw or rejected with (on the `error` channel and after it). */
  error?: unknown;
  /** `true` once the operation failed, even when it rejected with `undefined`. */
  failed?: boolean;
}

/** `glasswork:get` and `glasswork:has`. */
export interface GetMessage extends OperationMessage {
  operation: 'get' | 'has';
  /** Set before `asyncEnd`. */
  outcome?: 'hit' | 'miss';
}

/** `glasswork:set`. */
export interface SetMessage extends OperationMessage {
  operation: 'set';
  ttlMs: number;
  /** Whether the store accepted the entry; set before `asyncEnd`. */
  written?: boolean;
}

/** `glasswork:del`: `del` (one key) and `delByPattern` (`key` is the pattern). */
export interface DelMessage extends OperationMessage {
  operation: 'del' | 'delByPattern';
  /** Entries removed (`del`: 0 or 1); set before `asyncEnd`. */
  removed?: number;
}

/** `glasswork:wrap`: one message per caller of `wrap` or `wrapSWR`. */
export interface WrapMessage extends OperationMessage {
  operation: 'wrap' | 'wrapSWR';
  /** The TTL asked for (`maxTTL` for `wrapSWR`), in milliseconds. */
  ttlMs: number;
  /** `true` when this caller joined a computation another caller of the key started. */
  coalesced: boolean;
  /**
   * Set before `asyncEnd` for the caller that ran the read (not for coalesced callers):
   * `hit` fresh, `miss` computed (or taken from the lock winner), `stale` served stale.
   */
  outcome?: 'hit' | 'miss' | 'stale';
  /** Why a stale value was served: `swr` window, loader `error`, soft `timeout`, or a `loading` load. */
  staleReason?: 'swr' | 'error' | 'timeout' | 'loading';
  /** With `lock`: took the lease, `waited` for another instance, `timed-out` waiting, or the store has no leases. */
  lock?: 'acquired' | 'waited' | 'timed-out' | 'unavailable';
  /** How long this caller waited for another instance's lease, in milliseconds. */
  lockWaitMs?: number;
  /** `wrapSWR` started a refresh of a stale entry, in the `background` or `inline`. */
  refresh?: 'background' | 'inline';
}

/** `glasswork:load`: one run of a loader (the `fn` of `wrap` / `wrapSWR`). */
export interface LoadMessage extends OperationMessage {
  operation: 'load';
  /** The TTL the result will be cached with unless the loader sets one, in milliseconds. */
  ttlMs: number;
  /** Whether the loader was handed a previous value (`context.stale`). */
  hasStale: boolean;
  /** Whether a stale-while-revalidate refresh runs this loader. */
  refresh: boolean;
  /** The TTL the loader chose with `setTTL`, in milliseconds; set before `asyncEnd`. */
  ttlOverrideMs?: number;
  /** Why the loader's signal aborted, when it did: `fnHardTimeoutMs`, the Lambda deadline, or every caller gave up. */
  aborted?: 'timeout' | 'deadline' | 'abandoned';
}

/** `glasswork:refresh`: a stale-while-revalidate refresh. */
export interface RefreshMessage extends OperationMessage {
  operation: 'refresh';
  /** Whether nobody waits for it (`backgroundRefresh`). */
  background: boolean;
  /** Set before `asyncEnd`: stored a fresh value, `skipped` (another instance refreshes, or did), or `failed`. */
  outcome?: 'refreshed' | 'skipped' | 'failed';
}

/** `glasswork:drain`: `drain()` waiting for background work (`key` is empty). */
export interface DrainMessage extends OperationMessage {
  operation: 'drain';
  /** Background tasks running when the drain began. */
  pending: number;
  /** The drain's limit, in milliseconds, when it has one. */
  timeoutMs?: number | undefined;
  /** Tasks still running when it ended; set before `asyncEnd`. */
  remaining?: number;
}

/** `glasswork:store-error` (a plain channel): a store call failed or timed out and the cache failed open. */
export interface StoreErrorMessage extends OperationMessage {
  /** The store call: `get`, `set`, `del`, `has`, `delByPattern`, `setIfAbsent`, `delIfEquals`. */
  operation: string;
  error: unknown;
}

/** The tracing channels glasswork publishes on, by the name a subscriber uses. */
export interface GlassworkTracingChannels {
  'glasswork:get': GetMessage;
  'glasswork:has': GetMessage;
  'glasswork:set': SetMessage;
  'glasswork:del': DelMessage;
  'glasswork:wrap': WrapMessage;
  'glasswork:load': LoadMessage;
  'glasswork:refresh': RefreshMessage;
  'glasswork:drain': DrainMessage;
}

type Tracing<M extends object> = TracingChannel<unknown, M>;

/** The channels, created once per process (channels are global by name). */
export const channels = {
  get: tracingChannel<unknown, GetMessage>('glasswork:get'),
  has: tracingChannel<unknown, GetMessage>('glasswork:has'),
  set: tracingChannel<unknown, SetMessage>('glasswork:set'),
  del: tracingChannel<unknown, DelMessage>('glasswork:del'),
  wrap: tracingChannel<unknown, WrapMessage>('glasswork:wrap'),
  load: tracingChannel<unknown, LoadMessage>('glasswork:load'),
  refresh: tracingChannel<unknown, RefreshMessage>('glasswork:refresh'),
  drain: tracingChannel<unknown, DrainMessage>('glasswork:drain'),
  storeError: channel('glasswork:store-error') as Channel<unknown, StoreErrorMessage>,
};

/**
 * Whether anyone subscribed to `tracing`. Node ≥ 20.13 answers for all five of its
 * channels; older releases only through `start`, so subscribers there must handle `start`.
 */
export const isObserved: (tracing: Observable) => boolean =
  typeof (channels.get as Partial<Observable>).hasSubscribers === 'boolean'
    ? (tracing) => tracing.hasSubscribers
    : (tracing) => tracing.start.hasSubscribers;

/** What {@link isObserved} reads of a tracing channel. */
interface Observable {
  readonly hasSubscribers: boolean;
  readonly start: { readonly hasSubscribers: boolean };
}

/**
 * Runs `operation` as one traced operation on `tracing`, as `tracePromise` does, but
 * without putting its result on the message (results are cached values). `start` runs
 * the bound stores around `operation`, so context (a span) set there reaches everything
 * it awaits. Callers fill the message's outcome fields before the promise settles.
 */
export function traced<M extends OperationMessage, T>(
  tracing: Tracing<M>,
  message: M,
  operation: () => Promise<T>,
): Promise<T> {
  return tracing.start.runStores(message, () => {
    let promise: Promise<T>;
    try {
      promise = operation();
    } catch (error) {
      message.error = error;
      message.failed = true;
      tracing.error.publish(message);
      throw error;
    } finally {
      tracing.end.publish(message);
    }
    return promise.then(
      (value) => {
        tracing.asyncStart.publish(message);
        tracing.asyncEnd.publish(message);
        return value;
      },
      (error: unknown) => {
        message.error = error;
        message.failed = true;
        tracing.error.publish(message);
        tracing.asyncStart.publish(message);
        tracing.asyncEnd.publish(message);
        throw error;
      },
    );
  });
}
