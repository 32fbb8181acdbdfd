import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createCacheTable } from 'glasswork';
import { freePort } from '../../test/helpers/redis-server.js';

// Fake credentials and region for every client of this process; no metadata lookups.
Object.assign(process.env, {
  AWS_ACCESS_KEY_ID: 'local',
  AWS_SECRET_ACCESS_KEY: 'local',
  AWS_REGION: 'eu-central-1',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
});

const CLI = fileURLToPath(new URL('../../node_modules/dynalite/cli.js', import.meta.url));

/**
 * dynalite (in memory) in a child process on a free loopback port, so the server's CPU time
 * is not spent on the event loop being measured.
 */
export class DynaliteProcess {
  readonly endpoint: string;
  /** A client for setting up tables and raw requests; destroyed by `stop()`. */
  readonly client: DynamoDBClient;
  readonly #child: ChildProcess;
  #tables = 0;

  private constructor(endpoint: string, child: ChildProcess) {
    this.endpoint = endpoint;
    this.#child = child;
    this.client = new DynamoDBClient({ endpoint, region: 'eu-central-1' });
  }

  static async start(): Promise<DynaliteProcess> {
    const port = await freePort();
    const args = [CLI, '--host', '127.0.0.1', '--port', String(port), '--createTableMs', '0'];
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('dynalite did not start in 10 s')), 10_000);
        child.once('exit', (code) => reject(new Error(`dynalite exited with ${code}`)));
        child.stdout?.once('data', () => {
          clearTimeout(timer);
          resolve();
        });
      });
    } catch (error) {
      child.kill('SIGKILL');
      throw error;
    }
    return new DynaliteProcess(`http://127.0.0.1:${port}`, child);
  }

  /** Creates glasswork's table layout (`pk`, `expiresAt`) under a fresh name. */
  async glassworkTable(): Promise<string> {
    const tableName = `bench-${++this.#tables}`;
    await createCacheTable({ client: this.client, tableName });
    return tableName;
  }

  /** Creates the table bentocache's DynamoDB driver expects: partition key `key` (S). */
  async bentocacheTable(): Promise<string> {
    const { CreateTableCommand } = await import('@aws-sdk/client-dynamodb');
    const tableName = `bento-${++this.#tables}`;
    await this.client.send(
      new CreateTableCommand({
        TableName: tableName,
        KeySchema: [{ AttributeName: 'key', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'key', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
      }),
    );
    return tableName;
  }

  async stop(): Promise<void> {
    this.client.destroy();
    if (this.#child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.#child.once('exit', resolve));
    this.#child.kill();
    await exited;
  }
}
