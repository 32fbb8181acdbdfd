import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createCacheTable } from 'glasswork';

// Fake credentials and region for every client in this process, no instance-metadata
// lookups (traffic stays on loopback), and no SDK notice about the Node.js version.
process.env.AWS_ACCESS_KEY_ID = 'local';
process.env.AWS_SECRET_ACCESS_KEY = 'local';
process.env.AWS_REGION = 'eu-central-1';
process.env.AWS_EC2_METADATA_DISABLED = 'true';
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** A dynalite server on a free loopback port, with a client for it. */
export interface LocalDynamoDB {
  /** `http://127.0.0.1:<port>`. */
  endpoint: string;
  /** A client for the server; destroyed by `stop()`. */
  client: DynamoDBClient;
  /** Creates a cache table (spec schema) with a unique name and returns the name. */
  createTable(prefix?: string): Promise<string>;
  /** Destroys the client and stops the server. */
  stop(): Promise<void>;
}

/**
 * Starts dynalite in memory, in this process, on a free loopback port. Tables are ACTIVE
 * at once unless `createTableMs` says otherwise.
 */
export async function startDynalite(
  options: { createTableMs?: number } = {},
): Promise<LocalDynamoDB> {
  const server = dynalite({
    createTableMs: options.createTableMs ?? 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new DynamoDBClient({ endpoint, region: 'eu-central-1', maxAttempts: 1 });
  return {
    endpoint,
    client,
    async createTable(prefix = 'cache') {
      const tableName = `${prefix}-${randomUUID()}`;
      await createCacheTable({ client, tableName });
      return tableName;
    },
    async stop() {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
