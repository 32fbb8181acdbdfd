import type * as DynamoDBModule from '@aws-sdk/client-dynamodb';
import { CacheDependencyError } from '../../errors.js';

/** The `@aws-sdk/client-dynamodb` module namespace. */
export type DynamoDBSdk = typeof DynamoDBModule;

const PACKAGE = '@aws-sdk/client-dynamodb';

let loading: Promise<DynamoDBSdk> | undefined;

/**
 * Imports `@aws-sdk/client-dynamodb` once, on first use, so that importing glasswork
 * never loads the SDK. Concurrent first callers share one import; a failed import is
 * forgotten so that a later call can try again.
 * @throws CacheDependencyError `E_MISSING_DEPENDENCY` when the package cannot be loaded
 */
export function loadDynamoDBSdk(): Promise<DynamoDBSdk> {
  loading ??= importDynamoDBSdk(() => import('@aws-sdk/client-dynamodb')).catch((error) => {
    loading = undefined;
    throw error;
  });
  return loading;
}

/** Runs `importer` and turns its failure into a {@link CacheDependencyError}. */
export async function importDynamoDBSdk(
  importer: () => Promise<DynamoDBSdk>,
): Promise<DynamoDBSdk> {
  try {
    return await importer();
  } catch (cause) {
    throw new CacheDependencyError(
      'E_MISSING_DEPENDENCY',
      `DynamoDBCacheStore needs the optional peer dependency ${PACKAGE}, which could not be loaded; install it with: npm install ${PACKAGE}`,
      { store: 'dynamodb', cause },
    );
  }
}

/** True when `error` is an AWS service error of the given name (no SDK class needed). */
export function isAwsError(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}
