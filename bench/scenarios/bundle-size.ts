/**
 * Bundle size of two tiny Lambda handlers per library, bundled with esbuild (minified, ESM,
 * platform node, `@aws-sdk/*` external as the Lambda runtime provides it): memory-only and
 * DynamoDB. glasswork is bundled from the built `dist/`.
 */
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { ensureBuilt } from '../harness/build.js';
import { ROOT } from '../harness/context.js';
import type { ChartBar, Check } from '../harness/result.js';
import { verdict } from '../harness/result.js';
import type { Scenario } from '../harness/scenario.js';
import { fmt, kib } from '../harness/stats.js';

const KEY = "const key = 'user:' + event.id;";
const LOAD = 'async () => ({ id: event.id })';

/** Handler sources by store and library; `undefined` where the library has no such store. */
const HANDLERS: Record<'memory' | 'DynamoDB', Record<string, string | undefined>> = {
  memory: {
    glasswork: `import { CacheService, MemoryCacheStore } from 'glasswork';
const cache = new CacheService(new MemoryCacheStore(), { defaultTTL: 60 });
export const handler = async (event) => { ${KEY} return cache.wrap(key, ${LOAD}); };`,
    bentocache: `import { BentoCache, bentostore } from 'bentocache';
import { memoryDriver } from 'bentocache/drivers/memory';
const bento = new BentoCache({ default: 'cache', stores: { cache: bentostore().useL1Layer(memoryDriver({ maxItems: 10000 })) } });
export const handler = async (event) => { ${KEY} return bento.getOrSet({ key, factory: ${LOAD}, ttl: '1m' }); };`,
    'cache-manager': `import { createCache } from 'cache-manager';
const cache = createCache();
export const handler = async (event) => { ${KEY} return cache.wrap(key, ${LOAD}, 60000); };`,
  },
  DynamoDB: {
    glasswork: `import { CacheService, DynamoDBCacheStore } from 'glasswork';
const cache = new CacheService(new DynamoDBCacheStore({ tableName: process.env.CACHE_TABLE }), { defaultTTL: 60 });
export const handler = async (event) => { ${KEY} return cache.wrap(key, ${LOAD}); };`,
    bentocache: `import { BentoCache, bentostore } from 'bentocache';
import { dynamoDbDriver } from 'bentocache/drivers/dynamodb';
const driver = dynamoDbDriver({ table: { name: process.env.CACHE_TABLE }, region: process.env.AWS_REGION });
const bento = new BentoCache({ default: 'cache', stores: { cache: bentostore().useL2Layer(driver) } });
export const handler = async (event) => { ${KEY} return bento.getOrSet({ key, factory: ${LOAD}, ttl: '1m' }); };`,
    'cache-manager': undefined,
  },
};

/**
 * Bundles `source` as a Lambda handler. With `fromSource`, glasswork comes from `src/` so the
 * metafile can say how many output bytes each of its modules contributes.
 */
