import { fileURLToPath } from 'node:url';
import { RedisServer } from '../../test/helpers/redis-server.js';
import { DynaliteProcess } from './dynalite-process.js';

/** The repository root, with a trailing slash. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * What a scenario may use: the run's flags, progress output, and private servers started on
 * first use and stopped once at the end of the run (also after a failure).
 */
export class Context {
  readonly quick: boolean;
  #redis: Promise<RedisServer> | undefined;
  #dynalite: Promise<DynaliteProcess> | undefined;

  constructor(options: { quick: boolean }) {
    this.quick = options.quick;
  }

  /** `full` in a normal run, `quick` with `--quick`. */
  pick<T>(full: T, quick: T): T {
    return this.quick ? quick : full;
  }

  log(message: string): void {
    console.log(`  ${message}`);
  }

  /** A private `redis-server` on a free loopback port (the shared server is never filled). */
  redis(): Promise<RedisServer> {
    this.#redis ??= RedisServer.start();
    return this.#redis;
  }

  /** dynalite in a child process. */
  dynalite(): Promise<DynaliteProcess> {
    this.#dynalite ??= DynaliteProcess.start();
    return this.#dynalite;
  }

  async close(): Promise<void> {
    const stops = [this.#redis, this.#dynalite].map(async (server) => {
      await (await server?.catch(() => undefined))?.stop();
    });
    await Promise.all(stops);
  }
}
