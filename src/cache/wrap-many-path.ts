import { CacheArgumentError, describeValue, isInputError, quoteKey } from '../errors.js';
import { errorMessage } from '../shared/logger.js';
import { type BatchLoader, distinct } from './batch-arguments.js';
import { readMany, writeMany } from './batch-path.js';
import type { CacheContext } from './context.js';
import { NO_VALUE } from './entries.js';
import { emit, report, startTimer } from './report.js';
import type { Stamp } from './tags/tag-state.js';

/** A key this call answers for: other callers of the key (`wrap`, `wrapMany`) wait on it. */
interface Claim {
  fullKey: string;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * The read path of `wrapMany`. Each distinct key joins the call in flight for it (a `wrap`
 * or another `wrapMany`) or is claimed by this call through `flights`, so that a key is
 * read and loaded once however the calls overlap. The claimed keys are read in one batch;
 * the misses go to one loader call and are written in one batch. Resolves the values
 * aligned with `fullKeys`.
 */
export async function wrapManyPath(
  context: CacheContext,
  inputs: readonly unknown[],
  fullKeys: readonly string[],
  loader: BatchLoader<unknown, unknown>,
  ttlMs: number,
  tags: readonly string[],
): Promise<unknown[]> {
  if (fullKeys.length === 0) return [];
  const inputOf = new Map<string, unknown>();
  fullKeys.forEach((key, index) => {
    if (!inputOf.has(key)) inputOf.set(key, inputs[index]);
  });
  const pending = new Map<string, Promise<unknown>>();
  const claims: Claim[] = [];
  for (const fullKey of distinct(fullKeys)) {
    let claim: Claim | undefined;
    const mine = new Promise<unknown>((resolve, reject) => {
      claim = { fullKey, resolve, reject };
    });
    const shared = context.flights.share(fullKey, () => mine);
    pending.set(fullKey, shared);
    if (shared === mine) claims.push(claim!);
  }
  if (claims.length > 0) void readAndLoad(context, claims, inputOf, loader, ttlMs, tags);
  const values = new Map<string, unknown>();
  await Promise.all(
    [...pending].map(([fullKey, promise]) => promise.then((value) => values.set(fullKey, value))),
  );
  return fullKeys.map((key) => values.get(key));
}

/** Settles every claim: fresh entries from one batch read, the rest from one loader call. */
async function readAndLoad(
  context: CacheContext,
  claims: Claim[],
  inputOf: Map<string, unknown>,
  loader: BatchLoader<unknown, unknown>,
  ttlMs: number,
  tags: readonly string[],
): Promise<void> {
  let open = claims;
  try {
    const values = await readMany(
      context,
      claims.map((claim) => claim.fullKey),
      NO_VALUE,
    );
    const missing: Claim[] = [];
    claims.forEach((claim, index) => {
      const value = values[index];
      if (value !== NO_VALUE) claim.resolve(value);
      else {
        // A load past a `wrap`'s soft timeout may still run for the key: wait for it.
        const loading = context.flights.loading(claim.fullKey);
        if (loading === undefined) missing.push(claim);
        else loading.then(claim.resolve, claim.reject);
      }
    });
    open = missing;
    if (missing.length === 0) return;
    // Read before the loader starts: an invalidation during the load makes its result invalid.
    const stamp = await context.tags.capture(tags);
    const loaded = await callLoader(loader, missing, inputOf);
    if (stamp.generation === '' || (await context.tags.check(stamp))) {
      await store(context, missing, loaded, ttlMs, stamp);
    }
    for (const [index, claim] of missing.entries()) claim.resolve(loaded[index]);
  } catch (error) {
    for (const claim of open) claim.reject(error);
  }
}

async function callLoader(
  loader: BatchLoader<unknown, unknown>,
  missing: Claim[],
  inputOf: Map<string, unknown>,
): Promise<readonly unknown[]> {
  const loaded: unknown = await loader(missing.map((claim) => inputOf.get(claim.fullKey)));
  if (!Array.isArray(loaded) || loaded.length !== missing.length) {
    throw new CacheArgumentError(
      'E_INVALID_ARGUMENT',
      `wrapMany's loader must return an array with one value per key it was given (${missing.length}), got ${Array.isArray(loaded) ? `an array of ${loaded.length}` : describeValue(loaded)}`,
      { key: missing[0]?.fullKey },
    );
  }
  return loaded;
}

/**
 * Caches the loaded values (`undefined` is not cached) in one batch write. When one value
 * cannot be cached (`E_SERIALIZE`, `E_VALUE_TOO_LARGE`), the entries are written one by
 * one so that only that key is skipped (logged); store failures are logged by the guard.
 */
async function store(
  context: CacheContext,
  claims: Claim[],
  loaded: readonly unknown[],
  ttlMs: number,
  stamp: Stamp,
): Promise<void> {
  const entries = [];
  const tags = stamp.tags.filter((_, i) => i % 2 === 0);
  for (let i = 0; i < claims.length; i++) {
    if (loaded[i] !== undefined)
      entries.push({ fullKey: claims[i]!.fullKey, value: loaded[i], ttlMs, tags });
  }
  try {
    await writeMany(context, entries, stamp);
  } catch (error) {
    if (!isInputError(error)) throw error;
    await Promise.all(
      entries.map(async ({ fullKey, value }) => {
        try {
          const started = startTimer(context);
          if (await context.entries.write(fullKey, value, ttlMs, stamp))
            emit(context, 'set', fullKey, started);
        } catch (cause) {
          if (!isInputError(cause)) throw cause;
          report(
            context,
            'error',
            fullKey,
            `value for ${quoteKey(fullKey)} was computed but not cached: ${errorMessage(cause)}`,
            'error',
            cause,
          );
        }
      }),
    );
  }
}
