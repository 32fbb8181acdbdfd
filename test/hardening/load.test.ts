/**
 * A bounded load run on each networked store: concurrent clients mix get, set, wrap,
 * wrapSWR, del and delByPattern for a fixed time. Afterwards every key holds a whole value
 * some writer wrote for that key (no torn or foreign entries), and after close() the process
 * has no more sockets, timers, listeners or heap than before.
 *
 * Duration per store: GLASSWORK_LOAD_SECONDS (default 3; CI runs longer).
 */
import { createHash, randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { CacheService, type CacheStore, silentLogger } from 'glasswork';
import { describe, expect, it } from 'vitest';
import { STORE_TARGETS } from '../helpers/store-matrix.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const SECONDS = Number(process.env.GLASSWORK_LOAD_SECONDS ?? 3);
const CLIENTS = 8;
const WORKERS_PER_CLIENT = 8;
const KEYS = 40;
const MAX_OPS = 2_000_000;

interface Written {
  key: string;
  writer: string;
  seq: number;
  body: string;
  digest: string;
}

const digest = (body: string) => createHash('sha1').update(body).digest('base64');

function value(key: string, writer: string, seq: number): Written {
  // Bodies from a few bytes to ~40 KB, so large values (compressed on DynamoDB) race too.
  const size = [8, 300, 3000, 40_000][seq % 4]!;
  const body = `${writer}:${seq}:`.padEnd(size, String.fromCharCode(97 + (seq % 26)));
  return { key, writer, seq, body, digest: digest(body) };
}

/** Throws unless `stored` is a whole value written for `key`. */
function check(key: string, stored: unknown): void {
  const entry = stored as Written;
  expect(entry.key).toBe(key);
  expect(digest(entry.body)).toBe(entry.digest);
  expect(entry.body.startsWith(`${entry.writer}:${entry.seq}:`)).toBe(true);
}

function resources(): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const kind of process.getActiveResourcesInfo()) counts[kind] = (counts[kind] ?? 0) + 1;
  return counts;
}

const listenerCounts = () =>
  ['exit', 'SIGTERM', 'SIGINT', 'uncaughtException', 'unhandledRejection', 'warning'].map((event) =>
    process.listenerCount(event),
  );

for (const target of STORE_TARGETS.filter((t) => t.name !== 'memory')) {
  describe(`${target.name}: load`, () => {
    it(
      `keeps every entry whole under ${CLIENTS} clients x ${WORKERS_PER_CLIENT} workers for ${SECONDS} s, and leaks nothing`,
      async () => {
        gc();
        const heapBefore = process.memoryUsage().heapUsed;
        const resourcesBefore = resources();
        const listenersBefore = listenerCounts();

        const opened = await target.open();
        const prefix = `load-${randomUUID()}`;
        const stores: CacheStore[] = [];
        const caches = Array.from({ length: CLIENTS }, () => {
          const store = opened.create();
          stores.push(store);
          return new CacheService(store, {
            defaultTTL: 60,
            keyPrefix: prefix,
            logger: silentLogger,
          });
        });
        const counts = { get: 0, set: 0, wrap: 0, swr: 0, del: 0, delByPattern: 0, checked: 0 };
        const deadline = Date.now() + SECONDS * 1000;
        let ops = 0;
        let seq = 0;
        const worker = async (cache: CacheService, writer: string) => {
          while (Date.now() < deadline && ops < MAX_OPS) {
            ops++;
            const key = `g${ops % 4}:k${Math.floor(Math.random() * KEYS)}`;
            const roll = Math.random();
            if (roll < 0.35) {
              const stored = await cache.get(key);
              if (stored !== undefined) {
                check(key, stored);
                counts.checked++;
              }
              counts.get++;
            } else if (roll < 0.6) {
              await cache.set(key, value(key, writer, seq++));
              counts.set++;
            } else if (roll < 0.8) {
              check(key, await cache.wrap(key, 60, () => value(key, writer, seq++)));
              counts.wrap++;
            } else if (roll < 0.88) {
              check(key, await cache.wrapSWR(key, 0.2, 60, () => value(key, writer, seq++)));
              counts.swr++;
            } else if (roll < 0.98) {
              await cache.del(key);
              counts.del++;
            } else {
              await cache.delByPattern(`g${ops % 4}:*`);
              counts.delByPattern++;
            }
          }
        };
        await Promise.all(
          caches.flatMap((cache, c) =>
            Array.from({ length: WORKERS_PER_CLIENT }, (_, w) => worker(cache, `w${c}.${w}`)),
          ),
        );
        await Promise.all(caches.map((cache) => cache.drain(10_000)));

        // Every key left holds a whole value written for it.
        const reader = new CacheService(opened.create(), {
          defaultTTL: 60,
          keyPrefix: prefix,
          logger: silentLogger,
        });
        let present = 0;
        for (let g = 0; g < 4; g++) {
          for (let k = 0; k < KEYS; k++) {
            const key = `g${g}:k${k}`;
            const stored = await reader.get(key);
            if (stored !== undefined) {
              check(key, stored);
              present++;
            }
          }
        }
        await reader.delByPattern('*');
        // Store calls may time out under this load (the cache fails open); they are counted,
        // and must never have corrupted an entry (checked above).
        let storeErrors = 0;
        for (const cache of caches) {
          expect(cache.stats()).toMatchObject({ inFlight: 0, background: 0, leasesHeld: 0 });
          storeErrors += cache.stats().errors;
        }
        await opened.close();
        console.log(
          `load ${target.name}: ${ops} operations in ${SECONDS} s (${JSON.stringify(counts)}), ${storeErrors} store errors absorbed, ${present} keys verified at the end`,
        );
        expect(ops).toBeGreaterThan(100);

        // Nothing left behind: sockets, timers, listeners, heap.
        await new Promise((resolve) => setTimeout(resolve, 200));
        gc();
        const after = resources();
        for (const kind of ['TCPSocketWrap', 'TCPWRAP', 'Timeout', 'TCPServerWrap']) {
          expect(after[kind] ?? 0, kind).toBeLessThanOrEqual(resourcesBefore[kind] ?? 0);
        }
        expect(listenerCounts()).toEqual(listenersBefore);
        const heapGrowthMb = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
        console.log(`load ${target.name}: heap growth after close ${heapGrowthMb.toFixed(1)} MB`);
        expect(heapGrowthMb).toBeLessThan(16);
      },
      SECONDS * 1000 + 60_000,
    );
  });
}
