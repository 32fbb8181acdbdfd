import type { CacheService, CacheStore } from 'glasswork';
import { encodeEntry } from '../../src/cache/envelope.js';

/**
 * A raw entry `cache` accepts as its own: an envelope of its current generation holding
 * `payload` (a serialized value) for `ttlMs`. Writes once through `cache` first, so that
 * the generation exists.
 */
export async function ownEnvelope(
  cache: CacheService,
  store: CacheStore,
  keyPrefix: string | undefined,
  payload: string,
  ttlMs = 60_000,
): Promise<string> {
  await cache.set('__generation_probe', 0);
  const raw = await store.get(`${keyPrefix ?? ''}#glasswork:generation`);
  const generation = /:([0-9a-z]{8})$/.exec(raw ?? '')?.[1];
  if (generation === undefined) throw new Error(`no generation found: ${raw}`);
  const createdAtMs = Date.now();
  return encodeEntry({
    payload,
    createdAtMs,
    expiresAtMs: createdAtMs + ttlMs,
    generation,
    tags: [],
  });
}
