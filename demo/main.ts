/**
 * The glasswork demo: the spec's module registration, booted on an embedded
 * DynamoDB-compatible server by default, walked through a scripted scenario against a
 * deliberately slow upstream: miss, hit, stampede, stale-while-revalidate, invalidation by
 * pattern, and a store outage the cache fails open through.
 *
 *   npm start                      # DynamoDB API on embedded dynalite (or AWS: set CACHE_TABLE + credentials)
 *   npm start -- --store redis     # Redis at REDIS_URL (default redis://127.0.0.1:6379)
 *   npm start -- --store memory
 */
import { parseArgs } from 'node:util';
import { bootstrap, CacheService, silentLogger } from 'glasswork';
import { createAppModule } from './app-module.js';
import { openEnvironment, type StoreChoice } from './environment.js';
import { runScenario } from './scenario.js';
import { timelineLogger } from './timeline.js';

const CHOICES: StoreChoice[] = ['dynamodb', 'redis', 'memory'];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { store: { type: 'string', default: 'dynamodb' } } });
  const choice = values.store as StoreChoice;
  if (!CHOICES.includes(choice)) {
    console.error(`--store must be one of ${CHOICES.join(', ')}, got "${values.store}"`);
    process.exitCode = 2;
    return;
  }
  const environment = await openEnvironment(choice);
  const app = await bootstrap(
    createAppModule(() => environment.createStore(), timelineLogger),
    {
      logger: silentLogger,
    },
  );
  await app.start();
  try {
    console.log(`glasswork demo: ${environment.description}\n`);
    await runScenario(app.container.resolve(CacheService), environment);
  } finally {
    await app.stop();
    await environment.close();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
