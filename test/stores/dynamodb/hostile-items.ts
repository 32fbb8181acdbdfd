import { constants, createBrotliCompress } from 'node:zlib';
import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';

const MIB = 1024 * 1024;

/**
 * A compressed payload as the store frames it (format marker 0x01, then brotli) that
 * inflates to `inflatedMiB` MiB of zeros: a few hundred bytes, built in well under a second
 * per 256 MiB.
 */
export async function brotliBomb(inflatedMiB: number): Promise<Uint8Array> {
  const encoder = createBrotliCompress({
    params: {
      [constants.BROTLI_PARAM_QUALITY]: 5,
      [constants.BROTLI_PARAM_LGWIN]: 24,
    },
  });
  const chunks: Buffer[] = [Buffer.of(0x01)];
  encoder.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise((resolve, reject) => {
    encoder.once('end', resolve);
    encoder.once('error', reject);
  });
  const block = Buffer.alloc(MIB);
  for (let written = 0; written < inflatedMiB; written++) {
    if (!encoder.write(block)) await new Promise((resolve) => encoder.once('drain', resolve));
  }
  encoder.end();
  await ended;
  return new Uint8Array(Buffer.concat(chunks));
}

/** Writes an unexpired item holding `value` under `key`, as another writer would. */
export async function writeForeignItem(
  client: DynamoDBClient,
  tableName: string,
  key: string,
  value: { S: string } | { B: Uint8Array },
): Promise<void> {
  const expiresAtMs = Date.now() + 60_000;
  await client.send(
    new PutItemCommand({
      TableName: tableName,
      Item: {
        pk: { S: key },
        expiresAt: { N: String(Math.ceil(expiresAtMs / 1000)) },
        expiresAtMs: { N: String(expiresAtMs) },
        value,
      },
    }),
  );
}
