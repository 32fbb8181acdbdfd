/**
 * DynamoDB keeps the payload's first 40 characters in a `head` attribute, dropping a
 * trailing high surrogate (39 characters). For a tagged entry whose stamp puts half of a
 * surrogate pair (an emoji in the tag) at character 40, `has()` gets a 39-character head,
 * takes it for the whole payload, fails to decode the cut stamp, logs the entry as
 * malformed and answers false, while `get` returns the value.
 */
import { CacheService, DynamoDBCacheStore, MemoryCacheStore } from 'glasswork';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamoDB, startDynalite } from '../../helpers/dynalite.js';
import { recordingLogger } from '../../helpers/recording-logger.js';

let dynamo: LocalDynamoDB;
let tableName: string;

beforeAll(async () => {
  dynamo = await startDynalite();
  tableName = await dynamo.createTable('tags-has');
}, 60_000);
afterAll(async () => {
  await dynamo?.stop();
});

/** A tag whose emoji's high surrogate lands on the envelope's 40th character. */
async function surrogateTag(
  cache: CacheService,
  raw: (key: string) => Promise<string | undefined>,
) {
  for (let n = 0; n < 12; n++) {
    const tag = `${'a'.repeat(n)}😀`;
    await cache.set(`probe${n}`, 1, { ttl: 60, tags: [tag] });
    const payload = (await raw(`probe${n}`))!;
    const code = payload.charCodeAt(39);
    if (code >= 0xd800 && code <= 0xdbff) return tag;
  }
  throw new Error('no tag puts a high surrogate at character 40');
}

describe('has() on a tagged entry whose head ends in half a surrogate pair', () => {
  it('is true on DynamoDB, as on the memory store, and logs nothing', async () => {
    const probe = new MemoryCacheStore();
    const tag = await surrogateTag(new CacheService(probe, { defaultTTL: 60 }), (key) =>
      probe.get(key),
    );
    const logger = recordingLogger();
    const cache = new CacheService(new DynamoDBCacheStore({ client: dynamo.client, tableName }), {
      defaultTTL: 60,
      logger,
    });
    await cache.set('product', { id: 1 }, { ttl: 60, tags: [tag] });
    expect(await cache.get('product')).toEqual({ id: 1 });
    expect(await cache.has('product')).toBe(true);
    expect(logger.lines.filter((line) => line.level === 'warn')).toEqual([]);
  });
});
