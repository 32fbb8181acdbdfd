/**
 * Keys are user data: every message the DynamoDB store writes quotes them with `quoteKey`
 * (JSON-escaped, cut to 200 characters), so no key forges a log line or floods one.
 */
import { randomBytes } from 'node:crypto';
import { CacheService, DynamoDBCacheStore } from 'glasswork';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamoDB, startDynalite } from '../helpers/dynalite.js';
import { recordingLogger } from '../helpers/recording-logger.js';
import { brotliBomb, writeForeignItem } from '../stores/dynamodb/hostile-items.js';

let local: LocalDynamoDB;
let tableName: string;

beforeAll(async () => {
  local = await startDynalite();
  tableName = await local.createTable();
}, 30_000);
afterAll(async () => {
  await local?.stop();
});

const FORGED = '\n[glasswork] INFO all good';
/** Keys under test: a forged log line, 1,500 characters, and both at once. */
const KEYS = {
  newline: `user:1${FORGED}`,
  long: `user:${'k'.repeat(1495)}`,
  both: `user:${'k'.repeat(1000)}${FORGED}${'k'.repeat(470)}`,
};
/** A key past DynamoDB's 2,048-byte limit, forging a line too. */
const TOO_LONG = `user:${FORGED}${'k'.repeat(2100)}`;
/** At most this many characters of a key appear in a message (200 quoted, with slack). */
const MAX_KEY_RUN = 250;

function expectSafe(message: string): void {
  expect(message).not.toMatch(/[\n\r]/);
  const longestRun = Math.max(0, ...(message.match(/k+/g) ?? []).map((run) => run.length));
  expect(longestRun).toBeLessThanOrEqual(MAX_KEY_RUN);
}

/** Every error and log line a failing call produces, through the store and the service. */
async function messagesOf(
  store: DynamoDBCacheStore,
  call: (target: Pick<DynamoDBCacheStore, 'get' | 'set'>) => Promise<unknown>,
): Promise<string[]> {
  const direct = await call(store).then(
    () => expect.fail('the call should have failed'),
    (error: unknown) => error as Error,
  );
  const logger = recordingLogger();
  const cache = new CacheService(store, { defaultTTL: 60, logger });
  await call({
    get: (key) => cache.get(key) as Promise<string | undefined>,
    set: (key, payload) => cache.wrap(key, () => payload).then(() => undefined),
  });
  expect(logger.lines.length).toBeGreaterThan(0);
  return [direct.message, ...logger.lines.map((line) => line.message)];
}

describe('DynamoDB store messages quote keys', () => {
  const storeFor = () => new DynamoDBCacheStore({ tableName, client: local.client });

  it.each(Object.entries(KEYS))('value too large, key %s', async (_, key) => {
    const huge = randomBytes(450 * 1024).toString('base64');
    for (const message of await messagesOf(storeFor(), (t) => t.set(key, huge, 60_000))) {
      expectSafe(message);
    }
  });

  it.each(Object.entries(KEYS))('value over maxValueBytes, key %s', async (_, key) => {
    const store = new DynamoDBCacheStore({ tableName, client: local.client, maxValueBytes: 1024 });
    for (const message of await messagesOf(store, (t) => t.set(key, 'x'.repeat(2048), 60_000))) {
      expectSafe(message);
    }
  });

  it('key too long', async () => {
    const error = await storeFor()
      .set(TOO_LONG, 'v', 60_000)
      .catch((e: unknown) => e as Error);
    expect(error).toMatchObject({ code: 'E_KEY_TOO_LONG' });
    expectSafe((error as Error).message);
  });

  it.each(Object.entries(KEYS))('foreign, corrupt and bomb payloads, key %s', async (_, key) => {
    const payloads = [
      { B: Uint8Array.from([9, 9, 9]) },
      { B: Uint8Array.from([1, 0xff, 0xfe, 0xfd]) },
      { B: await brotliBomb(16) },
    ];
    const codes: unknown[] = [];
    for (const value of payloads) {
      await writeForeignItem(local.client, tableName, key, value);
      const store = storeFor();
      codes.push(
        await store.get(key).then(
          (read) => `read ${read?.length} characters`,
          (e: { code: string }) => e.code,
        ),
      );
      for (const message of await messagesOf(store, (t) => t.get(key))) expectSafe(message);
    }
    expect(codes).toEqual(['E_DESERIALIZE', 'E_DESERIALIZE', 'E_PAYLOAD_TOO_LARGE']);
  });

  it.each(Object.entries(KEYS))(
    'store failures (missing table, throttling), key %s',
    async (_, key) => {
      const missing = new DynamoDBCacheStore({ tableName: 'no-such-table', client: local.client });
      const throttled = new DynamoDBCacheStore({
        tableName,
        client: {
          send: async () => {
            throw Object.assign(new Error(`throttled ${key}`), { name: 'ThrottlingException' });
          },
        },
      });
      for (const store of [missing, throttled]) {
        for (const message of await messagesOf(store, (t) => t.get(key))) expectSafe(message);
      }
    },
  );
});
