import { distinct } from './batch-arguments.js';
import type { CacheContext } from './context.js';
import { NO_VALUE } from './entries.js';
import { encodeEntry } from './envelope.js';
import { emit, startTimer } from './report.js';
import { serializeValue } from './serializer.js';

/**
 * The fresh values under `fullKeys` (duplicates allowed), aligned with them: one batch
 * read of the distinct keys; a miss, an expired or malformed entry, or a failed read is
 * `missing`.
 */
export async function readMany(
  context: CacheContext,
  fullKeys: readonly string[],
  missing: undefined | typeof NO_VALUE,
): Promise<unknown[]> {
  const unique = distinct(fullKeys);
  const started = startTimer(context);
  const raws = await context.store.getMany(unique);
  const now = Date.now();
  const values = new Array<unknown>(unique.length);
  for (let i = 0; i < unique.length; i++) {
    const key = unique[i]!;
    const value = context.entries.fresh(key, raws[i], now);
    emit(context, value === NO_VALUE ? 'miss' : 'hit', key, started);
    values[i] = value === NO_VALUE ? missing : value;
  }
  if (unique.length === fullKeys.length) return values;
  const byKey = new Map(unique.map((key, i) => [key, values[i]]));
  return fullKeys.map((key) => byKey.get(key));
}

/** `getMany`: {@link readMany} with misses as `undefined`. */
export function getMany(context: CacheContext, fullKeys: readonly string[]): Promise<unknown[]> {
  return fullKeys.length === 0 ? Promise.resolve([]) : readMany(context, fullKeys, undefined);
}

/**
 * Serializes and stores entries in one batch write; of a key given twice, the last entry
 * wins. Resolves, per distinct key, whether the store accepted it.
 * @throws CacheSerializationError `E_SERIALIZE`, CacheLimitError (nothing is written)
 */
export async function writeMany(
  context: CacheContext,
  entries: readonly { fullKey: string; value: unknown; ttlMs: number }[],
): Promise<void> {
  if (entries.length === 0) return;
  const last = new Map<string, { fullKey: string; value: unknown; ttlMs: number }>();
  for (const entry of entries) {
    last.delete(entry.fullKey);
    last.set(entry.fullKey, entry);
  }
  const serializer = context.options.serializer;
  const createdAtMs = Date.now();
  const payloads = [...last.values()].map(({ fullKey, value, ttlMs }) => ({
    key: fullKey,
    payload: encodeEntry({
      payload: serializeValue(serializer, value, fullKey),
      createdAtMs,
      expiresAtMs: createdAtMs + ttlMs,
    }),
    ttlMs,
  }));
  const started = startTimer(context);
  const accepted = await context.store.setMany(payloads);
  for (let i = 0; i < payloads.length; i++) {
    if (accepted[i]) emit(context, 'set', payloads[i]!.key, started);
  }
}

/** `delMany`: removes the distinct keys of `fullKeys`; resolves how many were removed. */
export async function deleteMany(
  context: CacheContext,
  fullKeys: readonly string[],
): Promise<number> {
  if (fullKeys.length === 0) return 0;
  const unique = distinct(fullKeys);
  const started = startTimer(context);
  const removed = await context.store.delMany(unique);
  if (removed > 0) for (const key of unique) emit(context, 'del', key, started);
  return removed;
}
