/** Describes a value for an error message without revealing cached contents. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null)
    return String(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (typeof value === 'function') return 'a function';
  if (typeof value === 'symbol') return 'a symbol';
  return Array.isArray(value) ? 'an array' : 'an object';
}

/** The longest key shown in a message; longer keys are cut, with their length noted. */
const MAX_SHOWN_KEY = 200;

/**
 * Quotes a key for a message or log line: JSON-escaped (control characters cannot forge
 * log lines) and cut to 200 characters.
 */
export function quoteKey(key: string): string {
  if (key.length <= MAX_SHOWN_KEY) return JSON.stringify(key);
  return `${JSON.stringify(key.slice(0, MAX_SHOWN_KEY))}…(${key.length} characters)`;
}