async function bundle(
  source: string,
  fromSource = false,
): Promise<{ min: number; gzip: number; modules: Array<[string, number]>; strings: number }> {
  const result = await build({
    stdin: { contents: source, resolveDir: ROOT, loader: 'js', sourcefile: 'handler.mjs' },
    bundle: true,
    minify: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['@aws-sdk/*'],
    alias: { glasswork: join(ROOT, fromSource ? 'src/index.ts' : 'dist/index.js') },
    tsconfigRaw: '{}',
    write: false,
    metafile: fromSource,
    outdir: 'out',
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  const inputs = Object.values(result.metafile?.outputs ?? {})[0]?.inputs ?? {};
  const modules = Object.entries(inputs)
    .map(([path, input]): [string, number] => [path, input.bytesInOutput])
    .filter(([path, bytes]) => path.startsWith('src/') && bytes > 0)
    .sort((a, b) => b[1] - a[1]);
  return {
    min: code.length,
    gzip: gzipSync(code, { level: 9 }).length,
    modules,
    strings: stringBytes(new TextDecoder().decode(code)),
  };
}

/** Share of the minified output held by string literals (log and error messages, mostly). */
function stringBytes(code: string): number {
  return (code.match(/`(?:[^`\\]|\\.)*`|"(?:[^"\\]|\\.)*"/g) ?? []).reduce(
    (sum, literal) => sum + literal.length,
    0,
  );
}

const TARGET = { min: 12 * 1024, gzip: 4 * 1024 };

export const bundleSize: Scenario = {
  id: 'bundle-size',
  title: 'Bundle size of a Lambda handler (esbuild, minified)',
  async run(ctx) {
    ensureBuilt((message) => ctx.log(message));
    const rows: string[][] = [];
    const checks: Check[] = [];
    const bars: ChartBar[] = [];
    for (const [store, handlers] of Object.entries(HANDLERS)) {
      const base = await bundle(handlers.glasswork!);
      for (const [library, source] of Object.entries(handlers)) {
        if (source === undefined) {
          rows.push([store, library, 'n/a (no DynamoDB store)', '', '', '', '', '']);
          continue;
        }
        const size = library === 'glasswork' ? base : await bundle(source);
        const targeted = library === 'glasswork' && store === 'memory';
        const pass = size.min <= TARGET.min && size.gzip <= TARGET.gzip;
        if (targeted) {
          checks.push(
            {
              name: 'Memory-only handler, glasswork: minified',
              measured: kib(size.min),
              target: `≤ ${kib(TARGET.min, 0)}`,
              pass: size.min <= TARGET.min,
            },
            {
              name: 'Memory-only handler, glasswork: gzip',
              measured: kib(size.gzip),
              target: `≤ ${kib(TARGET.gzip, 0)}`,
              pass: size.gzip <= TARGET.gzip,
            },
          );
        }
        rows.push([
          store,
          library,
          `${kib(size.min)} (${fmt(size.min)} B)`,
          `${kib(size.gzip)} (${fmt(size.gzip)} B)`,
          `${(size.min / base.min).toFixed(1)}×`,
          `${(size.gzip / base.gzip).toFixed(1)}×`,
          targeted ? `≤ ${kib(TARGET.min, 0)} min, ≤ ${kib(TARGET.gzip, 0)} gzip` : '',
          targeted ? verdict(pass) : '',
        ]);
        bars.push({
          label: `${store}: ${library}`,
          value: size.gzip / 1024,
          text: kib(size.gzip),
          highlight: library === 'glasswork',
        });
      }
    }
    const parts = await bundle(HANDLERS.memory.glasswork!, true);
    const moduleRows = parts.modules.map(([path, bytes]) => [
      `\`${path}\``,
      fmt(bytes),
      `${((bytes / parts.min) * 100).toFixed(1)}%`,
    ]);
    return {
      method: [
        'Each handler creates the cache at module scope and answers with one cache-aside call (glasswork `wrap`, bentocache `getOrSet`, cache-manager `wrap`); the sources are in `bench/scenarios/bundle-size.ts`. esbuild bundles each with `bundle`, `minify`, `platform: node`, `format: esm`, `target: node20` and `@aws-sdk/*` external (the Lambda Node.js runtime provides the SDK). glasswork is bundled from `dist/` (built first when older than `src/`). gzip is level 9. KB = 1024 bytes.',
        'Memory-only: glasswork `MemoryCacheStore`, bentocache `memoryDriver` as L1, cache-manager `createCache()` (Keyv in memory). DynamoDB: glasswork `DynamoDBCacheStore`, bentocache `dynamoDbDriver` as L2 only.',
        `What the memory-only glasswork bundle holds: the same handler bundled from \`src/\` (${fmt(parts.min)} B minified), with esbuild's metafile giving each module's output bytes. \`CacheService\` is one class, so every method and what it uses (\`wrapSWR\`'s refresher and leases, the \`lock\` wait loop, stale-if-error, store timeouts, events) is bundled even when a handler calls only \`wrap\`. String literals (found by pattern in the minified output), mostly the error and log messages that name the argument, the key and the limit, are ${fmt(parts.strings)} B (${((parts.strings / parts.min) * 100).toFixed(0)}%).`,
      ].join('\n\n'),
      tables: [
        {
          columns: [
            'handler',
            'library',
            'minified',
            'gzip',
            'min ÷ glasswork',
            'gzip ÷ glasswork',
            'target',
            'result',
          ],
          rows,
        },
        {
          caption: 'Memory-only glasswork handler: output bytes by module (minified, from `src/`)',
          columns: ['module', 'bytes', 'share'],
          rows: moduleRows,
        },
      ],
      checks,
      panels: [
        {
          title: 'Lambda handler bundle, gzip KB (lower is better)',
          bars,
          target: { value: TARGET.gzip / 1024, label: 'target ≤ 4 KB (memory-only)' },
        },
      ],
    };
  },
};
