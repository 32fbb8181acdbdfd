#!/usr/bin/env bash
# Packs the package, installs the tarball into a scratch project with no optional peers,
# loads it through ESM import and CJS require, and type-checks a consumer against its
# declarations with skipLibCheck off.
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
if [[ -d node_modules/ioredis || -d node_modules/@aws-sdk ]]; then
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
"$repo/node_modules/.bin/tsc" -p tsconfig.json
echo "packed package: $tarball loads by import and require and type-checks (skipLibCheck off), without optional peers"
