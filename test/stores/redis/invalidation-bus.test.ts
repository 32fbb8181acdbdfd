/**
 * RedisInvalidationBus on a real Redis server: options, delivery, gaps on disconnects,
 * and nothing left open after close().
 */
import { randomUUID } from 'node:crypto';
import {
  type InvalidationHandlers,
  type InvalidationMessage,
  RedisInvalidationBus,
} from 'glasswork';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { clusterOptions, DRIVERS, urlOptions } from '../../helpers/redis-drivers.js';
import { RedisClusterServers, RedisServer } from '../../helpers/redis-server.js';
import { runFixture } from '../../helpers/run-fixture.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const open: RedisInvalidationBus[] = [];
const admin = new Redis(REDIS_URL);

function bus(options: object): RedisInvalidationBus {
  const made = new RedisInvalidationBus(options as never);
  open.push(made);
  return made;
}

function listener() {
  const messages: InvalidationMessage[] = [];
  let gaps = 0;
  const handlers: InvalidationHandlers = {
    message: (message) => messages.push(message),
    gap: () => {
      gaps++;
    },
  };
  return { handlers, messages, gaps: () => gaps };
}

afterEach(async () => {
  await Promise.all(open.splice(0).map((b) => b.close()));
});
afterAll(() => {
  admin.disconnect();
});

for (const driver of DRIVERS) {
  describe(`RedisInvalidationBus (${driver})`, () => {
    const options = (url: string, extra: object = {}) => ({ ...urlOptions(driver, url), ...extra });

    it('refuses bad options with coded errors', () => {
      expect(() => new RedisInvalidationBus(null as never)).toThrow(
        expect.objectContaining({ code: 'E_INVALID_OPTION' }),
      );
      expect(() => new RedisInvalidationBus({ url: REDIS_URL, channelPrefix: '' })).toThrow(
        /channelPrefix must be a non-empty string/,
      );
      expect(() => new RedisInvalidationBus({ url: REDIS_URL, maxValueBytes: 5 } as never)).toThrow(
        /RedisInvalidationBus sends no values/,
      );
      expect(() => new RedisInvalidationBus({ url: 'http://x' })).toThrow(
        expect.objectContaining({ code: 'E_INVALID_OPTION' }),
      );
    });

    it('delivers messages of a scope to its subscribers only, after a first gap', async () => {
      const scope = `s-${randomUUID()}`;
      const sender = bus(options(REDIS_URL));
      const receiver = bus(options(REDIS_URL));
      const mine = listener();
      const other = listener();
      receiver.subscribe(scope, mine.handlers);
      receiver.subscribe(`${scope}-other`, other.handlers);
      await vi.waitFor(() => expect(mine.gaps()).toBe(1));
      expect(receiver.channel(scope)).toBe(`glasswork:l1:${scope}`);
      await sender.publish(scope, { origin: 'a', keys: [`${scope}:k`], patterns: [] });
      await vi.waitFor(() => expect(mine.messages).toHaveLength(1));
      expect(mine.messages[0]).toEqual({ origin: 'a', keys: [`${scope}:k`], patterns: [] });
      expect(other.messages).toHaveLength(0);
    });

    it('reports a gap when the subscriber connection is killed, and resubscribes', async () => {
      const scope = `s-${randomUUID()}`;
      const receiver = bus(options(REDIS_URL, { channelPrefix: 'test:l1:' }));
      const mine = listener();
      receiver.subscribe(scope, mine.handlers);
      await vi.waitFor(() => expect(mine.gaps()).toBe(1));
      await admin.client('KILL', 'TYPE', 'pubsub');
      // One gap on the disconnect, one once subscribed again.
      await vi.waitFor(() => expect(mine.gaps()).toBeGreaterThanOrEqual(3), { timeout: 5000 });
      const sending = new RedisInvalidationBus(
        options(REDIS_URL, { channelPrefix: 'test:l1:' }) as never,
      );
      open.push(sending);
      await sending.publish(scope, { origin: 'b', keys: [], patterns: [`${scope}:*`] });
      await vi.waitFor(() => expect(mine.messages).toHaveLength(1));
    });

    it('publish rejects after close()', async () => {
      const closed = bus(options(REDIS_URL));
      await closed.close();
      await expect(closed.publish('x', { origin: 'a', keys: [], patterns: [] })).rejects.toThrow(
        expect.objectContaining({ code: 'E_STORE_CLOSED' }),
      );
    });

    it('leaves nothing open: the process exits on its own after onModuleDestroy', async () => {
      const { result, elapsedMs } = await runFixture('l1-bus-exit.mjs', [
        JSON.stringify(options(REDIS_URL)),
      ]);
      expect(result.value).toEqual({ ok: true });
      expect(elapsedMs).toBeLessThan(5000);
    });
  });

  describe(`RedisInvalidationBus on a 3-master Redis Cluster (${driver})`, () => {
    let servers: RedisClusterServers;
    beforeAll(async () => {
      servers = await RedisClusterServers.start(3);
    }, 60_000);
    afterAll(async () => {
      await servers?.stop();
    });

    it('delivers a message published through any node to a subscriber on any node', async () => {
      const scope = `s-${randomUUID()}`;
      const receiver = bus(clusterOptions(driver, servers.nodes));
      const sender = bus(clusterOptions(driver, [servers.nodes[2]!]));
      const mine = listener();
      receiver.subscribe(scope, mine.handlers);
      await vi.waitFor(() => expect(mine.gaps()).toBeGreaterThanOrEqual(1), { timeout: 5000 });
      await sender.publish(scope, { origin: 'a', keys: [`${scope}:k`], patterns: [] });
      await vi.waitFor(() => expect(mine.messages).toHaveLength(1), { timeout: 5000 });
    });
  });

  describe(`RedisInvalidationBus when the server is down at first (${driver})`, () => {
    it('subscribes once the server is back, and publishes from then on', async () => {
      const server = await RedisServer.start();
      try {
        await server.kill();
        const scope = `s-${randomUUID()}`;
        const receiver = bus(urlOptions(driver, server.url, { connectTimeoutMs: 200 }));
        const mine = listener();
        receiver.subscribe(scope, mine.handlers);
        await expect(
          receiver.publish(scope, { origin: 'a', keys: [], patterns: [] }),
        ).rejects.toThrow();
        await server.restart();
        await vi.waitFor(() => expect(mine.gaps()).toBeGreaterThanOrEqual(1), { timeout: 10_000 });
        await vi.waitFor(
          async () => {
            await receiver.publish(scope, { origin: 'a', keys: [`${scope}:k`], patterns: [] });
            expect(mine.messages.length).toBeGreaterThanOrEqual(1);
          },
          { timeout: 10_000, interval: 200 },
        );
      } finally {
        await server.stop();
      }
    }, 30_000);
  });
}
