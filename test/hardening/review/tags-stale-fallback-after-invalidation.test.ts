/**
 * docs/tags.md: once invalidateTags([t]) resolves, "staleIfError does not fall back on" an
 * entry tagged t. A wrap() made after it can still get that entry as its stale fallback by
 * joining a call in flight that read the entry before the invalidation and whose loader then
 * fails: Flights.detach() only detaches calls by the tags their caller passed (not the tags
 * recorded in the entry they read), and only in the invalidating instance. Fixed: the stale
 * fallback is checked again just before it is served.
 */
import { CacheService, MemoryCacheStore, silentLogger } from 'glasswork';
import { describe, expect, it } from 'vitest';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

async function failingAfter(opened: Promise<void>, started: () => void): Promise<never> {
  started();
  await opened;
  throw new Error('origin down');
}

describe('staleIfError after invalidateTags()', () => {
  it('a call without tags, joined after the invalidation, does not get the invalidated entry', async () => {
    const cache = new CacheService(new MemoryCacheStore(), {
      defaultTTL: 60,
      logger: silentLogger,
    });
    await cache.wrap('price', 1, async () => 'old', { tags: ['prices'], staleIfError: 60 });
    await sleep(1100); // expired, inside its stale-if-error window
    const { open, opened } = gate();
    let started!: () => void;
    const loaderStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const first = cache.wrap('price', 1, () => failingAfter(opened, started), { staleIfError: 60 });
    await loaderStarted;
    expect(await cache.invalidateTags(['prices'])).toBe(true);
    const after = cache.wrap('price', 1, async () => 'new', { staleIfError: 60 });
    open();
    // The entry is gone for every caller, the one that started before the invalidation too:
    // its loader's error is what they all get (single flight), never the invalidated value.
    await expect(first).rejects.toThrow('origin down');
    expect(await after.catch((error: Error) => error.message)).not.toBe('old');
  });

  it('in another instance, a tagged call joined after the invalidation does not get it', async () => {
    const store = new MemoryCacheStore();
    const a = new CacheService(store, { defaultTTL: 60, logger: silentLogger });
    const b = new CacheService(store, { defaultTTL: 60, logger: silentLogger });
    const options = { tags: ['prices'], staleIfError: 60 };
    await b.wrap('price', 1, async () => 'old', options);
    await sleep(1100);
    const { open, opened } = gate();
    let started!: () => void;
    const loaderStarted = new Promise<void>((resolve) => {
      started = resolve;
    });
    const first = b.wrap('price', 1, () => failingAfter(opened, started), options);
    await loaderStarted;
    expect(await a.invalidateTags(['prices'])).toBe(true);
    const after = b.wrap('price', 1, async () => 'new', options);
    open();
    // The entry is gone for every caller, the one that started before the invalidation too:
    // its loader's error is what they all get (single flight), never the invalidated value.
    await expect(first).rejects.toThrow('origin down');
    expect(await after.catch((error: Error) => error.message)).not.toBe('old');
  });
});
