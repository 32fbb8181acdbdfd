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

  /** The number of keys with a call or a load in progress. */
  get size(): number {
    return this.#byKey.size;
  }

  /**
   * Runs `call` for `key` unless a call for `key` is running, and shares its outcome. With
   * `signal`, this caller's promise rejects with `signal.reason` as soon as it aborts.
   */
  share<T>(key: string, call: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    let shared = this.#byKey.get(key)?.call;
    if (shared === undefined) {
      const promise = call();
      const started: Call = { promise, waiting: 0, patient: false };
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

  /** The load running for `key`, if any (it may have outlived the call that started it). */
  loading(key: string): Promise<unknown> | undefined {
    return this.#byKey.get(key)?.load?.promise;
  }

  /**
   * Starts `load` for `key`, owned by the call running for `key`; the caller has checked
   * that none is {@link loading}. `load` gets a signal that aborts if that call is abandoned.
   */
  load<T>(key: string, load: (abandoned: AbortSignal) => Promise<T>): Promise<T> {
    const flight = this.#enter(key);
    const controller = new AbortController();
    const promise = load(controller.signal);
    const started: Load = { promise, owner: flight.call, controller };
    flight.load = started;
    const leave = () => this.#leave(key, 'load', started);
    promise.then(leave, leave);
    return promise;
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
    const flight = this.#byKey.get(key);
    if (flight?.call !== call) return;
    flight.call = undefined;
    const load = flight.load;
    if (load?.owner === call) {
      flight.load = undefined;
      load.controller.abort(
        new DOMException(`every caller waiting for ${quoteKey(key)} gave up`, 'AbortError'),
      );
    }
    if (flight.load === undefined) this.#byKey.delete(key);
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

/** A read-or-compute call and the callers that still wait for it. */
interface Call {
  promise: Promise<unknown>;
  /** Callers with a signal that have not aborted. */
  waiting: number;
  /** Whether a caller without a signal joined: then the call is never abandoned. */
  patient: boolean;
}

/** A load and the call that started it. */
interface Load {
  promise: Promise<unknown>;
  owner: Call | undefined;
  controller: AbortController;
}

interface Flight {
  call?: Call | undefined;
  load?: Load | undefined;
}
