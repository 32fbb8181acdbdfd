/**
 * Tags and clear() across real processes whose clocks are 10 s apart (one +5 s, one −5 s),
 * on a Redis server (ioredis and node-redis), a 3-master Redis Cluster (node-redis; ioredis
 * runs the Cluster in test/cache/tags) and a DynamoDB table (dynalite): invalidation
 * seen by the other process, a loader running across an invalidation, lock waiters, has(),
 * and clear() leaving another prefix intact. Every wait is bounded.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TagWorkerStore } from '../fixtures/tag-worker.js';
import { type LocalDynamoDB, startDynalite } from '../helpers/dynalite.js';
import { RedisClusterServers } from '../helpers/redis-server.js';
import { startTagProcess, type TagProcess } from '../helpers/workers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Target {
  name: string;
  setUp(): Promise<TagWorkerStore>;
  tearDown(): Promise<void>;
}

let dynamo: LocalDynamoDB | undefined;
let cluster: RedisClusterServers | undefined;
const targets: Target[] = [
  {
    name: 'Redis',
    setUp: async () => ({ kind: 'redis', url: REDIS_URL }),
    tearDown: async () => {},
  },
  {
    name: 'Redis (node-redis)',
    setUp: async () => ({ kind: 'redis', url: REDIS_URL, driver: 'node-redis' }),
    tearDown: async () => {},
  },
  {
    name: 'Redis Cluster (3 masters, node-redis)',
    async setUp() {
      cluster = await RedisClusterServers.start(3);
      return { kind: 'cluster', nodes: cluster.nodes, driver: 'node-redis' };
    },
    tearDown: async () => cluster?.stop(),
  },
  {
    name: 'DynamoDB (dynalite)',
    async setUp() {
      dynamo = await startDynalite();
      return {
        kind: 'dynamodb',
        endpoint: dynamo.endpoint,
        tableName: await dynamo.createTable('tags'),
      };
    },
    tearDown: async () => dynamo?.stop(),
  },
];

describe.each(targets)('tags across processes, clocks 10 s apart: $name', (target) => {
  let ahead: TagProcess;
  let behind: TagProcess;
  let otherPrefix: TagProcess;
  let prefix: string;

  beforeAll(async () => {
    const store = await target.setUp();
    prefix = `tags-${randomUUID().slice(0, 8)}`;
    [ahead, behind, otherPrefix] = await Promise.all([
      startTagProcess({ store, keyPrefix: prefix, skewMs: 5000 }),
      startTagProcess({ store, keyPrefix: prefix, skewMs: -5000 }),
      startTagProcess({ store, keyPrefix: `${prefix}-other`, skewMs: 0 }),
    ]);
  }, 60_000);

  afterAll(async () => {
    await Promise.all(
      [ahead, behind, otherPrefix].map((p) => p?.send({ op: 'exit' }).catch(() => p.kill())),
    );
    await target.tearDown();
  }, 30_000);

  it('an invalidation by one is honoured by the other, both ways; has() agrees', async () => {
    await ahead.send({ op: 'set', key: 'p42', value: { n: 1 }, tags: ['product:42', 'catalog'] });
    await ahead.send({ op: 'set', key: 'p43', value: { n: 2 }, tags: ['product:43', 'catalog'] });
    expect(await behind.send({ op: 'get', key: 'p42' })).toMatchObject({ value: { n: 1 } });
    expect(await behind.send({ op: 'invalidate', tags: ['product:42'] })).toMatchObject({
      done: true,
    });
    expect(await ahead.send({ op: 'get', key: 'p42' })).toMatchObject({ value: null });
    expect(await ahead.send({ op: 'has', key: 'p42' })).toMatchObject({ has: false });
    expect(await ahead.send({ op: 'get', key: 'p43' })).toMatchObject({ value: { n: 2 } });
    // The process behind writes; the one ahead invalidates: no clock decides anything.
    await behind.send({ op: 'set', key: 'p44', value: { n: 3 }, tags: ['catalog'] });
    expect(await ahead.send({ op: 'get', key: 'p44' })).toMatchObject({ value: { n: 3 } });
    expect(await ahead.send({ op: 'invalidate', tags: ['catalog'] })).toMatchObject({ done: true });
    for (const key of ['p43', 'p44']) {
      expect(await behind.send({ op: 'get', key })).toMatchObject({ value: null });
      expect(await behind.send({ op: 'has', key })).toMatchObject({ has: false });
    }
    // Written again after the invalidation: served.
    await behind.send({ op: 'set', key: 'p44', value: { n: 4 }, tags: ['catalog'] });
    expect(await ahead.send({ op: 'get', key: 'p44' })).toMatchObject({ value: { n: 4 } });
  }, 30_000);

  it('a loader that started before an invalidation never has its result served after it', async () => {
    const loading = ahead.send({
      op: 'wrap',
      key: 'race',
      value: 'before',
      tags: ['race'],
      delayMs: 600,
    });
    await sleep(150); // the loader is running in the process ahead
    expect(await behind.send({ op: 'invalidate', tags: ['race'] })).toMatchObject({ done: true });
    expect(await loading).toMatchObject({ value: 'before' }); // its own caller started before
    expect(await behind.send({ op: 'get', key: 'race' })).toMatchObject({ value: null });
    expect(await ahead.send({ op: 'get', key: 'race' })).toMatchObject({ value: null });
    expect(
      await behind.send({ op: 'wrap', key: 'race', value: 'after', tags: ['race'], delayMs: 0 }),
    ).toMatchObject({ value: 'after' });
  }, 30_000);

  it('a lock waiter does not take a value whose tag was invalidated while it waited', async () => {
    const holder = ahead.send({
      op: 'wrap',
      key: 'locked',
      value: 'holder',
      tags: ['lock'],
      delayMs: 800,
      lock: true,
    });
    await sleep(150);
    const waiter = behind.send({
      op: 'wrap',
      key: 'locked',
      value: 'waiter',
      tags: ['lock'],
      delayMs: 0,
      lock: true,
    });
    await sleep(150);
    expect(await otherPrefix.send({ op: 'get', key: 'x' })).toMatchObject({ value: null });
    expect(await ahead.send({ op: 'invalidate', tags: ['lock'] })).toMatchObject({ done: true });
    expect(await holder).toMatchObject({ value: 'holder' });
    // Without tags the waiter would take the holder's value; it loads its own instead.
    expect(await waiter).toMatchObject({ value: 'waiter' });
    expect(await ahead.send({ op: 'get', key: 'locked' })).toMatchObject({ value: 'waiter' });
  }, 30_000);

  it('clear() empties this prefix for every instance and leaves another prefix intact', async () => {
    await ahead.send({ op: 'set', key: 'plain', value: 1, tags: [] });
    await ahead.send({ op: 'set', key: 'tagged', value: 2, tags: ['t'] });
    await otherPrefix.send({ op: 'set', key: 'plain', value: 3, tags: [] });
    expect(await behind.send({ op: 'get', key: 'plain' })).toMatchObject({ value: 1 });
    const started = performance.now();
    expect(await behind.send({ op: 'clear' })).toMatchObject({ done: true });
    const clearMs = performance.now() - started;
    for (const process of [ahead, behind]) {
      expect(await process.send({ op: 'get', key: 'plain' })).toMatchObject({ value: null });
      expect(await process.send({ op: 'get', key: 'tagged' })).toMatchObject({ value: null });
      expect(await process.send({ op: 'has', key: 'plain' })).toMatchObject({ has: false });
    }
    expect(await otherPrefix.send({ op: 'get', key: 'plain' })).toMatchObject({ value: 3 });
    expect(clearMs).toBeLessThan(5000);
    await ahead.send({ op: 'set', key: 'plain', value: 4, tags: [] });
    expect(await behind.send({ op: 'get', key: 'plain' })).toMatchObject({ value: 4 });
  }, 30_000);
});
