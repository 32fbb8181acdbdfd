#!/usr/bin/env bash
# Packs the package, installs the tarball into a scratch project with no optional peers,
# loads it through ESM import and CJS require, and type-checks consumers against its
# declarations with skipLibCheck off: without any client, with ioredis 5 and 6 and with
# node-redis 4 and 5 (from the npm registry), and with TypeScript's node10 resolution for
# glasswork/testing.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT
tarball=$(npm pack --silent --pack-destination "$scratch" | tail -n 1)
cd "$scratch"
npm init -y >/dev/null
npm install --no-audit --no-fund --silent "./$tarball"
cat > esm.mjs <<'JS'
import { CacheService, MemoryCacheStore } from 'glasswork';
const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 60 });
await cache.set('k', { via: 'esm' });
const value = await cache.get('k');
if (value?.via !== 'esm') throw new Error(`ESM set/get returned ${JSON.stringify(value)}`);
console.log('esm ok');
JS
cat > cjs.cjs <<'JS'
const { CacheService, MemoryCacheStore } = require('glasswork');
const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 60 });
(async () => {
  await cache.set('k', { via: 'cjs' });
  const value = await cache.get('k');
  if (value?.via !== 'cjs') throw new Error(`CJS set/get returned ${JSON.stringify(value)}`);
  console.log('cjs ok');
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
JS
if [[ -d node_modules/ioredis || -d node_modules/redis || -d node_modules/@aws-sdk ]]; then
  echo "an optional peer was installed with the package" >&2
  exit 1
fi
node esm.mjs
node cjs.cjs
# Type-check consumers of both declaration files (CJS: consumer.cts, ESM: consumer.mts)
# with skipLibCheck off, as a strict project without the optional peers would.
consumer="import { CacheService, DynamoDBCacheStore, createCacheKey } from 'glasswork';
const cache = new CacheService(new DynamoDBCacheStore({ tableName: 'cache' }), { defaultTTL: 60 });
const userKey = createCacheKey<{ id: string }>('user', (id: string) => \`user:\${id}\`);
export const name = async (): Promise<string | undefined> => (await cache.get(userKey('1')))?.id;"
printf '%s\n' "$consumer" > consumer.cts
printf '%s\n' "$consumer" > consumer.mts
cat > tsconfig.json <<JSON
{
  "compilerOptions": {
    "strict": true, "noEmit": true, "skipLibCheck": false,
    "module": "nodenext", "moduleResolution": "nodenext", "target": "es2022",
    "typeRoots": ["$repo/node_modules/@types"], "types": ["node"]
  },
  "files": ["consumer.cts", "consumer.mts"]
}
JSON
tsc="$repo/node_modules/.bin/tsc"
"$tsc" -p tsconfig.json
echo "types: no client, skipLibCheck off: ok"

# The docs ship in the package, so the README's relative links resolve inside it.
for doc in README.md LICENSE docs/getting-started.md docs/lambda-bundling.md docs/stores/redis.md; do
  [[ -f "node_modules/glasswork/$doc" ]] || { echo "the package lacks $doc" >&2; exit 1; }
done

# node10 resolution (no exports map): glasswork/testing must still have types.
cat > node10.ts <<'TS'
import { CacheService, MemoryCacheStore } from 'glasswork';
import { runStoreConformance } from 'glasswork/testing';
export const check: typeof runStoreConformance = runStoreConformance;
export const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 1 });
TS
cat > tsconfig.node10.json <<JSON
{
  "compilerOptions": {
    "strict": true, "noEmit": true, "skipLibCheck": false,
    "module": "commonjs", "moduleResolution": "node10", "target": "es2022",
    "typeRoots": ["$repo/node_modules/@types"], "types": ["node"]
  },
  "files": ["node10.ts"]
}
JSON
"$tsc" -p tsconfig.node10.json
echo "types: glasswork/testing under moduleResolution node10: ok"

# An injected ioredis client and ioredis-style options type-check under ioredis 5 and 6.
redis_consumer="import { Redis } from 'ioredis';
import { CacheService, RedisCacheStore } from 'glasswork';
const client = new Redis({ lazyConnect: true });
const store = new RedisCacheStore({ client });
new RedisCacheStore({ url: 'rediss://cache:6379', tls: {}, db: 1, connectionName: 'app' });
new RedisCacheStore({ cluster: ['redis://10.0.0.1:6379', { host: '10.0.0.2', port: 6379 }] });
export const cache = new CacheService(store, { defaultTTL: 60 });"
printf '%s\n' "$redis_consumer" > redis-consumer.cts
printf '%s\n' "$redis_consumer" > redis-consumer.mts
sed 's/"consumer.cts", "consumer.mts"/"consumer.cts", "consumer.mts", "redis-consumer.cts", "redis-consumer.mts"/' tsconfig.json > tsconfig.redis.json
for major in 5 6; do
  npm install --no-audit --no-fund --silent --no-save "ioredis@$major"
  if [[ $major == 6 ]]; then
    # ioredis 6.0's own declarations import redis-errors, which ships no types: a strict
    # consumer with skipLibCheck off needs this line whether or not it uses glasswork.
    printf "declare module 'redis-errors';\n" > redis-errors.d.ts
    sed -i 's/"redis-consumer.mts"/"redis-consumer.mts", "redis-errors.d.ts"/' tsconfig.redis.json
  fi
  installed=$(node -p "require('ioredis/package.json').version")
  [[ "$installed" == "$major".* ]] || { echo "expected ioredis $major, got $installed" >&2; exit 1; }
  "$tsc" -p tsconfig.redis.json
  echo "types: with ioredis $installed, skipLibCheck off: ok"
done
# An injected node-redis client or Cluster and the node-redis form type-check under redis 4 and 5.
node_redis_consumer="import { createClient, createCluster } from 'redis';
import { CacheService, RedisCacheStore } from 'glasswork';
const store = new RedisCacheStore({ client: createClient({ url: 'redis://cache:6379' }) });
new RedisCacheStore({ client: createCluster({ rootNodes: [{ url: 'redis://10.0.0.1:6379' }] }) });
new RedisCacheStore({ url: 'rediss://cache:6379', driver: 'node-redis' });
new RedisCacheStore({ cluster: ['redis://10.0.0.1:6379'], driver: 'node-redis' });
export const cache = new CacheService(store, { defaultTTL: 60 });"
printf '%s\n' "$node_redis_consumer" > node-redis-consumer.cts
printf '%s\n' "$node_redis_consumer" > node-redis-consumer.mts
sed 's/"consumer.cts", "consumer.mts"/"consumer.cts", "consumer.mts", "node-redis-consumer.cts", "node-redis-consumer.mts"/' tsconfig.json > tsconfig.node-redis.json
for major in 4 5; do
  npm install --no-audit --no-fund --silent --no-save "redis@$major"
  installed=$(node -p "require('redis/package.json').version")
  [[ "$installed" == "$major".* ]] || { echo "expected redis $major, got $installed" >&2; exit 1; }
  "$tsc" -p tsconfig.node-redis.json
  echo "types: with node-redis $installed, skipLibCheck off: ok"
done
echo "packed package: $tarball loads by import and require and type-checks (skipLibCheck off) without optional peers, with ioredis 5 and 6, with node-redis 4 and 5, and under node10 resolution"
