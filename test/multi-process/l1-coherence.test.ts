/**
 * The two-tier cache across real processes on a real Redis server: every instance keeps
 * copies in its own L1 (maxAgeMs 60 s, so only the bus can make a change visible sooner),
 * and a set, del or delByPattern on one is seen by the others within the propagation
 * bound. Then the staleness bound: with the subscriber connections killed over and over,
 * or with a reader that hears nothing at all, no read returns a value older than maxAgeMs.
 * Every loop is bounded in count and time.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { type L1Process, percentile, staleReads, startL1Process } from '../helpers/workers.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** Seen by every other instance within this many milliseconds (loose: CI machines stall). */
const PROPAGATION_LIMIT_MS = 1000;
const ROUNDS = 10;

let running: L1Process[] = [];
const admin = new Redis(REDIS_URL, { lazyConnect: true });

async function start(count: number, job: { maxAgeMs: number; deaf?: boolean }, keyPrefix: string) {
  const started = await Promise.all(
    Array.from({ length: count }, (_, i) =>
      startL1Process({ url: REDIS_URL, keyPrefix, ...job, deaf: job.deaf === true && i > 0 }),
    ),
  );
  running.push(...started);
  return started;
}

afterEach(async () => {
  await Promise.all(running.map((p) => p.send({ op: 'exit' }).catch(() => p.kill())));
  running = [];
});

afterAll(async () => {
  admin.disconnect();
});

/** How long after `writtenAt` each other process saw the change (`await`ing `value`). */
async function propagation(
  others: L1Process[],
  key: string,
  value: unknown,
  writtenAt: number,
): Promise<number[]> {
  const seen = await Promise.all(
    others.map((p) => p.send<{ at: number | null }>({ op: 'await', key, value, timeoutMs: 5000 })),
  );
  return seen.map(({ at }) => (at === null ? Number.POSITIVE_INFINITY : at - writtenAt));
}

describe.each([2, 4])('%i processes on Redis', (count) => {
  it('a set, a del and a delByPattern on one are seen by the others within the bound', async () => {
    const processes = await start(count, { maxAgeMs: 60_000 }, `l1mp-${randomUUID()}`);
    const delays: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const writer = processes[round % count]!;
      const others = processes.filter((p) => p !== writer);
      // Every other instance holds the previous value in its L1.
      for (const p of others) await p.send({ op: 'get', key: 'k' });
      const { at } = await writer.send<{ at: number }>({
        op: 'set',
        key: 'k',
        value: { round },
      });
      delays.push(...(await propagation(others, 'k', { round }, at)));
    }
    const [writer, ...others] = processes as [L1Process, ...L1Process[]];
    for (const p of others) expect(await p.send({ op: 'get', key: 'k' })).toBeDefined();
    const deleted = await writer.send<{ at: number }>({ op: 'del', key: 'k' });
    delays.push(...(await propagation(others, 'k', null, deleted.at)));

    for (const key of ['user:1', 'user:2']) {
      await writer.send({ op: 'set', key, value: key });
      for (const p of others) await p.send({ op: 'get', key });
    }
    const cleared = await writer.send<{ at: number }>({
      op: 'delByPattern',
      pattern: 'user:*',
    });
    delays.push(...(await propagation(others, 'user:1', null, cleared.at)));
    delays.push(...(await propagation(others, 'user:2', null, cleared.at)));

    expect(Math.max(...delays)).toBeLessThan(PROPAGATION_LIMIT_MS);
    const stats = await others[0]!.send<{ l1Hits: number; busMessages: number }>({
      op: 'stats',
    });
    expect(stats.busMessages).toBeGreaterThan(0);
    console.log(
      `${count} processes: propagation p50 ${percentile(delays, 50).toFixed(1)} ms, max ${Math.max(...delays).toFixed(1)} ms over ${delays.length} observations`,
    );
  }, 60_000);
});

describe('the staleness bound holds when messages are lost', () => {
  const MAX_AGE_MS = 250;
  const DURATION_MS = 4000;

  it.each([
    ['the subscriber connections are killed again and again', false],
    ['the reader hears no message at all', true],
  ])(
    'no read is older than maxAgeMs when %s',
    async (_, deaf) => {
      const [writer, reader] = (await start(
        2,
        { maxAgeMs: MAX_AGE_MS, deaf },
        `l1stale-${randomUUID()}`,
      )) as [L1Process, L1Process];
      await writer.send({ op: 'set', key: 'k', value: { seq: 0 } });
      let killing = true;
      let kills = 0;
      const killer = (async () => {
        if (deaf) return;
        await admin.connect().catch(() => {});
        while (killing) {
          await admin.client('KILL', 'TYPE', 'pubsub');
          kills++;
          await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 150));
        }
      })();
      const [{ writes }, { reads, stats }] = await Promise.all([
        writer.send<{ writes: [number, number][] }>({
          op: 'writeLoop',
          key: 'k',
          durationMs: DURATION_MS,
        }),
        reader.send<{ reads: [number, number][]; stats: { l1Hits: number } }>({
          op: 'readLoop',
          key: 'k',
          durationMs: DURATION_MS,
        }),
      ]);
      killing = false;
      await killer;
      expect(reads.length).toBeGreaterThan(2000);
      expect(writes.length).toBeGreaterThan(100);
      expect(stats.l1Hits).toBeGreaterThan(reads.length / 2); // the tier was really used
      if (!deaf) expect(kills).toBeGreaterThan(10);
      expect(staleReads(writes, reads, MAX_AGE_MS)).toBe(0);
      // And the bound is not vacuous: without the bus, readers do lag behind.
      if (deaf) expect(staleReads(writes, reads, 0)).toBeGreaterThan(0);
    },
    30_000,
  );
});
