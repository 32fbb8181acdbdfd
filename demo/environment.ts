/**
 * Where the demo's cache lives: an embedded DynamoDB-compatible server (dynalite, the
 * default), a real DynamoDB table (CACHE_TABLE and AWS credentials set), Redis, or memory.
 * Each environment can take its store down and bring it back for the outage step.
 */
import type { AddressInfo } from 'node:net';
import {
  type CacheStore,
  CacheStoreError,
  createCacheTable,
  DynamoDBCacheStore,
  MemoryCacheStore,
  RedisCacheStore,
} from 'glasswork';

export type StoreChoice = 'dynamodb' | 'redis' | 'memory';

export interface DemoEnvironment {
  /** What the demo runs against, for the header. */
  description: string;
  /** Creates the store, as the module's `cacheStore` factory. */
  createStore(): CacheStore;
  /** Makes the store unreachable; `real` says whether it is a real outage or simulated. */
  outage(): Promise<{ real: boolean }>;
  /** Brings the store back. */
  recover(): Promise<void>;
  /** Stops what the environment started. */
  close(): Promise<void>;
}

/** Fails every call while `down`, as a store whose server is unreachable does. */
class OutageSwitch implements CacheStore {
  down = false;
  readonly name: string;
  constructor(readonly inner: CacheStore) {
    this.name = inner.name;
  }
  #check(): void {
    if (this.down) {
      throw new CacheStoreError(
        'E_STORE_UNAVAILABLE',
        `${this.name} is unreachable (simulated outage)`,
        {
          store: this.name,
        },
      );
    }
  }
  async get(key: string) {
    this.#check();
    return this.inner.get(key);
  }
  async set(key: string, payload: string, ttlMs: number) {
    this.#check();
    return this.inner.set(key, payload, ttlMs);
  }
  async del(key: string) {
    this.#check();
    return this.inner.del(key);
  }
  async has(key: string) {
    this.#check();
    return this.inner.has!(key);
  }
  async delByPattern(pattern: string) {
    this.#check();
    return this.inner.delByPattern!(pattern);
  }
  async setIfAbsent(key: string, payload: string, ttlMs: number) {
    this.#check();
    return this.inner.setIfAbsent!(key, payload, ttlMs);
  }
  async delIfEquals(key: string, payload: string) {
    this.#check();
    const inner = this.inner;
    return inner.delIfEquals ? inner.delIfEquals(key, payload) : inner.del(key);
  }
  async close() {
    await this.inner.close?.();
  }
  async onModuleDestroy() {
    await this.close();
  }
}

function simulated(description: string, create: () => CacheStore): DemoEnvironment {
  let store: OutageSwitch | undefined;
  return {
    description,
    createStore: () => {
      store = new OutageSwitch(create());
      return store;
    },
    async outage() {
      store!.down = true;
      return { real: false };
    },
    async recover() {
      store!.down = false;
    },
    async close() {},
  };
}

/** dynalite in this process, on a free loopback port, configured the way Lambda is: by env. */
async function embeddedDynamoDB(): Promise<DemoEnvironment> {
  const { default: dynalite } = await import('dynalite');
  const server = dynalite({ createTableMs: 0 });
  const listen = (port = 0) =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  await listen();
  const port = (server.address() as AddressInfo).port;
  Object.assign(process.env, {
    CACHE_TABLE: 'glasswork-demo',
    AWS_REGION: process.env.AWS_REGION ?? 'eu-central-1',
    AWS_ENDPOINT_URL_DYNAMODB: `http://127.0.0.1:${port}`,
    AWS_ACCESS_KEY_ID: 'local',
    AWS_SECRET_ACCESS_KEY: 'local',
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  });
  await createCacheTable({ tableName: 'glasswork-demo' });
  const stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    description: `DynamoDB API on an embedded dynalite at 127.0.0.1:${port}, table "glasswork-demo"`,
    createStore: specStore,
    async outage() {
      await stop();
      return { real: true };
    },
    async recover() {
      // dynalite keeps its tables in memory: it comes back empty, like a restarted server.
      await listen(port);
      await createCacheTable({ tableName: 'glasswork-demo' });
    },
    close: stop,
  };
}

/** The spec's store expression: everything comes from the environment. */
function specStore(): CacheStore {
  return new DynamoDBCacheStore({
    tableName: process.env.CACHE_TABLE!,
    region: process.env.AWS_REGION,
  });
}

/** Whether the AWS SDK can find credentials without an instance-metadata lookup. */
function hasAwsCredentials(): boolean {
  const env = process.env;
  return Boolean(
    env.AWS_ACCESS_KEY_ID ||
      env.AWS_PROFILE ||
      env.AWS_CONTAINER_CREDENTIALS_FULL_URI ||
      env.AWS_WEB_IDENTITY_TOKEN_FILE,
  );
}

export async function openEnvironment(choice: StoreChoice): Promise<DemoEnvironment> {
  switch (choice) {
    case 'memory':
      return simulated('MemoryCacheStore (in this process)', () => new MemoryCacheStore());
    case 'redis': {
      const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
      return simulated(`Redis at ${url}`, () => new RedisCacheStore({ url }));
    }
    case 'dynamodb':
      if (process.env.CACHE_TABLE && hasAwsCredentials()) {
        return simulated(`DynamoDB table "${process.env.CACHE_TABLE}" on AWS`, specStore);
      }
      return embeddedDynamoDB();
  }
}
