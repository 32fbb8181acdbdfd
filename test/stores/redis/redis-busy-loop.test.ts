/**
 * The stall watchdog judges time the event loop had to read the socket: our own blocking
 * (GC, a big JSON.parse, CPU work) and a big reply still arriving are not stalls; a server
 * that stops answering still is.
 */
import { RedisCacheStore } from 'glasswork';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisServer, redisCli } from '../../helpers/redis-server.js';
import { ThrottledProxy } from '../../helpers/throttled-proxy.js';

const COMMAND_TIMEOUT_MS = 200;

/** Blocks the event loop for `ms`, as CPU work would. */
function blockLoop(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // busy
  }
}

/** Connections the server has accepted, the redis-cli asking included. */
async function connectionsReceived(server: RedisServer): Promise<number> {
  const stats = await redisCli(server.port, 'info', 'stats');
  return Number(/total_connections_received:(\d+)/.exec(stats)?.[1]);
}

describe('RedisCacheStore stall watchdog and a busy event loop', () => {
  let server: RedisServer;

  beforeAll(async () => {
    server = await RedisServer.start();
  });
  afterAll(async () => {
    await server?.stop();
  });

  it('keeps a healthy connection while the loop is blocked for 3× commandTimeoutMs', async () => {
    const store = new RedisCacheStore({ url: server.url, commandTimeoutMs: COMMAND_TIMEOUT_MS });
    try {
      await store.set('busy:a', 'A', 60_000);
      await store.set('busy:b', 'B', 60_000);
      const connections = await connectionsReceived(server);
      for (let round = 0; round < 3; round++) {
        const inFlight = [store.get('busy:a'), store.get('busy:b'), store.get('busy:none')];
        blockLoop(3 * COMMAND_TIMEOUT_MS);
        expect(await Promise.all(inFlight)).toEqual(['A', 'B', undefined]);
        expect(await store.get('busy:a')).toBe('A');
      }
      // The connection was never destroyed and replaced.
      // The only new connection is the second redis-cli's.
      expect(await connectionsReceived(server)).toBe(connections + 1);
    } finally {
      await store.close();
    }
  });

  it('still detects a paused server within 1.5× commandTimeoutMs', async () => {
    const store = new RedisCacheStore({ url: server.url, commandTimeoutMs: COMMAND_TIMEOUT_MS });
    try {
      await store.set('busy:paused', 'v', 60_000);
      server.signal('SIGSTOP');
      try {
        const started = performance.now();
        const error = await store.get('busy:paused').catch((e: unknown) => e);
        const elapsedMs = performance.now() - started;
        expect(error).toMatchObject({ code: 'E_STORE_TIMEOUT', key: 'busy:paused' });
        expect(elapsedMs).toBeGreaterThanOrEqual(COMMAND_TIMEOUT_MS - 10);
        // 1.5× the timeout, plus scheduling slack on a loaded machine.
        expect(elapsedMs).toBeLessThan(1.5 * COMMAND_TIMEOUT_MS + 150);

        // Paused server and a blocked loop: quiet time counts from the end of the block.
        await store.connect();
        const next = store.get('busy:paused').catch((e: unknown) => e);
        blockLoop(3 * COMMAND_TIMEOUT_MS);
        const afterBlock = performance.now();
        expect(await next).toMatchObject({ code: expect.stringMatching(/^E_STORE_/) });
        expect(performance.now() - afterBlock).toBeLessThan(1.5 * COMMAND_TIMEOUT_MS + 150);
      } finally {
        server.signal('SIGCONT');
      }
    } finally {
      await store.close();
    }
  });

  it('does not call a big reply that is still arriving a stall', async () => {
    // 2 MiB at 128 KiB per 40 ms: ~650 ms on the wire, over 3× the command timeout.
    const proxy = await ThrottledProxy.start(server.port, {
      chunkBytes: 128 * 1024,
      intervalMs: 40,
    });
    const store = new RedisCacheStore({ url: proxy.url, commandTimeoutMs: COMMAND_TIMEOUT_MS });
    try {
      const big = 'x'.repeat(2 * 1024 * 1024);
      await store.set('busy:big', big, 60_000);
      const started = performance.now();
      expect(await store.get('busy:big')).toBe(big);
      expect(performance.now() - started).toBeGreaterThan(2 * COMMAND_TIMEOUT_MS);
    } finally {
      await store.close();
      await proxy.stop();
    }
  });
});
