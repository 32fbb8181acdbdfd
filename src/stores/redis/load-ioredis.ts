import type { Cluster, Redis } from 'ioredis';
import { CacheDependencyError } from '../../errors.js';

/** The two ioredis classes the store uses. */
export interface IoredisModule {
  Redis: typeof Redis;
  Cluster: typeof Cluster;
}

/** Imports the `ioredis` module namespace; replaceable in tests. */
export type IoredisImporter = () => Promise<unknown>;

const importIoredis: IoredisImporter = () => import('ioredis');

let shared: Promise<IoredisModule> | undefined;

/**
 * Loads ioredis on first use, once per process: the promise is memoized, so concurrent
 * first calls share one import.
 * @throws CacheDependencyError `E_MISSING_DEPENDENCY` when ioredis is not installed or fails to load.
 */
export function loadIoredis(importer?: IoredisImporter): Promise<IoredisModule> {
  if (importer !== undefined) return load(importer);
  shared ??= load(importIoredis);
  return shared;
}

async function load(importer: IoredisImporter): Promise<IoredisModule> {
  let namespace: unknown;
  try {
    namespace = await importer();
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code;
    const missing = code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND';
    throw new CacheDependencyError(
      'E_MISSING_DEPENDENCY',
      missing
        ? 'RedisCacheStore needs the ioredis package: npm install ioredis'
        : `RedisCacheStore could not load ioredis (reinstall it with npm install ioredis): ${(error as Error)?.message ?? error}`,
      { store: 'redis', cause: error },
    );
  }
  const classes = pickClasses(namespace);
  if (classes === undefined) {
    throw new CacheDependencyError(
      'E_MISSING_DEPENDENCY',
      'the installed ioredis exports no Redis and Cluster classes; RedisCacheStore needs ioredis 5 or 6: npm install ioredis',
      { store: 'redis' },
    );
  }
  return classes;
}

/**
 * Finds the Redis and Cluster classes in whatever shape the module arrives: named exports
 * (ESM), a `default` export that is the Redis class carrying `Cluster` (CommonJS ioredis 5
 * and 6 seen from ESM), or both nested one level deeper (bundler interop).
 */
export function pickClasses(namespace: unknown): IoredisModule | undefined {
  const scopes = [namespace, member(namespace, 'default')];
  scopes.push(member(scopes[1], 'default'));
  let redis: unknown;
  let cluster: unknown;
  for (const scope of scopes) {
    redis ??= asClass(member(scope, 'Redis'));
    cluster ??= asClass(member(scope, 'Cluster'));
  }
  redis ??= asClass(scopes[1]);
  if (redis === undefined || cluster === undefined) return undefined;
  return { Redis: redis as typeof Redis, Cluster: cluster as typeof Cluster };
}

function member(value: unknown, name: string): unknown {
  return (typeof value === 'object' || typeof value === 'function') && value !== null
    ? (value as Record<string, unknown>)[name]
    : undefined;
}

function asClass(value: unknown): unknown {
  return typeof value === 'function' ? value : undefined;
}
