import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { CacheStoreError, quoteKey } from '../../errors.js';

/**
 * Payload compression: brotli at quality 5, because gzip cannot make a typical multi-MB
 * JSON value fit DynamoDB's 400 KB item. Its 32 KB window never reaches the records and
 * field names a listing repeats across the value; brotli's 4 MB window does. On 3 MB of
 * order-listing JSON (`npm run bench -- --only dynamodb-storage`): brotli-5 10.4× (281 KB) in 32–40 ms,
 * gzip-6 5.7× (516 KB, too large) in 35–60 ms, gzip-9 5.9× (501 KB, too large); both
 * decompress in 5–10 ms. On 10–100 KB values brotli-5 is about 11% smaller than gzip-6 at
 * similar speed. Quality 4 is about twice as fast but 8% larger; 6 buys 1–2% for more time;
 * 11 takes over a second per MB.
 *
 * Compressed payloads are stored as type B behind a one-byte format marker, so the format
 * can change later without misreading older items.
 */
const BROTLI_MARKER = 0x01;
const BROTLI_QUALITY = 5;
/**
 * Inputs up to this size are compressed on the calling thread: well under a millisecond,
 * less than a trip through libuv's thread pool. Larger ones go to the pool, off the event loop.
 * Decompression always runs on the pool: a few hundred stored bytes can inflate to gigabytes.
 */
const SYNC_MAX_BYTES = 32 * 1024;
/** Output chunk of asynchronous decompression: fewer trips to the pool than zlib's 16 KiB. */
const INFLATE_CHUNK_BYTES = 64 * 1024;

type Zlib = typeof import('node:zlib');
let zlib: Promise<Zlib> | undefined;

/** node:zlib, loaded on first use: importing the package stays fast (cold starts). */
function loadZlib(): Promise<Zlib> {
  zlib ??= import('node:zlib');
  return zlib;
}

/** Runs a zlib callback API as a promise. */
function pooled(
  run: (done: (error: Error | null, result: Buffer) => void) => void,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    run((error, result) => (error ? reject(error) : resolve(result))),
  );
}

async function compress(input: Buffer): Promise<Buffer> {
  const { brotliCompress, brotliCompressSync, constants } = await loadZlib();
  const options = {
    params: {
      [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
      [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
      [constants.BROTLI_PARAM_SIZE_HINT]: input.byteLength,
    },
  };
  return input.byteLength <= SYNC_MAX_BYTES
    ? brotliCompressSync(input, options)
    : pooled((done) => brotliCompress(input, options, done));
}

/**
 * Inflates `input` on libuv's thread pool, never on the calling thread, and stops with
 * `ERR_BUFFER_TOO_LARGE` as soon as the output passes `maxOutputBytes`.
 */
async function decompress(input: Buffer, maxOutputBytes: number): Promise<Buffer> {
  const { brotliDecompress } = await loadZlib();
  const options = { maxOutputLength: maxOutputBytes, chunkSize: INFLATE_CHUNK_BYTES };
  return pooled((done) => brotliDecompress(input, options, done));
}

function isOverLimit(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ERR_BUFFER_TOO_LARGE';
}

/** A payload as the attribute to store, and that attribute's size in bytes. */
export interface EncodedPayload {
  value: AttributeValue;
  bytes: number;
  compressed: boolean;
}

/**
 * Encodes `payload` as type S, or as compressed type B when it is longer than
 * `compressAboveBytes` UTF-8 bytes and compression makes it smaller.
 */
export async function encodePayload(
  payload: string,
  compressAboveBytes: number,
): Promise<EncodedPayload> {
  const bytes = Buffer.byteLength(payload);
  if (bytes <= compressAboveBytes) return { value: { S: payload }, bytes, compressed: false };
  const packed = await compress(Buffer.from(payload));
  if (packed.byteLength + 1 >= bytes) return { value: { S: payload }, bytes, compressed: false };
  const framed = Buffer.allocUnsafe(packed.byteLength + 1);
  framed[0] = BROTLI_MARKER;
  packed.copy(framed, 1);
  return { value: { B: framed }, bytes: framed.byteLength, compressed: true };
}

/**
 * Decodes a stored payload attribute, inflating at most `maxValueBytes` bytes.
 * @throws CacheStoreError `E_DESERIALIZE` for an attribute this store did not write,
 *   `E_PAYLOAD_TOO_LARGE` for a compressed payload that inflates past `maxValueBytes`
 */
export async function decodePayload(
  value: AttributeValue | undefined,
  key: string,
  maxValueBytes: number,
): Promise<string> {
  if (value?.S !== undefined) return value.S;
  const framed = value?.B;
  if (framed === undefined || framed[0] !== BROTLI_MARKER) {
    throw new CacheStoreError(
      'E_DESERIALIZE',
      `item ${quoteKey(key)} has no payload this store can read (expected type S, or type B with format marker ${BROTLI_MARKER})`,
      { key, store: 'dynamodb' },
    );
  }
  const packed = Buffer.from(framed.buffer, framed.byteOffset + 1, framed.byteLength - 1);
  try {
    return (await decompress(packed, maxValueBytes)).toString('utf8');
  } catch (cause) {
    if (isOverLimit(cause)) {
      throw new CacheStoreError(
        'E_PAYLOAD_TOO_LARGE',
        `item ${quoteKey(key)} inflates past maxValueBytes (${maxValueBytes} bytes) from ${packed.byteLength} compressed bytes; read as a miss`,
        { key, store: 'dynamodb', cause },
      );
    }
    throw new CacheStoreError(
      'E_DESERIALIZE',
      `item ${quoteKey(key)} holds a corrupt compressed payload`,
      { key, store: 'dynamodb', cause },
    );
  }
}
