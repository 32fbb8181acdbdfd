import { quoteKey } from '../errors.js';
import { timeoutSignal } from '../shared/timers.js';
import { channels, isObserved, type LoadMessage, traced } from './channels.js';
import type { CacheContext } from './context.js';
import { currentDeadline } from './deadline.js';
import type { Fence } from './guarded-store.js';
import { ttlToMs } from './validate.js';

/**
 * What a loader is told about the value it computes. Loaders that take no argument keep
 * working; destructure what you need.
 *
 * @example
 * await cache.wrap(tokenKey, 600, async ({ signal, setTTL }) => {
 *   const token = await (await fetch(url, { signal })).json();
 *   setTTL(token.expiresIn - 60);
 *   return token;
 * });
 */
export interface LoaderContext<T> {
  /**
   * Aborts when `fnHardTimeoutMs` passes, when every caller waiting for this value has given
   * up (each passed its own `signal` and it aborted), or, under `withCache`, shortly before
   * the Lambda invocation's deadline. Hand it to `fetch` and SDK calls.
   */
  readonly signal: AbortSignal;
  /**
   * The value this load replaces, when one is at hand: the stale entry a `wrapSWR` refresh
   * replaces, or the expired value `wrap` keeps for `staleIfError` / `fnTimeoutMs`.
   */
  readonly stale: T | undefined;
  /**
   * Caches this result for `seconds` instead of the call's TTL (for `wrapSWR`, instead of
   * `maxTTL`; `staleTTL` stays, so an entry given less than `staleTTL` is fresh for its
   * whole life). Calls after the loader settled have no effect.
   * @throws CacheArgumentError `E_INVALID_TTL` for a TTL `set` would refuse (nothing is cached
   * with it; catch it to fall back on the call's TTL).
   */
  setTTL(seconds: number): void;
}

/**
 * A function that computes a value on a miss. `Stale` types `context.stale` where `T` is
 * inferred from the loader's own result (plain keys): leave it out.
 */
export type Loader<T, Stale = T> = (context: LoaderContext<Stale>) => T | PromiseLike<T>;

/** What one run of a loader needs besides the key and the loader. */
export interface LoadRequest {
  /** The TTL the result is cached with unless the loader sets one, in milliseconds. */
  ttlMs: number;
  /** The value this load replaces, if any. */
  stale: { value: unknown } | undefined;
  /** Abort the loader after this many milliseconds; `0` never. */
  hardTimeoutMs: number;
  /** Aborts when every caller waiting for this load gave up. */
  abandoned?: AbortSignal | undefined;
  /** Whether a stale-while-revalidate refresh runs this load. */
  refresh: boolean;
  /** What the result's write expects to find (refreshes and lock holders): see `setFenced`. */
  fence?: Fence | undefined;
  /** The tags the result is cached with; their versions are read before the loader runs. */
  tags: readonly string[];
  /** Called when the result was invalidated while the loader ran (it is then not cached). */
  onInvalidated?: (() => void) | undefined;
}

/** A loader's result and the TTL to cache it with, in milliseconds. */
export interface Loaded {
  value: unknown;
  ttlMs: number;
}

/**
 * Runs `loader` with its {@link LoaderContext}. Rejects with the signal's reason as soon as
 * the signal aborts, whether or not the loader stops: a result that arrives later is
 * dropped, never cached.
 */
export function runLoader(
  context: CacheContext,
  fullKey: string,
  loader: (context: LoaderContext<unknown>) => unknown,
  request: LoadRequest,
): Promise<Loaded> {
  if (!isObserved(channels.load)) return run(fullKey, loader, request, undefined);
  const message: LoadMessage = {
    operation: 'load',
    key: fullKey,
    store: context.store.name,
    tier: 'store',
    ttlMs: request.ttlMs,
    hasStale: request.stale !== undefined,
    refresh: request.refresh,
  };
  return traced(channels.load, message, () => run(fullKey, loader, request, message));
}

function run(
  fullKey: string,
  loader: (context: LoaderContext<unknown>) => unknown,
  request: LoadRequest,
  message: LoadMessage | undefined,
): Promise<Loaded> {
  const controller = new AbortController();
  const undo: (() => void)[] = [];
  let settled = false;
  let ttlMs = request.ttlMs;
  const abort = (kind: NonNullable<LoadMessage['aborted']>, reason: unknown) => {
    if (settled || controller.signal.aborted) return;
    if (message !== undefined) message.aborted = kind;
    controller.abort(reason);
  };
  const follow = (signal: AbortSignal | undefined, kind: 'deadline' | 'abandoned' | 'timeout') => {
    if (signal === undefined) return;
    if (signal.aborted) return abort(kind, signal.reason);
    const onAbort = () => abort(kind, signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    undo.push(() => signal.removeEventListener('abort', onAbort));
  };
  follow(request.abandoned, 'abandoned');
  follow(currentDeadline(), 'deadline');
  if (request.hardTimeoutMs > 0 && !controller.signal.aborted) {
    const ms = request.hardTimeoutMs;
    const timeout = timeoutSignal(
      ms,
      () =>
        new DOMException(
          `loader for ${quoteKey(fullKey)} did not finish within fnHardTimeoutMs (${ms} ms)`,
          'TimeoutError',
        ),
    );
    undo.push(timeout.clear);
    follow(timeout.signal, 'timeout');
  }
  const loaderContext: LoaderContext<unknown> = {
    signal: controller.signal,
    stale: request.stale?.value,
    setTTL(seconds: number) {
      const overrideMs = ttlToMs(seconds, 'setTTL');
      if (settled) return;
      ttlMs = overrideMs;
      if (message !== undefined) message.ttlOverrideMs = overrideMs;
    },
  };
  return new Promise<Loaded>((resolve, reject) => {
    const finish = () => {
      settled = true;
      for (const step of undo) step();
      controller.signal.removeEventListener('abort', onAbort);
    };
    const onAbort = () => {
      finish();
      reject(controller.signal.reason);
    };
    if (controller.signal.aborted) return onAbort();
    controller.signal.addEventListener('abort', onAbort, { once: true });
    let result: PromiseLike<unknown>;
    try {
      result = Promise.resolve(loader(loaderContext));
    } catch (error) {
      result = Promise.reject(error);
    }
    result.then(
      (value) => {
        if (settled) return;
        finish();
        resolve({ value, ttlMs });
      },
      (error: unknown) => {
        if (settled) return;
        finish();
        reject(error);
      },
    );
  });
}
