/**
 * The Redis suites run once per client library: the store's options for a server URL or a
 * Cluster's masters, and a client of each library made as an application would.
 */
import type { RedisCacheStoreOptions } from 'glasswork';
import { Cluster, Redis } from 'ioredis';
import { createClient, createCluster } from 'redis';

export const DRIVERS = ['ioredis', 'node-redis'] as const;
export type Driver = (typeof DRIVERS)[number];

/** `{ url }` for ioredis, `{ url, driver: 'node-redis' }` for node-redis, with `extra`. */
export function urlOptions(
  driver: Driver,
  url: string,
  extra: { commandTimeoutMs?: number; connectTimeoutMs?: number; maxValueBytes?: number } = {},
): RedisCacheStoreOptions {
  return driver === 'ioredis' ? { url, ...extra } : { url, driver: 'node-redis', ...extra };
}

/** `{ cluster }` of the masters' addresses, for either library. */
export function clusterOptions(
  driver: Driver,
  nodes: ReadonlyArray<{ host: string; port: number }>,
): RedisCacheStoreOptions {
  if (driver === 'ioredis') return { cluster: [...nodes] };
  return {
    cluster: nodes.map(({ host, port }) => `redis://${host}:${port}`),
    driver: 'node-redis',
  };
}

/** A client of `driver` for `url`, not connected yet (the store connects it on first use). */
export function makeClient(driver: Driver, url: string) {
  return driver === 'ioredis' ? new Redis(url, { lazyConnect: true }) : createClient({ url });
}

/** A Cluster client of `driver` over `nodes`, not connected yet. */
export function makeCluster(driver: Driver, nodes: ReadonlyArray<{ host: string; port: number }>) {
  return driver === 'ioredis'
    ? new Cluster([...nodes], { lazyConnect: true })
    : createCluster({
        rootNodes: nodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })),
      });
}

/** Closes a client made by {@link makeClient} or {@link makeCluster}. */
export async function closeClient(
  client: ReturnType<typeof makeClient> | ReturnType<typeof makeCluster>,
) {
  if ('status' in client) client.disconnect();
  else if (client.isOpen) client.destroy();
}

/** Whether a client made by {@link makeClient} or {@link makeCluster} is still connected. */
export function isConnected(
  client: ReturnType<typeof makeClient> | ReturnType<typeof makeCluster>,
) {
  return 'status' in client ? client.status === 'ready' : client.isOpen;
}
