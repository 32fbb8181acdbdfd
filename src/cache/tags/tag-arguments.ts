import { CacheArgumentError, describeValue } from '../../errors.js';

/** The most tags one entry may carry. */
export const MAX_TAGS = 32;

/** The longest tag accepted, in characters. */
export const MAX_TAG_LENGTH = 256;

/** A lone (unpaired) UTF-16 surrogate: no store can hold it as text. */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Checks the `tags` of an entry or of `invalidateTags` and returns them without duplicates,
 * in their first order. `undefined` is no tags.
 * @throws CacheArgumentError `E_INVALID_TAG` naming `name`, the element and the limit
 */
export function assertTags(tags: unknown, name: string): readonly string[] {
  if (tags === undefined) return [];
  if (!Array.isArray(tags)) {
    throw new CacheArgumentError(
      'E_INVALID_TAG',
      `${name} must be an array of strings, got ${describeValue(tags)}`,
    );
  }
  if (tags.length > MAX_TAGS * 4) {
    throw new CacheArgumentError(
      'E_INVALID_TAG',
      `${name} holds ${tags.length} tags; at most ${MAX_TAGS} (distinct) are allowed`,
    );
  }
  // An index loop: forEach would skip the holes of a sparse array.
  for (let index = 0; index < tags.length; index++) {
    const tag: unknown = tags[index];
    if (
      typeof tag !== 'string' ||
      tag.length === 0 ||
      tag.length > MAX_TAG_LENGTH ||
      LONE_SURROGATE.test(tag)
    ) {
      throw new CacheArgumentError(
        'E_INVALID_TAG',
        `${name}[${index}] must be a non-empty string of at most ${MAX_TAG_LENGTH} characters (no lone surrogates), got ${describeValue(tag)}`,
      );
    }
  }
  const distinct = tags.length < 2 ? (tags as string[]) : [...new Set(tags as string[])];
  if (distinct.length > MAX_TAGS) {
    throw new CacheArgumentError(
      'E_INVALID_TAG',
      `${name} holds ${distinct.length} distinct tags; at most ${MAX_TAGS} are allowed`,
    );
  }
  return distinct;
}
