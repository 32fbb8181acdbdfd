import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { CacheArgumentError, CacheLimitError, quoteKey } from '../../errors.js';

/** Names of the attributes of a cache item. */
export interface ItemAttributes {
  /** Partition key, type S: the cache key. */
  key: string;
  /** The table's TTL attribute, type N: expiry in epoch seconds, rounded up. */
  ttl: string;
  /** Type N: expiry in epoch milliseconds, which reads check along with `ttl`. */
  expiresAtMs: string;
  /** Type S (the payload) or B (the compressed payload). */
  value: string;
}

/** A DynamoDB item as the low-level client reads and writes it. */
export type Item = Record<string, AttributeValue>;

/**
 * The attribute holding the first {@link HEAD_CHARS} characters of the payload, type S,
 * uncompressed: what `getHead` reads and `setIfHead` conditions on without the payload.
 */
export const HEAD_ATTRIBUTE = 'head';
/** How many characters of the payload {@link HEAD_ATTRIBUTE} keeps. */
export const HEAD_CHARS = 40;

/** The payload's first {@link HEAD_CHARS} characters, never ending in half a surrogate pair. */
export function payloadHead(payload: string): string {
  const head = payload.slice(0, HEAD_CHARS);
  const last = head.charCodeAt(head.length - 1);
  return last >= 0xd800 && last <= 0xdbff ? head.slice(0, -1) : head;
}

/** DynamoDB's item size limit: attribute names and values, key included. */
export const MAX_ITEM_BYTES = 400 * 1024;
/** DynamoDB's limit on a partition key value, in UTF-8 bytes. */
export const MAX_KEY_BYTES = 2048;

/** Whether `key` fits DynamoDB's partition key limit, without encoding short keys. */
export function keyFits(key: string): boolean {
  assertWellFormed(key);
  return key.length * 3 <= MAX_KEY_BYTES || Buffer.byteLength(key) <= MAX_KEY_BYTES;
}

/**
 * @throws CacheArgumentError `E_INVALID_KEY` for a key with lone surrogates: UTF-8 cannot
 * hold them, so distinct such keys would name one item.
 */
function assertWellFormed(key: string): void {
  if (!(key as string & { isWellFormed(): boolean }).isWellFormed()) {
    throw new CacheArgumentError(
      'E_INVALID_KEY',
      `key must be well-formed Unicode (no lone surrogates) to be stored in DynamoDB, got ${quoteKey(key)}`,
      { key, store: 'dynamodb' },
    );
  }
}

/** The UTF-8 size of `key`. @throws CacheLimitError `E_KEY_TOO_LONG` past 2048 bytes */
export function assertKeyFits(key: string, store: string): number {
  assertWellFormed(key);
  const size = Buffer.byteLength(key);
  if (size > MAX_KEY_BYTES) {
    throw new CacheLimitError(
      'E_KEY_TOO_LONG',
      `key ${quoteKey(key)} is ${size} bytes in UTF-8, over DynamoDB's ${MAX_KEY_BYTES}-byte partition key limit`,
      { key, store, size, limit: MAX_KEY_BYTES },
    );
  }
  return size;
}

/**
 * Builds the item for `key` with its payload attribute already encoded (`bytes` long) and
 * the payload's `head`, expiring at `expiresAtMs`, and returns it with its size as
 * DynamoDB counts it.
 */
export function buildItem(
  attributes: ItemAttributes,
  key: string,
  payload: { value: AttributeValue; bytes: number },
  expiresAtMs: number,
  head: string,
): { item: Item; size: number } {
  const rest: Item = {
    [attributes.key]: { S: key },
    [attributes.ttl]: { N: String(Math.ceil(expiresAtMs / 1000)) },
    [attributes.expiresAtMs]: { N: String(expiresAtMs) },
    [HEAD_ATTRIBUTE]: { S: head },
  };
  const size = itemSize(rest) + Buffer.byteLength(attributes.value) + payload.bytes;
  return { item: { ...rest, [attributes.value]: payload.value }, size };
}

/**
 * An item's size as DynamoDB counts it against the 400 KB limit: each attribute name's
 * UTF-8 length plus its value's (strings in UTF-8, binaries as bytes, numbers about one
 * byte per two significant digits plus one).
 */
export function itemSize(item: Item): number {
  let size = 0;
  for (const [name, value] of Object.entries(item)) {
    size += Buffer.byteLength(name);
    if (value.S !== undefined) size += Buffer.byteLength(value.S);
    else if (value.B !== undefined) size += value.B.byteLength;
    else if (value.N !== undefined) size += numberSize(value.N);
  }
  return size;
}

/** DynamoDB's documented size of a number: 1 byte per 2 significant digits, plus 1. */
function numberSize(text: string): number {
  const digits = text
    .replace(/[eE].*$/, '')
    .replace(/[-+.]/g, '')
    .replace(/^0+|0+$/g, '').length;
  return Math.ceil(Math.max(digits, 1) / 2) + 1;
}

/**
 * The item's expiry in epoch milliseconds: the earlier of the millisecond attribute and the
 * TTL attribute's seconds, so that either one set in the past (by an operator or another
 * writer) expires the item; `undefined` for an item with neither.
 */
export function expiresAtMsOf(item: Item, attributes: ItemAttributes): number | undefined {
  const ms = item[attributes.expiresAtMs]?.N;
  const sec = item[attributes.ttl]?.N;
  if (ms === undefined) return sec === undefined ? undefined : Number(sec) * 1000;
  return sec === undefined ? Number(ms) : Math.min(Number(ms), Number(sec) * 1000);
}

/** Whether the item is unexpired at `nowMs`. DynamoDB keeps expired items for a while. */
export function isLive(item: Item, attributes: ItemAttributes, nowMs: number): boolean {
  const expiresAtMs = expiresAtMsOf(item, attributes);
  return expiresAtMs === undefined || expiresAtMs > nowMs;
}

/**
 * A condition true when the item is expired at `nowMs`, matching {@link isLive}: for
 * conditional writes (`setIfAbsent`, `del`, `delIfEquals`) that must agree with reads.
 * `:nowSec` is `nowMs / 1000` exactly, so `#ttl <= :nowSec` is `#ttl × 1000 <= nowMs`.
 */
export function expiredCondition(
  attributes: ItemAttributes,
  nowMs: number,
): { expression: string; names: Record<string, string>; values: Item } {
  return {
    expression: '(#ms <= :nowMs OR #ttl <= :nowSec)',
    names: { '#k': attributes.key, '#ms': attributes.expiresAtMs, '#ttl': attributes.ttl },
    values: { ':nowMs': { N: String(nowMs) }, ':nowSec': { N: String(nowMs / 1000) } },
  };
}

/** The size error for an item that does not fit even compressed. */
export function tooLarge(
  key: string,
  store: string,
  size: number,
  compressed: boolean,
): CacheLimitError {
  return new CacheLimitError(
    'E_VALUE_TOO_LARGE',
    `entry ${quoteKey(key)} is ${size} bytes as a DynamoDB item${compressed ? ' after compression' : ''}, over the ${MAX_ITEM_BYTES}-byte (400 KB) item limit`,
    { key, store, size, limit: MAX_ITEM_BYTES },
  );
}
