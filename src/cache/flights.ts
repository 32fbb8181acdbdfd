/**
 * The work in flight for each key of one service, in one map: the read-or-compute call
 * that concurrent callers share, and the load (loader + store write) that call started,
 * which may outlive it when a soft timeout served the stale value. A key leaves the map
 * when neither is running. Keyed by the full (prefixed) key.
 */
export class Flights {
  readonly #byKey = new Map<string, Flight>();

  /** The number of keys with a call or a load in progress. */
  get size(): number {
    return this.#byKey.size;
  }

  /** Runs `call` for `key` unless a call for `key` is running, and shares its outcome. */
  share<T>(key: string, call: () => Promise<T>): Promise<T> {
    const flight = this.#byKey.get(key);
    if (flight?.call !== undefined) return flight.call as Promise<T>;
    const promise = call();
    this.#enter(key).call = promise;
    promise.then(
      () => this.#leave(key, 'call', promise),
      () => this.#leave(key, 'call', promise),
    );
    return promise;
  }

  /** The load running for `key`, if any (it may have outlived the call that started it). */
  loading(key: string): Promise<unknown> | undefined {
    return this.#byKey.get(key)?.load;
  }

  /** Starts `load` for `key`; the caller has checked that none is {@link loading}. */
  load<T>(key: string, load: () => Promise<T>): Promise<T> {
    const promise = load();
    this.#enter(key).load = promise;
    promise.then(
      () => this.#leave(key, 'load', promise),
      () => this.#leave(key, 'load', promise),
    );
    return promise;
  }

  #enter(key: string): Flight {
    let flight = this.#byKey.get(key);
    if (flight === undefined) {
      flight = {};
      this.#byKey.set(key, flight);
    }
    return flight;
  }

  #leave(key: string, part: keyof Flight, promise: Promise<unknown>): void {
    const flight = this.#byKey.get(key);
    if (flight === undefined || flight[part] !== promise) return;
    flight[part] = undefined;
    if (flight.call === undefined && flight.load === undefined) this.#byKey.delete(key);
  }
}

interface Flight {
  call?: Promise<unknown> | undefined;
  load?: Promise<unknown> | undefined;
}
