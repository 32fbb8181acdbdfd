/**
 * Where a service keeps its tag versions and its clear() generation: `${keyPrefix}#glasswork:`,
 * outside `${keyPrefix}:`, so that no key the service writes and no pattern it deletes
 * reaches them. Without a prefix: `#glasswork:`.
 */
export function stateKeyBase(keyPrefix: string | undefined): string {
  return `${keyPrefix ?? ''}${STATE_MARK}`;
}

/** What no key and no key prefix may contain: so no key is ever a tag version's or a generation's. */
export const STATE_MARK = '#glasswork:';
