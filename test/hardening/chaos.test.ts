/**
 * Drives the service through every operation while a chaos store fails, delays and hangs
 * on demand. Nothing may reach the caller but programmer errors, nothing may be left
 * unhandled, drain() must settle and the in-progress gauges must return to zero.
 */
import { randomUUID } from 'node:crypto';
import { CacheService, silentLogger } from 'glasswork';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ChaosMode, ChaosStore } from '../helpers/chaos-store.js';
import { seededRandom } from '../helpers/random.js';
import { STORE_TARGETS } from '../helpers/store-matrix.js';

const MODES: ChaosMode[] = ['ok', 'ok', 'fail', 'hang', { delayMs: 5 }, { delayMs: 150 }];
const OPERATIONS = [
  'get',
  'set',
  'del',
  'has',
  'delByPattern',
  'setIfAbsent',
  'delIfEquals',
] as const;

describe('chaos: every operation against a failing, slow and hanging store', () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => unhandled.push(reason);
  beforeAll(() => {
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
  });

  describe.each(STORE_TARGETS)('$name', (target) => {
    let opened: Awaited<ReturnType<typeof target.open>>;
    beforeAll(async () => {
      opened = await target.open();
    });
    afterAll(() => opened.close());

    it.each(target.name === 'memory' ? [1, 2, 3] : [4])(
      'survives a random schedule (seed %i)',
      async (seed) => {
        const next = seededRandom(seed);
        const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
        const store = new ChaosStore(opened.create());
        const keyPrefix = `chaos-${randomUUID()}`;
        const caches = [0, 1].map(
          () =>
            new CacheService(store, {
              defaultTTL: 1,
              keyPrefix,
              logger: silentLogger,
              storeTimeoutMs: 100,
              delByPatternTimeoutMs: 100,
              lockWaitMs: 200,
            }),
        );
        let faults = 0;
        let calls = 0;
        let loaderFailures = 0;
        const loader = (value: number) => async () => {
          if (next() < 0.1) {
            loaderFailures++;
            throw new Error('loader failed');
          }
          if (next() < 0.2) await new Promise((resolve) => setTimeout(resolve, 20));
          return value;
        };
        const started = Date.now();
        for (let round = 0; round < 40 && Date.now() - started < 8000; round++) {
          for (const operation of OPERATIONS) {
            const mode = pick(MODES);
            if (mode !== 'ok') faults++;
            store.mode(mode, operation);
          }
          calls += 15;
          const batch = Array.from({ length: 15 }, (_, i) => {
            const cache = pick(caches);
            const key = `k${Math.floor(next() * 5)}`;
            switch (Math.floor(next() * 9)) {
              case 0:
                return cache.get(key);
              case 1:
                return cache.set(key, { round, i });
              case 2:
                return cache.del(key);
              case 3:
                return cache.has(key);
              case 4:
                return cache.delByPattern('k*');
              case 5:
                return cache.wrap(key, 1, loader(i), {
                  lock: next() < 0.5,
                  staleIfError: 5,
                  fnTimeoutMs: 50,
                });
              case 6:
                return cache.wrapSWR(key, 0.05, 2, loader(i));
              case 7:
                return cache.wrapSWR(key, 0.05, 2, loader(i), {
                  backgroundRefresh: false,
                  fnTimeoutMs: 30,
                });
              default:
                return cache.drain(50);
            }
          });
          const results = await Promise.allSettled(batch);
          for (const result of results) {
            if (result.status === 'rejected')
              expect((result.reason as Error).message).toBe('loader failed');
          }
        }
        store.mode('ok');
        store.release();
        const drained = await Promise.all(caches.map((cache) => cache.drain(5000)));
        expect(drained).toEqual([true, true]);
        // Hanging calls were given up on by the service; their late settlement changes nothing.
        await new Promise((resolve) => setTimeout(resolve, 250));
        for (const cache of caches) {
          expect(cache.stats()).toMatchObject({ inFlight: 0, background: 0, leasesHeld: 0 });
        }
        expect(unhandled).toEqual([]);
        expect(faults).toBeGreaterThan(50);
        console.log(
          `chaos ${target.name} seed ${seed}: ${faults} faults injected, ${calls} calls, ${loaderFailures} loader failures`,
        );
      },
      30_000,
    );
  });
});
