import type { Cluster, Redis } from 'ioredis';
import { compileGlob } from '../glob.js';
import { keySlot } from './key-slot.js';
import { toRedisMatch } from './match-pattern.js';
import type { StallWatchdog } from './stall-watchdog.js';

/** Keys asked of each SCAN call. */
const SCAN_COUNT = 1000;

/**
 * Removes every key matching the store `pattern` with SCAN and UNLINK (never KEYS) and
 * resolves how many were removed, by UNLINK's count: a key SCAN returns twice counts once.
 * On a Cluster every master is scanned, and deletes are grouped by hash slot. On a single
 * server, each SCAN and UNLINK is timed by the connection's `watchdog`.
 */
export async function deleteByPattern(
  client: Redis | Cluster,
  pattern: string,
  watchdog?: StallWatchdog,
): Promise<number> {
  const { match, exact } = toRedisMatch(pattern);
  const matches = exact ? undefined : compileGlob(pattern);
  const keep = matches && ((key: Buffer) => matches(key.toString('utf8')));
  if (!client.isCluster) {
    const server = client as Redis;
    const timed = <T>(command: Promise<T>) => (watchdog ? watchdog.track(command) : command);
    return scanAndUnlink(
      (cursor) => timed(server.scanBuffer(cursor, 'MATCH', match, 'COUNT', SCAN_COUNT)),
      keep,
      (keys) => timed(server.unlink(...keys)),
    );
  }
  const cluster = client as Cluster;
  const unlink = (keys: Buffer[]) => unlinkBySlot(cluster, keys);
  const counts = await Promise.all(
    cluster
      .nodes('master')
      .map((node) =>
        scanAndUnlink(
          (cursor) => node.scanBuffer(cursor, 'MATCH', match, 'COUNT', SCAN_COUNT),
          keep,
          unlink,
        ),
      ),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}

/**
 * Scans one server to the end. Each SCAN is sent as soon as the previous reply arrives,
 * before that batch's UNLINK, so the server never waits for this loop between batches.
 */
async function scanAndUnlink(
  scan: (cursor: string) => Promise<[Buffer, Buffer[]]>,
  keep: ((key: Buffer) => boolean) | undefined,
  unlink: (keys: Buffer[]) => Promise<number>,
): Promise<number> {
  let removed = 0;
  let failure: { error: unknown } | undefined;
  const deletes: Promise<void>[] = [];
  let next = scan('0');
  for (;;) {
    const [cursorBuffer, found] = await next;
    const cursor = cursorBuffer.toString();
    const done = cursor === '0' || failure !== undefined;
    if (!done) next = scan(cursor);
    const keys = keep ? found.filter(keep) : found;
    if (keys.length > 0) {
      deletes.push(
        unlink(keys).then(
          (count) => {
            removed += count;
          },
          (error: unknown) => {
            failure ??= { error };
          },
        ),
      );
    }
    if (done) break;
  }
  await Promise.all(deletes);
  if (failure !== undefined) throw failure.error;
  return removed;
}

/** UNLINKs keys in one command per hash slot (a multi-slot UNLINK fails with CROSSSLOT). */
async function unlinkBySlot(cluster: Cluster, keys: Buffer[]): Promise<number> {
  const bySlot = new Map<number, Buffer[]>();
  for (const key of keys) {
    const slot = keySlot(key);
    const group = bySlot.get(slot);
    if (group === undefined) bySlot.set(slot, [key]);
    else group.push(key);
  }
  const counts = await Promise.all([...bySlot.values()].map((group) => cluster.unlink(...group)));
  return counts.reduce((sum, count) => sum + count, 0);
}
