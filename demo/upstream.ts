/** A deliberately slow fake upstream (a database, an API) that counts its calls. */
export class SlowUpstream {
  calls = 0;
  #catalogVersion = 0;

  constructor(readonly latencyMs: number) {}

  async fetchUser(id: string): Promise<{ id: string; name: string }> {
    await this.#wait();
    return { id, name: `User ${id}` };
  }

  async fetchCatalog(): Promise<{ version: number; items: number }> {
    await this.#wait();
    return { version: ++this.#catalogVersion, items: 1200 };
  }

  /** A token that tells how long it stays valid; aborts with `signal`. */
  async fetchToken(signal: AbortSignal): Promise<{ token: string; expiresIn: number }> {
    await this.#wait(signal);
    return { token: `t-${this.calls}`, expiresIn: 3600 };
  }

  /** Never answers until `signal` aborts, as a hung API would. */
  async hang(signal: AbortSignal): Promise<never> {
    this.calls++;
    return new Promise((_, reject) => {
      signal.addEventListener('abort', () => reject(signal.reason), { once: true });
    });
  }

  #wait(signal?: AbortSignal): Promise<void> {
    this.calls++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(resolve, this.latencyMs);
      signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(signal.reason);
        },
        { once: true },
      );
    });
  }
}
