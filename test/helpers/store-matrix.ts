/**
 * Every built-in store, ready for suites that must pass on all of them: memory, Redis
 * (the shared server at REDIS_URL) and DynamoDB (dynalite, in-process, one table).
 */
import { type CacheStore, DynamoDBCacheStore, MemoryCacheStore, RedisCacheStore } from 'glasswork';
import { type LocalDynamoDB, startDynalite } from './dynalite.js';

export interface StoreTarget {
  name: string;
  /** Whether expiry follows `Date.now()` (fake timers move it). */
  fakeClock: boolean;
  /** Prepares the server, if any; returns a factory of stores and a clean-up. */
  open(): Promise<{ create(): CacheStore; close(): Promise<void> }>;
}

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

export const STORE_TARGETS: StoreTarget[] = [
  {
    name: 'memory',
    fakeClock: true,
    async open() {
      const store = new MemoryCacheStore({ maxEntries: 100_000 });
      return { create: () => store, close: () => store.close() };
    },
  },
  {
    name: 'redis',
    fakeClock: false,
    async open() {
      const stores: RedisCacheStore[] = [];
      return {
        create: () => {
          const store = new RedisCacheStore({ url: REDIS_URL });
          stores.push(store);
          return store;
        },
        close: async () => {
          await Promise.all(stores.map((store) => store.close()));
        },
      };
    },
  },
  {
    name: 'dynamodb',
    fakeClock: true,
    async open() {
      const local: LocalDynamoDB = await startDynalite();
      const tableName = await local.createTable('matrix');
      const stores: DynamoDBCacheStore[] = [];
      return {
        create: () => {
          const store = new DynamoDBCacheStore({
            tableName,
            endpoint: local.endpoint,
            region: 'eu-central-1',
          });
          stores.push(store);
          return store;
        },
        close: async () => {
          await Promise.all(stores.map((store) => store.close()));
          await local.stop();
        },
      };
    },
  },
];
