/** One cache library behind the few calls the scenarios make, on one backend. */

export type Library = 'glasswork' | 'bentocache' | 'cache-manager';

export type Backend =
  | { kind: 'memory' }
  | {
      kind: 'redis';
      url: string;
      /** glasswork's client library (the others use their own). @default 'ioredis' */
      driver?: 'ioredis' | 'node-redis';
      /** ioredis options for glasswork's store, e.g. `{ enableAutoPipelining: true }`. */
      ioredis?: { enableAutoPipelining?: boolean };
    }
  | { kind: 'dynamodb'; endpoint: string; tableName: string };

export type Loader = () => Promise<unknown>;

export interface Contender {
  library: Library;
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttlSec: number): Promise<void>;
  /** The values under `keys`, aligned: the library's batch read, or its `get` per key in parallel. */
  getMany(keys: string[]): Promise<unknown[]>;
  /** Cache-aside with the library's in-process de-duplication. */
  wrap(key: string, ttlSec: number, loader: Loader): Promise<unknown>;
  /** Fresh for `staleSec`, then served stale and refreshed in the background until `maxSec`. */
  swr(key: string, staleSec: number, maxSec: number, loader: Loader): Promise<unknown>;
  close(): Promise<void>;
}
