/**
 * Payloads travel as UTF-8, except strings UTF-8 cannot hold (lone surrogates, which a
 * custom serializer may produce): those are stored as a 0xFF byte, which never occurs in
 * UTF-8, followed by the UTF-16LE code units. The empty payload is the 0xFF byte alone, so
 * no stored value is empty (reads use GETRANGE, which answers "" for a missing key). Every
 * JavaScript string round-trips exactly.
 */
const UTF16_MARKER = 0xff;

/** Whether `text` encodes to UTF-8 and back unchanged (no lone surrogates). */
export function isWellFormed(text: string): boolean {
  return (text as string & { isWellFormed(): boolean }).isWellFormed();
}

/** The value to send for `payload`. */
export function encodePayload(payload: string): string | Buffer {
  if (payload !== '' && isWellFormed(payload)) return payload;
  const encoded = Buffer.allocUnsafe(1 + payload.length * 2);
  encoded[0] = UTF16_MARKER;
  encoded.write(payload, 1, 'utf16le');
  return encoded;
}

/**
 * The payload held by a stored value; `undefined` for a missing key (or an empty value). A
 * string is a value read as text that holds no marker (see `isPlainText`).
 */
export function decodePayload(stored: Buffer | string | null): string | undefined {
  if (stored === null || stored.length === 0) return undefined;
  if (typeof stored === 'string') return stored;
  return stored[0] === UTF16_MARKER ? stored.toString('utf16le', 1) : stored.toString('utf8');
}
