import { CacheService, DynamoDBCacheStore } from 'glasswork';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamoDB, startDynalite } from '../../helpers/dynalite.js';
import { recordingLogger } from '../../helpers/recording-logger.js';
import { brotliBomb, writeForeignItem } from './hostile-items.js';

let local: LocalDynamoDB;
let tableName: string;
/** 256 MiB of zeros in about 200 bytes. */
let bomb: Uint8Array;

beforeAll(async () => {
  local = await startDynalite();
  tableName = await local.createTable();
  bomb = await brotliBomb(256);
}, 30_000);
afterAll(async () => {
  await local?.stop();
});

/** The longest stall of the event loop while `work` runs, in milliseconds. */
async function longestStallMs(work: () => Promise<unknown>): Promise<number> {
  let last = performance.now();
  let longest = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  try {
    await work();
    await new Promise((resolve) => setTimeout(resolve, 20));
  } finally {
    clearInterval(ticker);
  }
  return Math.max(longest, performance.now() - last);
}

describe('DynamoDBCacheStore against decompression bombs', () => {
  const storeFor = (maxValueBytes?: number) =>
    new DynamoDBCacheStore({
      tableName,
      client: local.client,
      ...(maxValueBytes !== undefined && { maxValueBytes }),
    });

  // First in the file: a worker that already inflated a bomb may reuse the memory and block less.
  it('never inflates on the calling thread: the event loop keeps ticking while a bomb is read', async () => {
    const store = storeFor();
    const compressible = 'abc'.repeat(2000);
    await store.set('bomb:warm-up', compressible, 60_000); // the SDK and zlib loaded
    expect(await store.get('bomb:warm-up')).toBe(compressible);
    await writeForeignItem(local.client, tableName, 'bomb:loop', { B: bomb });
    const stallMs = await longestStallMs(() => store.get('bomb:loop').catch(() => undefined));
    expect(stallMs).toBeLessThan(150);
  });

  it('reads a 256 MiB bomb of a few hundred bytes as E_PAYLOAD_TOO_LARGE, and the service as a logged miss', async () => {
    expect(bomb.byteLength).toBeLessThan(1024);
    await writeForeignItem(local.client, tableName, 'bomb:256', { B: bomb });
    const store = storeFor();
    // Reports only the length of what a read might return: never a 256 MiB string.
    const error = await store.get('bomb:256').then(
      (value) => ({ resolvedWithLength: value?.length }),
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      name: 'CacheStoreError',
      code: 'E_PAYLOAD_TOO_LARGE',
      key: 'bomb:256',
      store: 'dynamodb',
    });
    expect((error as Error).message).toContain('8388608');

    const logger = recordingLogger();
    const events: unknown[] = [];
    const cache = new CacheService(store, { defaultTTL: 60, logger });
    cache.on('error', (event) => events.push(event.error));
    expect(await cache.get('bomb:256')).toBeUndefined();
    expect(logger.text()).toContain('E_PAYLOAD_TOO_LARGE');
    expect(events).toEqual([expect.objectContaining({ code: 'E_PAYLOAD_TOO_LARGE' })]);
  });

  it('inflates exactly up to maxValueBytes, and refuses to write more than it would read', async () => {
    const limit = 1024 * 1024;
    const store = storeFor(limit);
    const fits = 'x'.repeat(limit);
    await store.set('limit:fits', fits, 60_000);
    expect(await store.get('limit:fits')).toBe(fits);
    await expect(store.set('limit:over', `${fits}x`, 60_000)).rejects.toMatchObject({
      code: 'E_VALUE_TOO_LARGE',
      key: 'limit:over',
      size: limit + 1,
      limit,
    });
    // Written by a store that accepts more: this one reads it as a miss, coded.
    await storeFor(2 * limit).set('limit:wider', `${fits}x`, 60_000);
    await expect(store.get('limit:wider')).rejects.toMatchObject({ code: 'E_PAYLOAD_TOO_LARGE' });
    expect(await storeFor(2 * limit).get('limit:wider')).toBe(`${fits}x`);
  });

  it('refuses maxValueBytes outside 1 KiB to 256 MiB at construction', () => {
    for (const maxValueBytes of [0, 1023, 256 * 1024 * 1024 + 1, 1.5, Number.POSITIVE_INFINITY]) {
      expect(() => storeFor(maxValueBytes)).toThrow(
        expect.objectContaining({
          code: 'E_INVALID_OPTION',
          message: expect.stringContaining('maxValueBytes'),
        }),
      );
    }
  });
});
