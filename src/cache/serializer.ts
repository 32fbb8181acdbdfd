import { CacheSerializationError, quoteKey } from '../errors.js';
import { errorClass } from '../shared/logger.js';

/**
 * Turns values into string payloads and back. The default is {@link jsonSerializer};
 * pass your own (superjson, devalue…) for richer types.
 */
export interface Serializer {
  /** Returns the payload for `value`; throws when the value cannot be represented faithfully. */
  serialize(value: unknown): string;
  /** Returns the value held by `payload`; throws when the payload is malformed. */
  deserialize(payload: string): unknown;
}

function kindOf(value: unknown): string | undefined {
  switch (typeof value) {
    case 'bigint':
      return 'a BigInt';
    case 'function':
      return 'a function';
    case 'symbol':
      return 'a symbol';
    case 'number':
      return Number.isFinite(value) ? undefined : `the number ${value}`;
    case 'object':
      if (value instanceof Map) return 'a Map';
      if (value instanceof Set) return 'a Set';
      return undefined;
    default:
      return undefined;
  }
}

function strictReplacer(key: string, value: unknown): unknown {
  const kind = kindOf(value);
  if (kind !== undefined) {
    throw new CacheSerializationError(
      'E_SERIALIZE',
      `JSON cannot hold ${kind}${key === '' ? '' : ` (at property ${quoteKey(key)})`}; use a custom serializer`,
    );
  }
  return value;
}

/**
 * The default serializer: JSON, strict. Values JSON would silently change — BigInt,
 * functions, symbols, `NaN`/`Infinity`, `Map`, `Set`, circular structures — are refused
 * instead of cached corrupted. Dates become ISO strings and `-0` becomes `0`, as in JSON.
 */
export const jsonSerializer: Serializer = {
  serialize(value) {
    return JSON.stringify(value, strictReplacer);
  },
  deserialize(payload) {
    return JSON.parse(payload);
  },
};

/**
 * Runs `serializer.serialize`, turning any failure into `E_SERIALIZE`.
 * @throws CacheSerializationError `E_SERIALIZE` naming `key`.
 */
export function serializeValue(serializer: Serializer, value: unknown, key: string): string {
  let payload: unknown;
  try {
    payload = serializer.serialize(value);
  } catch (error) {
    // The built-in serializer's errors describe types and property names, never values;
    // another serializer's message may quote the value (Node's TypeError echoes its
    // argument), so only its class and code are shown.
    const reason =
      serializer === jsonSerializer &&
      (error instanceof TypeError || error instanceof CacheSerializationError)
        ? error.message
        : errorClass(error);
    throw new CacheSerializationError(
      'E_SERIALIZE',
      `value for key ${quoteKey(key)} cannot be serialized: ${reason}`,
      { key, cause: error },
    );
  }
  if (typeof payload !== 'string') {
    throw new CacheSerializationError(
      'E_SERIALIZE',
      `value for key ${quoteKey(key)} cannot be serialized: the serializer returned ${typeof payload}, expected a string`,
      { key },
    );
  }
  return payload;
}
