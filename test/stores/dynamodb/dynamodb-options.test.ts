/**
 * DynamoDBCacheStore and createCacheTable refuse unknown option keys (naming the
 * near-miss) and durations no timer can hold. Nothing connects.
 */
import { createCacheTable, DynamoDBCacheStore } from 'glasswork';
import { describe, expect, it } from 'vitest';

const invalid = (message: RegExp) =>
  expect.objectContaining({
    code: 'E_INVALID_OPTION',
    store: 'dynamodb',
    message: expect.stringMatching(message),
  });

describe('DynamoDBCacheStore options', () => {
  it.each([
    [
      { tableName: 't', tablename: 'x' },
      /^unknown key "tablename" in DynamoDBCacheStore options; did you mean "tableName"\?$/,
    ],
    [{ tableName: 't', consistentReads: false }, /did you mean "consistentRead"\?$/],
    [{ tableName: 't', requestTimeout: 100 }, /did you mean "requestTimeoutMs"\?$/],
    [
      { tableName: 't', credentials: {} },
      /^unknown key "credentials" in DynamoDBCacheStore options; expected tableName, region, endpoint, client/,
    ],
  ])('refuses %j at construction', (options, message) => {
    expect(() => new DynamoDBCacheStore(options as never)).toThrow(invalid(message));
  });

  it('keeps requestTimeoutMs far below the timer limit', () => {
    expect(() => new DynamoDBCacheStore({ tableName: 't', requestTimeoutMs: 2 ** 31 })).toThrow(
      invalid(/^requestTimeoutMs must be an integer from 1 to 600000/),
    );
  });
});

describe('createCacheTable options', () => {
  it.each([
    [
      { tableName: 't', waitTimeout: 10 },
      /^unknown key "waitTimeout" in createCacheTable options; did you mean "waitTimeoutMs"\?$/,
    ],
    [
      { tableName: 't', billingMode: 'PROVISIONED' },
      /^unknown key "billingMode" in createCacheTable options; expected tableName, client/,
    ],
    [
      { tableName: 't', waitTimeoutMs: 2 ** 31 },
      /^waitTimeoutMs must .*at most 2147483647 ms \(~24.8 days\), got 2147483648$/,
    ],
    [{ tableName: 't', waitTimeoutMs: 'soon' }, /^waitTimeoutMs must .*got "soon"$/],
  ])('refuses %j before connecting', async (options, message) => {
    await expect(createCacheTable(options as never)).rejects.toThrow(invalid(message));
  });
});
