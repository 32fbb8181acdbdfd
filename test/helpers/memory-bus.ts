import type { InvalidationBus, InvalidationHandlers, InvalidationMessage } from 'glasswork';

/**
 * An in-process {@link InvalidationBus}: every bus made by one `MemoryBusHub` hears every
 * other's messages, delivered on the next microtask. The hub can drop messages and report
 * gaps, as a real transport would after a disconnect.
 */
export class MemoryBusHub {
  readonly #subscribers = new Map<string, Set<InvalidationHandlers>>();
  /** Drop every message while true (a lost connection that has not noticed yet). */
  losing = false;
  published: { scope: string; message: InvalidationMessage }[] = [];

  bus(overrides: Partial<InvalidationBus> = {}): InvalidationBus & { closed: boolean } {
    const bus = {
      closed: false,
      publish: async (scope: string, message: InvalidationMessage) => {
        this.published.push({ scope, message });
        if (this.losing) return;
        await Promise.resolve();
        for (const handlers of this.#subscribers.get(scope) ?? []) {
          handlers.message(structuredClone(message));
        }
      },
      subscribe: (scope: string, handlers: InvalidationHandlers) => {
        let set = this.#subscribers.get(scope);
        if (set === undefined) {
          set = new Set();
          this.#subscribers.set(scope, set);
        }
        set.add(handlers);
        handlers.gap();
        return () => set.delete(handlers);
      },
      close: async () => {
        bus.closed = true;
      },
      ...overrides,
    };
    return bus;
  }

  /** Tells every subscriber that messages may have been lost. */
  gap(): void {
    for (const set of this.#subscribers.values()) for (const handlers of set) handlers.gap();
  }
}
