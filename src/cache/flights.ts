import { quoteKey } from '../errors.js';

/**
 * The work in flight for each key of one service, in one map: the read-or-compute call
 * that concurrent callers share, and the load (loader + store write) that call started,
 * which may outlive it when a soft timeout served the stale value. A key leaves the map
 * when neither is running. Keyed by the full (prefixed) key.
 *
 * A caller may bring its own `signal`: when it aborts, that caller alone is released. When
 * every caller of a call has been released, the call is abandoned: the load it started is
 * told to stop (its signal aborts) and the next caller of the key starts afresh.
 */
export class Flights {
  readonly #byKey = new Map<string, Flight>();
  /** Whether each finished load computed an invalidated value, while its promise is held. */
  readonly #finished = new WeakMap<Promise<unknown>, boolean>();

  /** The number of keys with a call or a load in progress. */
  get size(): number {
    return this.#byKey.size;
  }

  /**
   * Runs `call` for `key` unless a call for `key` is running, and shares its outcome. With
   * `signal`, this caller's promise rejects with `signal.reason` as soon as it aborts.
   * `call` gets its {@link FlightCall}, to start its load with and to tell if it was abandoned.
   */
  share<T>(
    key: string,
    call: (flight: FlightCall) => Promise<T>,
    signal?: AbortSignal,
    tags: readonly string[] = [],
  ): Promise<T> {
    let shared = this.#byKey.get(key)?.call;
    if (shared === undefined) {
      const started = new Call(tags);
      const promise = call(started);
      started.promise = promise;
      this.#enter(key).call = started;
      const leave = () => this.#leave(key, 'call', started);
      promise.then(leave, leave);
      shared = started;
    }
    if (signal === undefined) {
      shared.patient = true;
      return shared.promise as Promise<T>;
    }
    return this.#join(key, shared, signal) as Promise<T>;
  }

  /** The call running under `key`, if any: what a caller that just joined it shares. */
  callOf(key: string): FlightCall | undefined {
    return this.#byKey.get(key)?.call;
  }

  /**
   * Notes that the load running for `key` computed a value invalidated while it ran (a tag
   * or clear(), possibly on another instance): callers that joined its call, rather than
   * started it, load again instead of taking it.
   */
  markInvalidated(key: string): void {
    const load = this.#byKey.get(key)?.load;
    if (load === undefined) return;
    load.invalidated = true;
    load.owner.invalidated = true;
  }

  /** Whether the load `promise` (of `key`) computed an invalidated value. */
  invalidatedLoad(key: string, promise: Promise<unknown>): boolean {
    return this.#finished.get(promise) ?? this.#byKey.get(key)?.load?.invalidated ?? false;
  }

  /** The load running for `key`, if any (it may have outlived the call that started it). */
  loading(key: string): Promise<unknown> | undefined {
    return this.#byKey.get(key)?.load?.promise;
  }

  /**
   * Starts `load` for `key`, owned by `owner`, which checked that no load is
   * {@link loading} and that it was not abandoned. `load` gets a signal that aborts if
   * `owner` is abandoned while the load runs.
   */
  load<T>(
    key: string,
    owner: FlightCall,
    load: (abandoned: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const flight = this.#enter(key);
    const controller = new AbortController();
    const promise = load(controller.signal);
    const started: Load = { promise, owner: owner as Call, controller, invalidated: false };
    (owner as Call).loadKey = key;
    flight.load = started;
    const leave = () => {
      this.#finished.set(promise, started.invalidated);
      this.#leave(key, 'load', started);
    };
    promise.then(leave, leave);
    return promise;
  }

  /**
   * Lets later callers start afresh instead of joining the calls and loads whose tags
   * `invalidated` selects (an invalidation in this instance): those already waiting still
   * get their outcome; what the loads write is invalid already.
   */
  detach(invalidated: (tags: readonly string[]) => boolean): void {
    for (const [key, flight] of this.#byKey) {
      if (flight.call !== undefined && invalidated(flight.call.tags)) flight.call = undefined;
      if (flight.load !== undefined && invalidated(flight.load.owner.tags)) flight.load = undefined;
      if (flight.call === undefined && flight.load === undefined) this.#byKey.delete(key);
    }
  }

  /** One caller with a signal: released on abort; the last one released abandons the call. */
  #join(key: string, shared: Call, signal: AbortSignal): Promise<unknown> {
    shared.waiting++;
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        reject(signal.reason);
        if (--shared.waiting === 0 && !shared.patient) this.#abandon(key, shared);
      };
      signal.addEventListener('abort', onAbort, { once: true });
      shared.promise.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error);
        },
      );
    });
  }

  /** Every caller of `call` gave up: stop the load it started and forget both. */
  #abandon(key: string, call: Call): void {
    const reason = new DOMException(
      `every caller waiting for ${quoteKey(key)} gave up`,
      'AbortError',
    );
    call.abandon(reason);
    const flight = this.#byKey.get(key);
    if (flight?.call === call) {
      flight.call = undefined;
      if (flight.load === undefined) this.#byKey.delete(key);
    }
    // The load is kept under the full key, which may differ from the key calls share.
    const loadKey = call.loadKey ?? key;
    const loading = this.#byKey.get(loadKey);
    const load = loading?.load;
    if (loading !== undefined && load?.owner === call) {
      loading.load = undefined;
      load.controller.abort(reason);
      if (loading.call === undefined) this.#byKey.delete(loadKey);
    }
  }

  #enter(key: string): Flight {
    let flight = this.#byKey.get(key);
    if (flight === undefined) {
      flight = {};
      this.#byKey.set(key, flight);
    }
    return flight;
  }

  #leave(key: string, part: keyof Flight, record: Call | Load): void {
    const flight = this.#byKey.get(key);
    if (flight === undefined || flight[part] !== record) return;
    flight[part] = undefined;
    if (flight.call === undefined && flight.load === undefined) this.#byKey.delete(key);
  }
}

/** What a call knows of itself: whether every caller gave up on it. */
export interface FlightCall {
  readonly abandoned: boolean;
  /** Whether its load computed a value invalidated while it ran; see `Flights.markInvalidated`. */
  invalidated: boolean;
  /** Aborts when every caller gave up (for work the call runs outside a load). */
  readonly signal: AbortSignal;
}

/** A read-or-compute call and the callers that still wait for it. */
class Call implements FlightCall {
  promise!: Promise<unknown>;
  abandoned = false;
  invalidated = false;
  /** Aborts when every caller gave up. */
  readonly #gaveUp = new AbortController();
  /** The key of the load this call started, if any. */
  loadKey: string | undefined;
  /** The tags of the entry this call reads or computes. */
  readonly tags: readonly string[];

  constructor(tags: readonly string[]) {
    this.tags = tags;
  }

  get signal(): AbortSignal {
    return this.#gaveUp.signal;
  }

  abandon(reason: unknown): void {
    this.abandoned = true;
    this.#gaveUp.abort(reason);
  }
  /** Callers with a signal that have not aborted. */
  waiting = 0;
  /** Whether a caller without a signal joined: then the call is never abandoned. */
  patient = false;
}

/** A load and the call that started it. */
interface Load {
  promise: Promise<unknown>;
  owner: Call;
  controller: AbortController;
  invalidated: boolean;
}

interface Flight {
  call?: Call | undefined;
  load?: Load | undefined;
}
