import { CacheArgumentError } from '../errors.js';
import { acceptedKeys, type KeyList, unknownKeyProblem } from '../shared/options.js';
import { assertTags } from './tags/tag-arguments.js';

/** Options of `set`, the object form of its third argument. */
export interface SetOptions {
  /**
   * TTL in seconds.
   * @default the service's `defaultTTL`
   */
  ttl?: number;
  /**
   * Tags the entry carries: `invalidateTags` of any of them invalidates it.
   * @default no tags
   */
  tags?: readonly string[];
}

const SET_OPTION_KEYS = acceptedKeys({ ttl: true, tags: true } satisfies KeyList<SetOptions>);

/**
 * `set`'s third argument: a TTL in seconds, or {@link SetOptions}. Returns the TTL (checked
 * by the caller) and the checked tags.
 * @throws CacheArgumentError `E_INVALID_OPTION` for an unknown key, `E_INVALID_TAG`
 */
export function setArguments(ttlOrOptions: unknown): { ttl: unknown; tags: readonly string[] } {
  // Anything but an object is a TTL, checked (and refused) as one.
  if (typeof ttlOrOptions !== 'object' || ttlOrOptions === null) {
    return { ttl: ttlOrOptions, tags: [] };
  }
  const problem = unknownKeyProblem(ttlOrOptions, SET_OPTION_KEYS, 'set options');
  if (problem !== undefined) throw new CacheArgumentError('E_INVALID_OPTION', problem);
  const options = ttlOrOptions as SetOptions;
  return { ttl: options.ttl, tags: assertTags(options.tags, 'tags') };
}
