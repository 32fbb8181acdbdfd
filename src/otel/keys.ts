import { createHash } from 'node:crypto';

/**
 * How keys appear on spans: `none` (the default: keys often hold personal data), `hash` (the
 * first 16 hex digits of the key's SHA-256, enough to tell keys apart and correlate), or
 * `plain` (the full key). Metrics never carry keys.
 */
export type KeyAttributeMode = 'none' | 'hash' | 'plain';

/** The span attributes that name `key` under `mode`. */
export function keyAttributes(mode: KeyAttributeMode, key: string): Record<string, string> {
  if (mode === 'none' || key === '') return {};
  if (mode === 'plain') return { 'glasswork.key': key };
  return { 'glasswork.key_hash': createHash('sha256').update(key).digest('hex').slice(0, 16) };
}
