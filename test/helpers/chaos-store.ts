import { type CacheStore, CacheStoreError, MemoryCacheStore } from 'glasswork';

/** What a {@link ChaosStore} does with each call. */
export type ChaosMode = 'ok' | 'fail' | 'hang' | { delayMs: number };

type Operation =
  | 'get'
  | 'set'
  | 'del'
  | 'has'
  | 'getHead'
  | 'delByPattern'
  | 'setIfAbsent'
  | 'delIfEquals';

/**
 * Wraps a store and fails, delays or hangs its calls on demand, per operation.
 * Counts calls so tests can assert what reached the store.
 */
export class ChaosStore implements CacheStore {
  readonly name = 'chaos';
  readonly inner: CacheStore;
  readonly calls: Record<Operation, number> = {
    get: 0,
    set: 0,
    del: 0,
    has: 0,
    getHead: 0,
    delByPattern: 0,
    setIfAbsent: 0,
    delIfEquals: 0,
  };
  #modes: Partial<Record<Operation, ChaosMode>> = {};
  #default: ChaosMode = 'ok';
  readonly #hanging = new Set<() => void>();

  constructor(inner: CacheStore = new MemoryCacheStore()) {
    this.inner = inner;
  }

  /** Sets the mode of every operation, or of the ones named. */
  mode(mode: ChaosMode, ...operations: Operation[]): this {
    if (operations.length === 0) {
      this.#default = mode;
      this.#modes = {};
    } else for (const op of operations) this.#modes[op] = mode;
    return this;
  }

  /** Number of calls still hanging. */
  get hanging(): number {
    return this.#hanging.size;
  }

  /** Releases every hanging call with a failure. */
  release(): void {
    for (const fail of this.#hanging) fail();
    this.#hanging.clear();
  }

  get(key: string) {
    return this.#run('get', () => this.inner.get(key));
  }
  set(key: string, payload: string, ttlMs: number) {
    return this.#run('set', () => this.inner.set(key, payload, ttlMs));
  }
  del(key: string) {
    return this.#run('del', () => this.inner.del(key));
  }
  has(key: string) {
    return this.#run('has', () => this.inner.has!(key));
  }

  getHead(key: string, length: number) {
    return this.#run('getHead', () => this.inner.getHead!(key, length));
  }
  delByPattern(pattern: string) {
    return this.#run('delByPattern', () => this.inner.delByPattern!(pattern));
  }
  setIfAbsent(key: string, payload: string, ttlMs: number) {
    return this.#run('setIfAbsent', () => this.inner.setIfAbsent!(key, payload, ttlMs));
  }
  delIfEquals(key: string, payload: string) {
    const inner = this.inner;
    return this.#run('delIfEquals', () =>
      inner.delIfEquals ? inner.delIfEquals(key, payload) : inner.del(key),
    );
  }
  async close() {
    this.release();
    await this.inner.close?.();
  }

  async #run<T>(operation: Operation, call: () => Promise<T>): Promise<T> {
    this.calls[operation]++;
    const mode = this.#modes[operation] ?? this.#default;
    if (mode === 'fail') {
      throw new CacheStoreError('E_STORE_UNAVAILABLE', `chaos: ${operation} failed`, {
        store: this.name,
      });
    }
    if (mode === 'hang') {
      return new Promise<T>((_, reject) => {
        const fail = () => reject(new Error(`chaos: ${operation} released`));
        this.#hanging.add(fail);
      });
    }
    if (mode !== 'ok') await new Promise((resolve) => setTimeout(resolve, mode.delayMs));
    return call();
  }
}
