// One simulated Lambda cold start: the module's init phase (optionally store.connect()),
// then the first invocation's get. Prints {initMs, firstGetMs}. Imports the built package.
// Usage: node cold-start-child.mjs <dynamodb|redis> <none|connect|check> <endpoint-or-url> [table]
const [store, warmUp, target, tableName] = process.argv.slice(2);
const started = performance.now();
const glasswork = await import('../../dist/index.js');
const instance =
  store === 'redis'
    ? new glasswork.RedisCacheStore({ url: target })
    : new glasswork.DynamoDBCacheStore({ tableName, endpoint: target });
if (warmUp === 'connect') await instance.connect();
if (warmUp === 'check') await instance.connect({ checkTable: true });
const initMs = performance.now() - started;
const cache = new glasswork.CacheService(instance, { defaultTTL: 60 });
const before = performance.now();
await cache.get('cold-start:absent');
const firstGetMs = performance.now() - before;
await instance.close();
console.log(JSON.stringify({ initMs, firstGetMs }));
