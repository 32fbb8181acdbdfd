import type { StoreEntry } from '../types.js';
import type { BatchReply, RedisCommands } from './commands.js';
import { keySlot } from './key-slot.js';
import { decodePayload } from './payload.js';

/**
 * Batch commands, in one round trip per server: the adapter sends a batch as one pipeline
 * on a single server and one per master on a Cluster (ioredis), or issues it in one tick
 * (node-redis writes one tick's commands in one write per server). No command spans two
 * slots, so no CROSSSLOT error.
 */

/**
 * Reads KEYS whose values are all strings of at most ARGV[1] bytes with one MGET; otherwise
 * answers per key: the value, nil when absent, 0 when too large or not a string. STRLEN
 * reads no value, so nothing over the limit is ever copied.
 */
export const READ_BOUNDED = `local limit = tonumber(ARGV[1])
for _, key in ipairs(KEYS) do
  local size = redis.pcall('STRLEN', key)
  if type(size) ~= 'number' or size > limit then
    local out = {}
    for i, k in ipairs(KEYS) do
      local n = redis.pcall('STRLEN', k)
      if type(n) == 'number' and n > 0 and n <= limit then out[i] = redis.call('GET', k)
      elseif n == 0 then out[i] = false
      else out[i] = 0 end
    end
    return out
  end
end
return redis.call('MGET', unpack(KEYS))`;
/** SHA-1 of {@link READ_BOUNDED} for EVALSHA (written out: node:crypto costs ~4 ms at import; a test checks it). */
export const READ_BOUNDED_SHA = 'faac57e9fe0053bd6a95744fed87ab74fb60ab21';

/**
 * Reads `keys` on a single server in one command: a script that checks every value's
 * length (STRLEN) and answers with MGET when all fit `maxValueBytes`, so the reply is
 * bounded like `get`'s. Measured at 1.1–1.9× a raw MGET of 100 keys, where a pipeline of
 * GETRANGEs takes 3–6×. Rejects as the server does when it refuses scripts.
 */
export async function readManyScripted(
  client: RedisCommands,
  keys: readonly string[],
  maxValueBytes: number,
): Promise<(string | undefined)[]> {
  const replies = (await client.evalBuffers(READ_BOUNDED, READ_BOUNDED_SHA, keys, [
    String(maxValueBytes),
  ])) as (Buffer | null | number)[];
  return replies.map((stored) => (Buffer.isBuffer(stored) ? decodePayload(stored) : undefined));
}

/**
 * Reads `keys` with one GETRANGE each (bounded at `maxValueBytes + 1` bytes, like `get`), in
 * one round trip per server: on a Cluster, where keys rarely share a slot, and on servers
 * that refuse scripts. A value over `maxValueBytes`, or a key holding another type, reads
 * as `undefined`. Never MGET alone: its reply cannot be bounded.
 */
export async function readMany(
  client: RedisCommands,
  keys: readonly string[],
  maxValueBytes: number,
): Promise<(string | undefined)[]> {
  const end = String(maxValueBytes);
  const replies = await client.batch(
    keys.map((key) => ({ key, args: ['GETRANGE', key, '0', end] })),
  );
  return replies.map(([error, stored]) =>
    error !== null || !Buffer.isBuffer(stored) || stored.length > maxValueBytes
      ? undefined
      : decodePayload(stored),
  );
}

/**
 * Writes every entry with `SET … PX` in one round trip per server (no MULTI: entries are
 * independent). Values are already encoded and checked against `maxValueBytes`.
 * @throws the first error a SET answered
 */
export async function writeMany(
  client: RedisCommands,
  entries: readonly StoreEntry[],
  values: readonly (string | Buffer)[],
): Promise<void> {
  const replies = await client.batch(
    entries.map(({ key, ttlMs }, at) => ({
      key,
      args: ['SET', key, values[at]!, 'PX', String(ttlMs)],
    })),
  );
  throwFirstError(replies);
}

/**
 * Removes `keys` with UNLINK: one command on a single server; on a Cluster one UNLINK per
 * hash slot, one round trip per master. Resolves UNLINK's count.
 */
export async function unlinkMany(client: RedisCommands, keys: readonly string[]): Promise<number> {
  if (!client.isCluster) return client.unlink(keys);
  const groups = bySlot(keys.map((key) => Buffer.from(key)));
  const replies = await client.batch(
    groups.map((group) => ({ key: group[0]!, args: ['UNLINK', ...group] })),
  );
  throwFirstError(replies);
  return replies.reduce((sum, [, count]) => sum + Number(count), 0);
}

/** `keys` grouped by hash slot: a multi-key command must stay within one. */
export function bySlot(keys: readonly Buffer[]): Buffer[][] {
  const groups = new Map<number, Buffer[]>();
  for (const key of keys) {
    const slot = keySlot(key);
    const group = groups.get(slot);
    if (group === undefined) groups.set(slot, [key]);
    else group.push(key);
  }
  return [...groups.values()];
}

function throwFirstError(replies: readonly BatchReply[]): void {
  const failed = replies.find(([error]) => error !== null);
  if (failed !== undefined) throw failed[0];
}
