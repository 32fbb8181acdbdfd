/**
 * Creates a cache table (spec schema: `pk` S hash key, TTL on `expiresAt`, on-demand) for
 * local development, e.g. on dynalite or LocalStack. Region, endpoint and credentials
 * follow the AWS SDK's chain unless given.
 *
 *   npx tsx scripts/create-cache-table.ts --table my-cache [--endpoint http://127.0.0.1:8000] [--region eu-central-1]
 */
import { parseArgs } from 'node:util';
import { createCacheTable } from 'glasswork';

const USAGE =
  'usage: npx tsx scripts/create-cache-table.ts --table <name> [--endpoint <url>] [--region <region>] [--key-attribute pk] [--ttl-attribute expiresAt]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      table: { type: 'string' },
      endpoint: { type: 'string' },
      region: { type: 'string' },
      'key-attribute': { type: 'string' },
      'ttl-attribute': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help || values.table === undefined) {
    console.log(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const result = await createCacheTable({
    tableName: values.table,
    endpoint: values.endpoint,
    region: values.region,
    keyAttribute: values['key-attribute'],
    ttlAttribute: values['ttl-attribute'],
  });
  const ttl = result.ttlEnabled
    ? 'TTL enabled'
    : 'TTL not supported by this endpoint (fine locally: reads check expiry themselves)';
  console.log(`table "${values.table}" ${result.created ? 'created' : 'already existed'}; ${ttl}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
