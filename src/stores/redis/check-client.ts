import type { Cluster, Redis } from 'ioredis';
import { CacheArgumentError, describeValue } from '../../errors.js';
import type { RedisDriver } from './commands.js';
import type { NodeRedisClient } from './node-redis-adapter.js';

/** A client passed in, with the library it belongs to. */
export type InjectedClient =
  | { driver: 'ioredis'; client: Redis | Cluster }
  | { driver: 'node-redis'; client: NodeRedisClient };

/** Throws the `E_INVALID_OPTION` error of a bad option. */
export function invalid(message: string): never {
  throw new CacheArgumentError('E_INVALID_OPTION', message, { store: 'redis' });
}

/** Refuses ioredis's `keyPrefix`: ioredis does not apply it to SCAN patterns. */
export function rejectKeyPrefix(value: unknown, name: string): void {
  if (value === undefined || value === '') return;
  invalid(
    `${name} (an ioredis option) is not supported: ioredis does not apply it to SCAN patterns, so delByPattern would miss keys; set keyPrefix on CacheService instead, got ${describeValue(value)}`,
  );
}

/**
 * Tells an ioredis `Redis`/`Cluster` from a node-redis client or Cluster, and refuses the
 * settings that break the store: ioredis's `keyPrefix`, node-redis 4's `legacyMode`
 * (its `sendCommand` takes callbacks). node-redis type mappings (RESP3 included) need no
 * refusal: the store asks for its own reply types on every command.
 */
export function checkClient(client: unknown): InjectedClient {
  const candidate = client as Record<string, unknown> | null;
  if (typeof client !== 'object' || candidate === null) notAClient(client);
  const options = candidate.options as Record<string, unknown> | undefined;
  if (typeof candidate.isCluster === 'boolean' && typeof candidate.sendCommand === 'function') {
    rejectKeyPrefix(options?.keyPrefix, 'keyPrefix of client');
    return { driver: 'ioredis', client: client as Redis | Cluster };
  }
  const nodeRedis =
    typeof candidate.isOpen === 'boolean' &&
    typeof candidate.sendCommand === 'function' &&
    typeof candidate.duplicate === 'function' &&
    typeof candidate.connect === 'function';
  if (!nodeRedis) notAClient(client);
  if (options?.legacyMode === true) {
    invalid(
      'client is a node-redis client in legacyMode, whose commands take callbacks: create a second client without legacyMode for the store, got legacyMode: true',
    );
  }
  return { driver: 'node-redis' satisfies RedisDriver, client: client as NodeRedisClient };
}

function notAClient(client: unknown): never {
  invalid(
    `client must be an ioredis Redis or Cluster, or a node-redis createClient() or createCluster() client, got ${describeValue(client)}`,
  );
}
