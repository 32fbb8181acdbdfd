#!/usr/bin/env bash
# Packs the package, installs the tarball into a scratch project with no optional peers,
# and loads it through ESM import and CJS require.
set -euo pipefail
cd "$(dirname "$0")/.."
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
node esm.mjs
node cjs.cjs
test ! -d node_modules/ioredis && test ! -d node_modules/@aws-sdk
echo "packed package: $tarball loads by import and require, without optional peers"
