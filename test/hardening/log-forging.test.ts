/**
 * Keys are user data: every log line and error message quotes them escaped and cut, so a
 * key with a newline cannot forge a log line and a long key is not logged whole.
 */
import { CacheService, MemoryCacheStore, RedisCacheStore } from 'glasswork';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { ChaosStore } from '../helpers/chaos-store.js';
import { recordingLogger } from '../helpers/recording-logger.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const hostileKeys = [
  'forged\n[glasswork] store "x" is fine',
  `long-${'k'.repeat(1500)}`,
  'cr\r\nlf\u2028ls',
];

function expectClean(messages: string[]): void {
  expect(messages.length).toBeGreaterThan(0);
  for (const message of messages) {
    expect(message).not.toMatch(/[\r\n]/);
    expect(message).not.toContain('k'.repeat(300));
  }
}

/** Drives every logging path of the service with `key` and returns what was logged and thrown. */
async function drive(store: ChaosStore, key: string): Promise<string[]> {
  const logger = recordingLogger();
  const cache = new CacheService(store, { defaultTTL: 60, logger, storeTimeoutMs: 50 });
  const messages: string[] = [];
  const collect = (error: unknown) => messages.push((error as Error).message);
  store.mode('fail');
  await cache.get(key);
  await cache.set(key, 1);
  await cache.wrap(key, () => 1);
  await cache.has(key);
  await cache.del(key);
  store.mode('ok');
  // The generation's read failed with the store: it is read again 100 ms later.
  await new Promise((resolve) => setTimeout(resolve, 150));
  await store.inner.set(key, 'not an envelope', 60_000);
  await cache.get(key);
  await cache.wrap(`${key}:n`, () => ({ n: 1n }));
  await cache.set(key, undefined as never).catch(collect);
  await cache.set(key, { n: 1n }).catch(collect);
  await cache.wrap(key, 0 as never, () => 1).catch(collect);
  await cache.wrapSWR(`${key}:swr`, 0.001, 60, () => 1);
  await new Promise((resolve) => setTimeout(resolve, 5));
  await cache.wrapSWR(`${key}:swr`, 0.001, 60, () => Promise.reject(new Error('down\nforged')));
  await cache.drain();
  await cache
    .wrap(`${key}:stale`, () => Promise.reject(new Error('boom\nforged')), { staleIfError: 60 })
    .catch(() => {}); // the loader's own error passes through unchanged: not ours to rewrite
  return [...logger.lines.map((line) => line.message), ...messages];
}

describe('log forging', () => {
  it.each(hostileKeys)('quotes %j in every service message (memory store)', async (key) => {
    expectClean(await drive(new ChaosStore(new MemoryCacheStore()), key));
  });

  const redis = new RedisCacheStore({ url: REDIS_URL });
  afterAll(() => redis.close());

  it.each(hostileKeys)('quotes %j in every service message (Redis store)', async (key) => {
    expectClean(await drive(new ChaosStore(redis), `log-forging:${key}`));
  });

  it('escapes loader error messages, which are the caller’s words but may hold input', async () => {
    vi.useRealTimers();
    const logger = recordingLogger();
    const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 0.001, logger });
    await cache.wrap('k', () => 1, { staleIfError: 60 });
    await new Promise((resolve) => setTimeout(resolve, 5));
    await cache.wrap('k', () => Promise.reject(new Error('bad input:\n{"secret":1}')), {
      staleIfError: 60,
    });
    expectClean(logger.lines.map((line) => line.message));
  });
});
