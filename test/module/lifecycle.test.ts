import {
  bootstrap,
  defineModule,
  MemoryCacheStore,
  type OnModuleDestroy,
  type OnModuleInit,
  Scope,
} from 'glasswork';
import { describe, expect, it } from 'vitest';
import { moduleError } from '../helpers/module-error.js';
import { recordingLogger } from '../helpers/recording-logger.js';

/** Builds providers whose hooks write to `events`; `fail` lists hooks that throw. */
function hooked(events: string[], fail: string[] = []) {
  return (name: string): OnModuleInit & OnModuleDestroy => ({
    async onModuleInit() {
      await Promise.resolve();
      if (fail.includes(`init ${name}`)) throw new Error(`${name} cannot start`);
      events.push(`init ${name}`);
    },
    async onModuleDestroy() {
      await Promise.resolve();
      if (fail.includes(`destroy ${name}`)) throw new Error(`${name} cannot stop`);
      events.push(`destroy ${name}`);
    },
  });
}

/** An application of two modules: `data` (db) imported by `app` (repo, service). */
function application(events: string[], fail: string[] = []) {
  const instance = hooked(events, fail);
  const Data = defineModule({
    name: 'data',
    providers: [{ provide: 'db', useFactory: () => instance('db') }],
    exports: ['db'],
  });
  return defineModule({
    name: 'app',
    imports: [Data],
    providers: [
      { provide: 'service', useFactory: () => instance('service'), inject: ['repo'] },
      { provide: 'repo', useFactory: () => instance('repo'), inject: ['db'] },
    ],
  });
}

describe('lifecycle', () => {
  it('starts in creation order and stops in reverse', async () => {
    const events: string[] = [];
    const app = await bootstrap(application(events));
    expect(events).toEqual([]);
    await app.start();
    expect(events).toEqual(['init db', 'init repo', 'init service']);
    events.length = 0;
    await app.stop();
    expect(events).toEqual(['destroy service', 'destroy repo', 'destroy db']);
  });

  it('logs a failing onModuleDestroy and still destroys the others', async () => {
    const events: string[] = [];
    const logger = recordingLogger();
    const app = await bootstrap(application(events, ['destroy repo']), { logger });
    await expect(app.stop()).resolves.toBeUndefined();
    expect(events).toEqual(['destroy service', 'destroy db']);
    expect(logger.lines).toEqual([
      {
        level: 'error',
        message: 'onModuleDestroy() of provider "repo" of module "app" failed: repo cannot stop',
        context: { module: 'app', provider: 'repo' },
      },
    ]);
  });

  it('stops once, however often stop() is called', async () => {
    const events: string[] = [];
    const app = await bootstrap(application(events));
    const first = app.stop();
    expect(app.stop()).toBe(first);
    await Promise.all([first, app.stop()]);
    expect(events).toEqual(['destroy service', 'destroy repo', 'destroy db']);
  });

  it('starts once, and rejects naming the provider whose onModuleInit failed', async () => {
    const events: string[] = [];
    const app = await bootstrap(application(events, ['init repo']));
    const error = await moduleError(() => app.start());
    expect(error).toMatchObject({
      code: 'E_PROVIDER_FAILED',
      module: 'app',
      provider: 'repo',
      message: 'onModuleInit() of provider "repo" of module "app" failed: repo cannot start',
    });
    expect(app.start()).toBe(app.start());
    expect(events).toEqual(['init db']);
  });

  it('runs hooks on instances it created, each once; not on values or non-singletons', async () => {
    const events: string[] = [];
    const instance = hooked(events);
    const shared = instance('shared');
    const app = await bootstrap(
      defineModule({
        name: 'app',
        providers: [
          { provide: 'value', useValue: instance('value') },
          { provide: 'shared', useFactory: () => shared },
          { provide: 'alias', useFactory: () => shared },
          { provide: 'perCall', useFactory: () => instance('perCall'), scope: Scope.TRANSIENT },
        ],
      }),
    );
    app.container.resolve('perCall');
    await app.start();
    await app.stop();
    expect(events).toEqual(['init shared', 'destroy shared']);
  });

  it('destroys what it created when bootstrap fails, then rethrows', async () => {
    const events: string[] = [];
    const instance = hooked(events);
    const failing = defineModule({
      name: 'app',
      providers: [
        { provide: 'db', useFactory: () => instance('db') },
        { provide: 'cache', useFactory: () => instance('cache') },
        {
          provide: 'broken',
          useFactory: () => {
            throw new Error('no config');
          },
        },
      ],
    });
    const error = await moduleError(() => bootstrap(failing));
    expect(error).toMatchObject({ code: 'E_PROVIDER_FAILED', provider: 'broken' });
    expect(events).toEqual(['destroy cache', 'destroy db']);
  });

  it('closes a MemoryCacheStore on stop', async () => {
    const store = new MemoryCacheStore();
    await store.set('k', 'v', 60_000);
    const app = await bootstrap(
      defineModule({ name: 'app', providers: [{ provide: 'store', useFactory: () => store }] }),
    );
    await app.stop();
    expect(store.size).toBe(0);
    expect(await store.get('k')).toBeUndefined();
  });
});

describe('CacheService in a module', () => {
  it('drains background refreshes on stop(), before its store is closed', async () => {
    const { bootstrap, CacheService, defineModule, MemoryCacheStore, silentLogger } = await import(
      'glasswork'
    );
    const order: string[] = [];
    class TracingStore extends MemoryCacheStore {
      override async close() {
        order.push('store closed');
        await super.close();
      }
    }
    const app = await bootstrap(
      defineModule({
        name: 'app',
        providers: [
          { provide: 'cacheStore', useFactory: () => new TracingStore() },
          {
            provide: CacheService,
            useFactory: ({ cacheStore }) =>
              new CacheService(cacheStore, { defaultTTL: 60, logger: silentLogger }),
            inject: ['cacheStore'],
          },
        ],
        exports: [CacheService],
      }),
    );
    const cache = app.container.resolve(CacheService);
    await cache.wrapSWR('k', 0.01, 60, async () => 1);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await cache.wrapSWR('k', 0.01, 60, async () => {
      await new Promise((resolve) => setTimeout(resolve, 50));
      order.push('refresh done');
      return 2;
    });
    await app.stop();
    expect(order).toEqual(['refresh done', 'store closed']);
  });
});
