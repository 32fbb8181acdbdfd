/**
 * The stall watchdog counts bytes read as progress so that a big reply still arriving is
 * not a stall (test/stores/redis/redis-busy-loop.test.ts, ioredis only). On node-redis the
 * store's own connection passes `bytesRead: () => 0` (node-redis-adapter.ts stallHooks):
 * a value that takes longer than commandTimeoutMs to arrive (a 2 MiB entry on a slow link)
 * is called a stall, the connection is dropped and replaced, and the read fails — every
 * time, so that entry can never be read on node-redis, though it is well under
 * maxValueBytes, and every command pipelined behind it fails too. docs/stores/redis.md
 * states the limit ("keep maxValueBytes small enough to cross your link within
 * commandTimeoutMs"), so this is a documented limit rather than a regression; kept as
 * evidence that one oversized-for-the-link entry fails unrelated reads. The busy-loop case
 * (which holds on node-redis) is kept as a control.
 *
 * Kept as a documented limit (docs/stores/redis.md, "Stalls are measured on free loop
 * time"): node-redis keeps its socket private, so bytes arriving cannot count as progress;
 * the guidance is a commandTimeoutMs above the largest value's transfer time, or ioredis.
 * Expected to fail.
 */
import { RedisCacheStore } from 'glasswork';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisServer } from '../../helpers/redis-server.js';
import { ThrottledProxy } from '../../helpers/throttled-proxy.js';

const COMMAND_TIMEOUT_MS = 200;

function blockLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy
  }
}

describe('node-redis stall watchdog', () => {
  let server: RedisServer;
  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('keeps in-flight commands across a loop blocked for 3× commandTimeoutMs', async () => {
    const store = new RedisCacheStore({
      url: server.url,
      driver: 'node-redis',
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
    });
    try {
      await store.set('busy:a', 'A', 60_000);
      for (let round = 0; round < 3; round++) {
        const inFlight = [store.get('busy:a'), store.get('busy:none')];
        blockLoop(3 * COMMAND_TIMEOUT_MS);
        expect(await Promise.all(inFlight)).toEqual(['A', undefined]);
      }
    } finally {
      await store.close();
    }
  });

  it.fails('does not call a big reply that is still arriving a stall', async () => {
    const proxy = await ThrottledProxy.start(server.port, {
      chunkBytes: 128 * 1024,
      intervalMs: 40,
    });
    const store = new RedisCacheStore({
      url: proxy.url,
      driver: 'node-redis',
      commandTimeoutMs: COMMAND_TIMEOUT_MS,
    });
    try {
      const big = 'x'.repeat(2 * 1024 * 1024);
      await store.set('busy:big', big, 60_000);
      await store.set('busy:small', 's', 60_000);
      // A small read queued behind it fails with it (every pending command of the dropped client).
      const [bigRead, smallRead] = await Promise.allSettled([
        store.get('busy:big'),
        store.get('busy:small'),
      ]);
      expect(smallRead).toEqual({ status: 'fulfilled', value: 's' });
      expect(bigRead).toEqual({ status: 'fulfilled', value: big });
    } finally {
      await store.close();
      await proxy.stop();
    }
  });
});
