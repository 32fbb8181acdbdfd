/**
 * Option checks shared by the cache, the stores and the module system: the longest
 * duration a timer can hold, and the refusal of unknown option keys. Throws nothing itself:
 * each caller turns a problem into its own coded error.
 */
import { describeValue } from './describe.js';
import { MAX_TIMER_MS } from './timers.js';

/**
 * The longest duration accepted for any timer-backed option, in milliseconds (2^31 − 1,
 * ~24.8 days). Node fires a timer set for longer after ~1 ms instead.
 */
export const MAX_DURATION_MS = MAX_TIMER_MS;

/** The duration limit as error messages state it. */
export const MAX_DURATION_TEXT = `${MAX_DURATION_MS} ms (~24.8 days)`;

/**
 * What is wrong with a duration option, or `undefined` when `value` is a whole number of
 * milliseconds from `minMs` to {@link MAX_DURATION_MS}.
 * @example durationProblem(2 ** 31, 'lockWaitMs') // 'lockWaitMs must be … at most 2147483647 ms (~24.8 days), got 2147483648'
 */
export function durationProblem(
  value: unknown,
  name: string,
  minMs: 0 | 1 = 0,
): string | undefined {
  if (
    typeof value === 'number' &&
    Number.isInteger(value) &&
    value >= minMs &&
    value <= MAX_DURATION_MS
  ) {
    return undefined;
  }
  const kind = minMs === 0 ? 'a non-negative' : 'a positive';
  return `${name} must be ${kind} whole number of milliseconds, at most ${MAX_DURATION_TEXT}, got ${describeValue(value)}`;
}

/**
 * Every key of the options type `T`: `true` when accepted, `false` when the type lists it
 * only to refuse it (a `never` key). Written as `{ … } satisfies KeyList<T>`, an object
 * literal must name every key of `T` and no other, so adding an option without listing it
 * does not compile.
 */
export type KeyList<T> = Record<keyof T, boolean>;

/** The accepted keys of a {@link KeyList}, in order. */
export function acceptedKeys(keys: Record<string, boolean>): string[] {
  return Object.keys(keys).filter((key) => keys[key]);
}

/**
 * Finds the first own key of `options` that is not in `known` and describes it: the key,
 * where it was given, and the closest known key when one is near (another case, or a typo:
 * see {@link closestKey}); otherwise the known keys, when they are few, and `hint`.
 * `undefined` when every key is known.
 * @param where names the options in the message, e.g. `'RedisCacheStore options'`.
 * @param hint where the key may belong instead, said when no known key is near.
 * @example
 * unknownKeyProblem({ lockWaitMS: 10 }, ['lock', 'lockWaitMs'], 'wrap options')
 * // 'unknown key "lockWaitMS" in wrap options; did you mean "lockWaitMs"?'
 */
export function unknownKeyProblem(
  options: object,
  known: readonly string[],
  where: string,
  hint?: string,
): string | undefined {
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const problem = `unknown key ${describeValue(key)} in ${where}`;
    const suggestion = closestKey(key, known);
    if (suggestion !== undefined) return `${problem}; did you mean "${suggestion}"?`;
    const expected = known.length <= 16 ? `; expected ${known.join(', ')}` : '';
    return `${problem}${expected}${hint === undefined ? '' : ` (${hint})`}`;
  }
  return undefined;
}

/**
 * The known key `key` most likely misspells: the same letters in another case, or the
 * nearest within an edit distance of 1 (both keys up to 4 characters), 2 (up to 8) or 3.
 */
export function closestKey(key: string, known: readonly string[]): string | undefined {
  const lower = key.toLowerCase();
  const sameLetters = known.find((candidate) => candidate.toLowerCase() === lower);
  if (sameLetters !== undefined) return sameLetters;
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const longest = Math.max(key.length, candidate.length);
    const limit = Math.min(longest <= 4 ? 1 : longest <= 8 ? 2 : 3, bestDistance - 1);
    // The difference in length alone bounds the distance from below.
    if (Math.abs(candidate.length - key.length) > limit) continue;
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance <= limit) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/**
 * Optimal-string-alignment distance: insertions, deletions, substitutions and swaps of
 * adjacent letters each cost 1.
 */
function editDistance(a: string, b: string): number {
  let twoAgo: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let distance = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        distance = Math.min(distance, twoAgo[j - 2]! + 1);
      }
      current.push(distance);
    }
    twoAgo = previous;
    previous = current;
  }
  return previous[b.length]!;
}
