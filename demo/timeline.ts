import type { CacheEvent, CacheLogger, CacheService } from 'glasswork';
import type { SlowUpstream } from './upstream.js';

const logged: string[] = [];
const keep = (level: string) => (message: string) => logged.push(`${level}: ${message}`);

/** The cache's logger in the demo: lines are printed under the step that caused them. */
export const timelineLogger: CacheLogger = {
  debug: () => {},
  info: () => {},
  warn: keep('warn'),
  error: keep('error'),
};

/** Prints one line per demo step: what ran, what the cache saw, how long it took. */
export class Timeline {
  readonly #cache: CacheService;
  readonly #upstream: SlowUpstream;
  readonly #started = performance.now();
  #events: CacheEvent[] = [];
  #step = 0;

  constructor(cache: CacheService, upstream: SlowUpstream) {
    this.#cache = cache;
    this.#upstream = upstream;
    cache.on('*', (event) => this.#events.push(event));
    console.log(
      `${'  #  step'.padEnd(60)}${'cache'.padEnd(22)}${'latency'.padStart(10)}  upstream`,
    );
  }

  /** Prints a section heading. */
  section(title: string): void {
    console.log(`\n  -- ${title}`);
  }

  /** Runs `run`, then prints its outcome, the cache events it caused and its latency. */
  async step<T>(
    label: string,
    run: () => Promise<T>,
    show: (value: T) => string = brief,
  ): Promise<T> {
    this.#events = [];
    logged.length = 0;
    const calls = this.#upstream.calls;
    const started = performance.now();
    const value = await run();
    const ms = performance.now() - started;
    const seen = this.#events
      .map((event) => event.type)
      .filter((type) => type !== 'set' || this.#events.length === 1)
      .join(', ');
    const upstream = this.#upstream.calls - calls;
    console.log(
      `${`  ${String(++this.#step).padStart(2)}  ${label}`.padEnd(60)}${(seen || '-').padEnd(22)}${`${ms.toFixed(1)} ms`.padStart(10)}  ${upstream || '-'}  -> ${show(value)}`,
    );
    for (const line of new Set(logged)) console.log(`        logged ${line}`);
    return value;
  }

  /** Prints the totals. */
  summary(): void {
    const stats = this.#cache.stats();
    const seconds = ((performance.now() - this.#started) / 1000).toFixed(1);
    console.log(
      `\nsummary: ${this.#step} steps in ${seconds} s; ${this.#upstream.calls} upstream calls; ` +
        `cache hits ${stats.hits}, misses ${stats.misses}, stale ${stats.stales}, ` +
        `writes ${stats.sets}, refreshes ${stats.refreshes}, store errors absorbed ${stats.errors}`,
    );
  }
}

function brief(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined';
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
