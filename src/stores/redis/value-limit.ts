import { CacheLimitError, CacheStoreError, quoteKey } from '../../errors.js';

/** The `E_VALUE_TOO_LARGE` error for a value to write over `maxValueBytes`, if it is. */
export function oversizedWrite(
  key: string,
  value: string | Buffer,
  maxValueBytes: number,
): CacheLimitError | undefined {
  // UTF-8 takes at most 3 bytes per UTF-16 code unit: most values need no count.
  if (typeof value === 'string' && value.length * 3 <= maxValueBytes) return undefined;
  const size = typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : value.length;
  if (size <= maxValueBytes) return undefined;
  return new CacheLimitError(
    'E_VALUE_TOO_LARGE',
    `entry ${quoteKey(key)} is ${size} bytes, over the store's maxValueBytes of ${maxValueBytes}`,
    { key, store: 'redis', size, limit: maxValueBytes },
  );
}

/**
 * The failure of a read that found a value over `maxValueBytes` (written by another client,
 * or before the limit was lowered). A store error, so the service logs it and misses.
 */
export function oversizedRead(key: string, maxValueBytes: number): CacheStoreError {
  return new CacheStoreError(
    'E_PAYLOAD_TOO_LARGE',
    `the value stored at ${quoteKey(key)} is over the store's maxValueBytes of ${maxValueBytes}; read as a miss`,
    { key, store: 'redis' },
  );
}
