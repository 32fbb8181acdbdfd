import type * as DynamoDBModule from '@aws-sdk/client-dynamodb';
import { lazyPeer, member } from '../load-peer.js';

/** The `@aws-sdk/client-dynamodb` module namespace. */
export type DynamoDBSdk = typeof DynamoDBModule;

/**
 * Imports `@aws-sdk/client-dynamodb` once, on first use, so that importing glasswork
 * never loads the SDK. Concurrent first callers share one import; a failed import is
 * tried again on the next use. Takes a replacement importer in tests.
 * @throws CacheDependencyError `E_MISSING_DEPENDENCY` when the package cannot be loaded
 */
export const loadDynamoDBSdk = /* @__PURE__ */ lazyPeer<DynamoDBSdk>({
  packageName: '@aws-sdk/client-dynamodb',
  storeClass: 'DynamoDBCacheStore',
  storeName: 'dynamodb',
  importer: () => import('@aws-sdk/client-dynamodb'),
  pick: (namespace) =>
    typeof member(namespace, 'DynamoDBClient') === 'function'
      ? (namespace as DynamoDBSdk)
      : undefined,
  expected: 'DynamoDBClient class',
});

/** True when `error` is an AWS service error of the given name (no SDK class needed). */
export function isAwsError(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}
