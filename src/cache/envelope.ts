/**
 * The envelope the service wraps every payload in, so that any store can hold the
 * metadata expiry, stale-while-revalidate, stale-if-error and invalidation need:
 *
 *   `gw2:<createdAtMs base 36>:<expiresAtMs base 36>:<generation>:<stamp length base 36>:<stamp><serialized value>`
 *
 * `expiresAtMs` is the logical expiry. A store may keep the entry longer (its
 * physical TTL covers stale-if-error windows); readers check `expiresAtMs` themselves.
 * `generation` is the service's clear() generation when the entry was written; the stamp
 * (a JSON array, empty for an untagged entry) holds each tag and its version then. An
 * envelope of the first format (`gw1:`) decodes with no generation: it is never valid.
 */
export interface Entry {
  /** The serialized value. */
  payload: string;
  /** When the value was computed, epoch milliseconds. */
  createdAtMs: number;
  /** When the value stops being fresh, epoch milliseconds. */
  expiresAtMs: number;
  /** The clear() generation the entry was written under (`''`: none, never valid). */
  generation: string;
  /** The entry's tags and the version of each when its value was computed: `[tag, version, …]`. */
  tags: readonly string[];
}

/** What an envelope's head tells without the stamp or the value. */
export type EntryHead = Omit<Entry, 'payload' | 'tags'> & {
  /** Whether the entry carries tags (its stamp follows the head). */
  tagged: boolean;
};

const MARKER = 'gw2:';
const LEGACY_MARKER = 'gw1:';

/**
 * Characters that hold an untagged envelope's whole head in practice: marker, both times
 * (8 base-36 digits each until 2059), an 8-character generation and the stamp length.
 * A head cut shorter decodes as `undefined` and readers fall back to the whole entry.
 */
export const ENVELOPE_HEAD_LENGTH = 40;

/** Wraps a serialized value, its times and its stamp into one store payload. */
export function encodeEntry(entry: Entry): string {
  const stamp = entry.tags.length === 0 ? '' : JSON.stringify(entry.tags);
  return `${entryHead(entry)}${entry.generation}:${stamp.length.toString(36)}:${stamp}${entry.payload}`;
}

/**
 * The envelope's first characters, marker and times: what `setIfHead` compares to fence a
 * write (at most 28 characters, within every store's limit).
 */
export function entryHead(entry: Pick<Entry, 'createdAtMs' | 'expiresAtMs'>): string {
  return `${MARKER}${entry.createdAtMs.toString(36)}:${entry.expiresAtMs.toString(36)}:`;
}

/** Unwraps a store payload; `undefined` when it is not a glasswork envelope. */
export function decodeEntry(raw: string): Entry | undefined {
  const start = parseHead(raw);
  if (start < 0) return undefined;
  const { createdAtMs, expiresAtMs, generation, stampLength } = parsed;
  if (stampLength === 0) {
    return { payload: raw.slice(start), createdAtMs, expiresAtMs, generation, tags: NO_TAGS };
  }
  const stampEnd = start + stampLength;
  const tags = raw.length < stampEnd ? undefined : parseStamp(raw.slice(start, stampEnd));
  if (tags === undefined) return undefined;
  return { payload: raw.slice(stampEnd), createdAtMs, expiresAtMs, generation, tags };
}

/** Reads an envelope's head from its first characters; `undefined` when cut or not an envelope. */
export function decodeHead(raw: string): EntryHead | undefined {
  if (parseHead(raw) < 0) return undefined;
  const { createdAtMs, expiresAtMs, generation, stampLength } = parsed;
  return { createdAtMs, expiresAtMs, generation, tagged: stampLength > 0 };
}

/** The fields of the head {@link parseHead} read last: one record, so a hit allocates none. */
const parsed = { createdAtMs: 0, expiresAtMs: 0, generation: '', stampLength: 0 };

/**
 * Reads an envelope's head (either format) into {@link parsed}; returns where the stamp
 * starts (the value, when there is none), or -1 when `raw` is cut or not an envelope. The
 * hot path of every hit: one pass of `indexOf`.
 */
function parseHead(raw: string): number {
  const legacy = raw.startsWith(LEGACY_MARKER);
  if (!legacy && !raw.startsWith(MARKER)) return -1;
  const createdEnd = raw.indexOf(':', 4);
  const expiresEnd = createdEnd < 0 ? -1 : raw.indexOf(':', createdEnd + 1);
  if (expiresEnd < 0) return -1;
  const createdAtMs = Number.parseInt(raw.slice(4, createdEnd), 36);
  const expiresAtMs = Number.parseInt(raw.slice(createdEnd + 1, expiresEnd), 36);
  if (Number.isNaN(createdAtMs) || Number.isNaN(expiresAtMs)) return -1;
  parsed.createdAtMs = createdAtMs;
  parsed.expiresAtMs = expiresAtMs;
  if (legacy) {
    // The first format has no generation (so it is never valid) and no stamp.
    parsed.generation = '';
    parsed.stampLength = 0;
    return expiresEnd + 1;
  }
  const generationEnd = raw.indexOf(':', expiresEnd + 1);
  const lengthEnd = generationEnd < 0 ? -1 : raw.indexOf(':', generationEnd + 1);
  if (lengthEnd < 0) return -1;
  const stampLength =
    lengthEnd === generationEnd + 2 && raw.charCodeAt(generationEnd + 1) === 48 // '0'
      ? 0
      : Number.parseInt(raw.slice(generationEnd + 1, lengthEnd), 36);
  if (!(stampLength >= 0)) return -1;
  parsed.generation = raw.slice(expiresEnd + 1, generationEnd);
  parsed.stampLength = stampLength;
  return lengthEnd + 1;
}

const NO_TAGS: readonly string[] = Object.freeze([]);

function parseStamp(stamp: string): string[] | undefined {
  try {
    const tags: unknown = JSON.parse(stamp);
    if (!Array.isArray(tags) || tags.length % 2 !== 0) return undefined;
    return tags.every((item) => typeof item === 'string') ? (tags as string[]) : undefined;
  } catch {
    return undefined;
  }
}
