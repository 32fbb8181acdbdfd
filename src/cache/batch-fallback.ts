/** Store calls in flight at once when a batch falls back to per-key calls. */
export const FALLBACK_CONCURRENCY = 16;

/**
 * Maps `items` through `call`, at most `limit` calls in flight, results in order: how a
 * batch runs on a store without the batch method.
 */
export async function mapBounded<I, R>(
  items: readonly I[],
  call: (item: I) => Promise<R>,
  limit = FALLBACK_CONCURRENCY,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await call(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
