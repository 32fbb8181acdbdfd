/**
 * The envelope the service wraps every payload in, so that any store can hold the
 * metadata expiry, stale-while-revalidate and stale-if-error need:
 *
 *   `gw1:<createdAtMs base 36>:<expiresAtMs base 36>:<serialized value>`
 *
 * `expiresAtMs` is the logical expiry. A store may keep the entry longer (its
 * physical TTL covers stale-if-error windows); readers check `expiresAtMs` themselves.
 */
export interface Entry {
  /** The serialized value. */
  payload: string;
  /** When the value was computed, epoch milliseconds. */
  createdAtMs: number;
  /** When the value stops being fresh, epoch milliseconds. */
  expiresAtMs: number;
}

const MARKER = 'gw1:';

/**
 * Characters that always hold an envelope's marker and both times (at most
 * 4 + 11 + 1 + 11 + 1: epoch milliseconds take 11 base-36 digits at most).
 */
export const ENVELOPE_HEAD_LENGTH = 32;

/** Wraps a serialized value and its times into one store payload. */
export function encodeEntry(entry: Entry): string {
  return `${MARKER}${entry.createdAtMs.toString(36)}:${entry.expiresAtMs.toString(36)}:${entry.payload}`;
}

/** The envelope's head: marker and times, what `setIfHead` compares to fence a write. */
export function entryHead(entry: Pick<Entry, 'createdAtMs' | 'expiresAtMs'>): string {
  return `${MARKER}${entry.createdAtMs.toString(36)}:${entry.expiresAtMs.toString(36)}:`;
}

/** Unwraps a store payload; `undefined` when it is not a glasswork envelope. */
export function decodeEntry(raw: string): Entry | undefined {
  if (!raw.startsWith(MARKER)) return undefined;
  const createdEnd = raw.indexOf(':', MARKER.length);
  const expiresEnd = createdEnd < 0 ? -1 : raw.indexOf(':', createdEnd + 1);
  if (expiresEnd < 0) return undefined;
  const createdAtMs = Number.parseInt(raw.slice(MARKER.length, createdEnd), 36);
  const expiresAtMs = Number.parseInt(raw.slice(createdEnd + 1, expiresEnd), 36);
  if (Number.isNaN(createdAtMs) || Number.isNaN(expiresAtMs)) return undefined;
  return { createdAtMs, expiresAtMs, payload: raw.slice(expiresEnd + 1) };
}
