/**
 * Cross-process coordination against real servers: 4 processes share one Redis server or
 * one DynamoDB table (dynalite) and race on a cold key (the opt-in lock) or a stale key
 * (refresh leases, on by default). Every wait is bounded.
 */
import { randomUUID } from 'node:crypto';
import { CacheService, DynamoDBCacheStore, RedisCacheStore, silentLogger } from 'glasswork';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerStore } from '../fixtures/stampede-worker.js';
import { type LocalDynamoDB, startDynalite } from '../helpers/dynalite.js';
import { runWorkers } from '../helpers/workers.js';

const PROCESSES = 4;
const CALLERS = 250;

interface Target {
  name: string;
  setUp(): Promise<WorkerStore>;
  tearDown(): Promise<void>;
  openLocal(store: WorkerStore): CacheService;
}

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
let dynamo: LocalDynamoDB;
let redis: RedisCacheStore | undefined;
const targets: Target[] = [
  {
    name: 'Redis',
    async setUp() {
      return { kind: 'redis', url: REDIS_URL };
    },
    async tearDown() {
      await redis?.close();
    },
    openLocal: () => {
      redis = new RedisCacheStore({ url: REDIS_URL });
      return new CacheService(redis, { defaultTTL: 60, keyPrefix: 'mp', logger: silentLogger });
    },
  },
  {
    name: 'DynamoDB (dynalite)',
    async setUp() {
      dynamo = await startDynalite();
      return {
        kind: 'dynamodb',
        endpoint: dynamo.endpoint,
        tableName: await dynamo.createTable('mp'),
      };
    },
    tearDown: () => dynamo.stop(),
    openLocal: (store) =>
      new CacheService(
        new DynamoDBCacheStore({
          client: dynamo.client,
          tableName: (store as { tableName: string }).tableName,
        }),
        { defaultTTL: 60, keyPrefix: 'mp', logger: silentLogger },
      ),
  },
];

describe.each(targets)('$name: 4 processes', (target) => {
  let store: WorkerStore;
  beforeAll(async () => {
    store = await target.setUp();
  }, 30_000);
  afterAll(() => target.tearDown());

  const job = (mode: 'wrap' | 'swr', key: string, lock: boolean) => ({
    store,
    mode,
    key,
    keyPrefix: 'mp',
    callers: CALLERS,
    lock,
    loaderMs: 100,
  });

  it('with lock: 4 x 250 callers on a cold key run the loader once in total', async () => {
    const reports = await runWorkers(PROCESSES, job('wrap', `cold-${randomUUID()}`, true));
    expect(reports.reduce((sum, r) => sum + r.loaderCalls, 0)).toBe(1);
    const values = new Set(reports.flatMap((r) => r.results.map((v) => JSON.stringify(v))));
    expect(values.size).toBe(1);
  }, 60_000);

  it('without lock: each process runs the loader at most once (in-process single-flight)', async () => {
    const reports = await runWorkers(PROCESSES, job('wrap', `cold-${randomUUID()}`, false));
    for (const report of reports) expect(report.loaderCalls).toBeLessThanOrEqual(1);
    expect(reports.reduce((sum, r) => sum + r.loaderCalls, 0)).toBeGreaterThanOrEqual(1);
  }, 60_000);

  it('refresh leases: a stale key read by 4 x 250 callers is refreshed once', async () => {
    const key = `stale-${randomUUID()}`;
    const local = target.openLocal(store);
    await local.wrapSWR(key, 1, 60, async () => ({ by: 'seed' }));
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const reports = await runWorkers(PROCESSES, job('swr', key, false));
    expect(reports.reduce((sum, r) => sum + r.loaderCalls, 0)).toBe(1);
    // Every caller was served at once, from the stale entry.
    for (const report of reports)
      expect(report.results.every((v) => JSON.stringify(v) === '{"by":"seed"}')).toBe(true);
    expect(((await local.get(key)) as { by: unknown }).by).not.toBe('seed');
  }, 60_000);
});
