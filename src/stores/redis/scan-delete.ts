import { compileGlob } from '../glob.js';
import { bySlot } from './batch.js';
import type { RedisCommands } from './commands.js';
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
  client: RedisCommands,
  pattern: string,
  watchdog?: StallWatchdog,
): Promise<number> {
  const { match, exact } = toRedisMatch(pattern);
  const matches = exact ? undefined : compileGlob(pattern);
  const keep = matches && ((key: Buffer) => matches(key.toString('utf8')));
  const timed = <T>(command: Promise<T>) => (watchdog ? watchdog.track(command) : command);
  const unlink = client.isCluster
    ? (keys: Buffer[]) => unlinkBySlot(client, keys)
    : (keys: Buffer[]) => timed(client.unlink(keys));
  const scanners = await client.scanners();
  const counts = await Promise.all(
    scanners.map((scan) =>
      scanAndUnlink((cursor) => timed(scan(cursor, match, SCAN_COUNT)), keep, unlink),
    ),
  );
  return counts.reduce((sum, count) => sum + count, 0);
}

/**
 * Scans one server to the end. Each SCAN is sent as soon as the previous reply arrives,
 * before that batch's UNLINK, so the server never waits for this loop between batches.
 */
async function scanAndUnlink(
  scan: (cursor: string) => Promise<[string, Buffer[]]>,
  keep: ((key: Buffer) => boolean) | undefined,
  unlink: (keys: Buffer[]) => Promise<number>,
): Promise<number> {
  let removed = 0;
  let failure: { error: unknown } | undefined;
  const deletes: Promise<void>[] = [];
  let next = scan('0');
  for (;;) {
    const [cursor, found] = await next;
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
async function unlinkBySlot(client: RedisCommands, keys: Buffer[]): Promise<number> {
  const counts = await Promise.all(bySlot(keys).map((group) => client.unlink(group)));
  return counts.reduce((sum, count) => sum + count, 0);
}
