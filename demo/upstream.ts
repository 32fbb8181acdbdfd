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

  #wait(): Promise<void> {
    this.calls++;
    return new Promise((resolve) => setTimeout(resolve, this.latencyMs));
  }
}
