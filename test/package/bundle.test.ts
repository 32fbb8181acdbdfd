/**
 * Bundles small Lambda handlers from the built package (dist/) with esbuild, as users do
 * (ESM with the createRequire banner, CommonJS, ESM without the banner), and runs each with
 * node against real servers: Redis at REDIS_URL, and dynalite. See docs/lambda-bundling.md.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { type BuildOptions, build } from 'esbuild';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type LocalDynamoDB, startDynalite } from '../helpers/dynalite.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The banner docs/lambda-bundling.md gives for ESM bundles. */
const BANNER =
  "import { createRequire } from 'module'; const require = createRequire(import.meta.url);";
const RUN_TIMEOUT_MS = 20_000;

// Under the repository (.tmp/ is gitignored), so that externals resolve from node_modules.
const dir = join(root, '.tmp', `bundle-${randomUUID()}`);

/** A handler as users write it: a store at module scope, connect() in the init phase. */
const handlerSource = (storeSetup: string) => `
import { CacheService, DynamoDBCacheStore, RedisCacheStore } from 'glasswork';
${storeSetup}
const cache = new CacheService(store, { defaultTTL: 60 });

export async function handler(event) {
  await cache.set(event.key, { via: event.via });
  return cache.get(event.key);
}

// Stands in for the Lambda runtime: init, one invocation, then shutdown.
(async () => {
  try {
    await store.connect();
    const value = await handler({ key: process.env.CACHE_KEY, via: process.env.VIA });
    console.log(JSON.stringify({ value }));
  } catch (error) {
    console.log(JSON.stringify({ error: { name: error.name, code: error.code, message: error.message } }));
    process.exitCode = 1;
  } finally {
    await store.close();
  }
})();
`;

const REDIS_STORE = 'const store = new RedisCacheStore({ url: process.env.REDIS_URL });';
const NODE_REDIS_STORE =
  "const store = new RedisCacheStore({ url: process.env.REDIS_URL, driver: 'node-redis' });";
const DYNAMODB_STORE =
  'const store = new DynamoDBCacheStore({ tableName: process.env.CACHE_TABLE, endpoint: process.env.DYNAMODB_ENDPOINT, maxAttempts: 1 });';

async function bundle(name: string, source: string, options: BuildOptions): Promise<string> {
  const entry = join(dir, `${name}.src.mjs`);
  writeFileSync(entry, source);
  const outfile = join(dir, `${name}.${options.format === 'cjs' ? 'cjs' : 'mjs'}`);
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    logLevel: 'silent',
    // The package as built: the entry point its exports map gives each format.
    alias: { glasswork: join(root, 'dist', options.format === 'cjs' ? 'index.cjs' : 'index.js') },
    ...options,
  });
  return outfile;
}

interface Outcome {
  value?: unknown;
  error?: { name: string; code: string; message: string };
  exitCode: number;
}

function runBundle(file: string, env: Record<string, string>): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [file],
      { cwd: dir, timeout: RUN_TIMEOUT_MS, env: { ...process.env, ...env } },
      (error, stdout, stderr) => {
        const line = stdout.trim().split('\n').at(-1);
        if (!line?.startsWith('{')) {
          reject(new Error(`${file} printed no result: ${error?.message}\n${stderr}`));
          return;
        }
        resolve({ ...JSON.parse(line), exitCode: error ? Number(error.code ?? 1) : 0 });
      },
    );
  });
}

beforeAll(() => {
  if (!existsSync(join(root, 'dist', 'index.js'))) {
    throw new Error('dist/ is missing: run npm run build (npm test runs it first)');
  }
  mkdirSync(dir, { recursive: true });
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('a Redis handler bundled with esbuild', () => {
  let raw: Redis;
  beforeAll(() => {
    raw = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  });
  afterAll(async () => {
    await raw?.quit();
  });

  it.each([
    ['ESM with the createRequire banner', { format: 'esm', banner: { js: BANNER } }],
    ['CommonJS', { format: 'cjs' }],
    ['ESM with ioredis external', { format: 'esm', external: ['ioredis'] }],
    ['node-redis, ESM with the createRequire banner', { format: 'esm', banner: { js: BANNER } }],
    ['node-redis, CommonJS', { format: 'cjs' }],
  ] satisfies [string, BuildOptions][])(
    '%s reaches Redis',
    async (name, options) => {
      const file = await bundle(
        `redis-${options.format}-${name.length}`,
        handlerSource(name.startsWith('node-redis') ? NODE_REDIS_STORE : REDIS_STORE),
        options,
      );
      const key = `bundle:${randomUUID()}`;
      const outcome = await runBundle(file, { REDIS_URL, CACHE_KEY: key, VIA: name });
      expect(outcome).toEqual({ value: { via: name }, exitCode: 0 });
      // The value really is in Redis, not only in some fallback.
      expect(await raw.get(key)).toContain(JSON.stringify(name));
      await raw.unlink(key);
    },
    60_000,
  );

  it('ESM without the banner fails the init loudly, pointing at createRequire', async () => {
    const file = await bundle('redis-esm-no-banner', handlerSource(REDIS_STORE), { format: 'esm' });
    const outcome = await runBundle(file, { REDIS_URL, CACHE_KEY: 'bundle:never', VIA: 'none' });
    expect(outcome.exitCode).toBe(1);
    expect(outcome.error).toMatchObject({
      name: 'CacheDependencyError',
      code: 'E_MISSING_DEPENDENCY',
    });
    expect(outcome.error?.message).toContain('RedisCacheStore found ioredis but could not load it');
    expect(outcome.error?.message).toContain('Dynamic require of "events" is not supported');
    expect(outcome.error?.message).toContain('createRequire');
    expect(outcome.error?.message).toContain('docs/lambda-bundling.md');
    expect(outcome.error?.message).not.toContain('not installed');
  }, 60_000);
});

describe('a DynamoDB handler bundled with esbuild', () => {
  let local: LocalDynamoDB;
  let tableName: string;
  beforeAll(async () => {
    local = await startDynalite();
    tableName = await local.createTable('bundle');
  });
  afterAll(async () => {
    await local?.stop();
  });

  it.each([
    ['ESM with the createRequire banner', { format: 'esm', banner: { js: BANNER } }],
    ['CommonJS', { format: 'cjs' }],
    // What CDK does by default: the Lambda runtime provides the SDK.
    ['ESM with @aws-sdk/* external', { format: 'esm', external: ['@aws-sdk/*'] }],
  ] satisfies [string, BuildOptions][])(
    '%s reaches DynamoDB',
    async (name, options) => {
      const file = await bundle(
        `dynamodb-${options.format}-${name.length}`,
        handlerSource(DYNAMODB_STORE),
        options,
      );
      const key = `bundle:${randomUUID()}`;
      const outcome = await runBundle(file, {
        CACHE_TABLE: tableName,
        DYNAMODB_ENDPOINT: local.endpoint,
        CACHE_KEY: key,
        VIA: name,
      });
      expect(outcome).toEqual({ value: { via: name }, exitCode: 0 });
      const { Item } = await local.client.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: { S: key } } }),
      );
      expect(Item?.value?.S).toContain(JSON.stringify(name));
    },
    60_000,
  );
});
