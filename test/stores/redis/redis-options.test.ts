/**
 * RedisCacheStore option checks, in each form: timeouts must fit a Node timer (longer ones
 * fire after ~1 ms), unknown keys are refused with the near-miss named. Nothing connects.
 */
import { RedisCacheStore } from 'glasswork';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';

const URL = 'redis://127.0.0.1:6379';
const refused = (options: unknown, message: RegExp) =>
  expect(() => new RedisCacheStore(options as never)).toThrow(
    expect.objectContaining({
      code: 'E_INVALID_OPTION',
      store: 'redis',
      message: expect.stringMatching(message),
    }),
  );

describe('RedisCacheStore duration options', () => {
  it.each([
    [
      { url: URL, commandTimeoutMs: 2 ** 31 },
      /^commandTimeoutMs must .*at most 2147483647 ms \(~24.8 days\), got 2147483648$/,
    ],
    [{ url: URL, connectTimeoutMs: 2 ** 31 }, /^connectTimeoutMs must .*at most 2147483647 ms/],
    [
      { cluster: [7000], commandTimeoutMs: 2 ** 40 },
      /^commandTimeoutMs must .*at most 2147483647 ms/,
    ],
    [{ url: URL, disconnectTimeout: 2 ** 31 }, /^disconnectTimeout must .*at most 2147483647 ms/],
    [{ host: '127.0.0.1', socketTimeout: 2 ** 31 }, /^socketTimeout must .*at most 2147483647 ms/],
    [
      { cluster: [7000], clusterOptions: { slotsRefreshTimeout: 2 ** 31 } },
      /^clusterOptions.slotsRefreshTimeout must .*at most 2147483647 ms/,
    ],
    [
      { cluster: [7000], clusterOptions: { redisOptions: { disconnectTimeout: 2 ** 31 } } },
      /^clusterOptions.redisOptions.disconnectTimeout must .*at most 2147483647 ms/,
    ],
  ])('refuses %j at construction', (options, message) => refused(options, message));

  it('keeps the first-connection wait, the sum of both timeouts, within a timer', () => {
    const store = new RedisCacheStore({
      url: URL,
      commandTimeoutMs: 2 ** 31 - 1,
      connectTimeoutMs: 2 ** 31 - 1,
    });
    expect(store.callTimeoutMs).toBe(2 ** 31 - 1);
  });
});

describe('RedisCacheStore unknown options', () => {
  const client = new Redis({ lazyConnect: true });
  afterAll(() => client.disconnect());

  it.each([
    [
      { url: URL, options: { db: 3 } },
      /^unknown key "options" in RedisCacheStore options; expected|\(ioredis options go next to url, not nested/,
    ],
    [
      { url: URL, pasword: 'secret' },
      /^unknown key "pasword" in RedisCacheStore options; did you mean "password"\?$/,
    ],
    [{ url: URL, DB: 3 }, /^unknown key "DB" in RedisCacheStore options; did you mean "db"\?$/],
    [
      { host: 'h', tsl: {} },
      /^unknown key "tsl" in RedisCacheStore options; did you mean "tls"\?$/,
    ],
    [{ url: URL, commandTimoutMs: 10 }, /did you mean "commandTimeoutMs"\?$/],
    [
      { cluster: [7000], tls: {} },
      /^unknown key "tls" in RedisCacheStore options \(\{ cluster \}\); expected cluster, clusterOptions, driver, commandTimeoutMs, connectTimeoutMs, maxValueBytes \(options of the node connections go in clusterOptions.redisOptions\)$/,
    ],
    [{ cluster: [7000], clusterOption: {} }, /did you mean "clusterOptions"\?$/],
    [
      { cluster: [7000], clusterOptions: { scaleRead: 'slave' } },
      /^unknown key "scaleRead" in clusterOptions; did you mean "scaleReads"\?$/,
    ],
    [
      { cluster: [7000], clusterOptions: { redisOptions: { pasword: 'p' } } },
      /^unknown key "pasword" in clusterOptions.redisOptions; did you mean "password"\?$/,
    ],
    [
      { cluster: [7000], clusterOptions: { redisOptions: { commandTimeout: 5 } } },
      /^clusterOptions.redisOptions.commandTimeout is not accepted: use commandTimeoutMs/,
    ],
  ])('refuses %j at construction', (options, message) => refused(options, message));

  it('refuses unknown keys next to a client', () => {
    refused(
      { client, db: 3 },
      /^unknown key "db" in RedisCacheStore options \(\{ client \}\); expected client, maxValueBytes \(configure the client you pass instead\)$/,
    );
    refused({ client, Client: client }, /did you mean "client"\?$/);
  });

  it('accepts ioredis options, including those of ioredis 6', () => {
    for (const options of [
      { url: URL, password: 'p', db: 2, tls: {}, enableAutoPipelining: true, protocol: 3 },
      { host: '127.0.0.1', port: 6379, username: 'u', disconnectTimeout: 100, lazyConnect: true },
      { sentinels: [{ host: 'h', port: 26379 }], name: 'mymaster', sentinelPassword: 'p' },
      {
        cluster: [7000],
        clusterOptions: { scaleReads: 'slave', redisOptions: { password: 'p', tls: {} } },
      },
    ]) {
      expect(() => new RedisCacheStore(options as never)).not.toThrow();
    }
  });
});
