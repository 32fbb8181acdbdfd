import { bootstrap, defineModule, type ModuleDefinition, type Provider, Scope } from 'glasswork';
import { describe, expect, it, vi } from 'vitest';
import { moduleError } from '../helpers/module-error.js';

class Config {
  readonly ttl = 60;
}

/** Bootstraps a module named `app` with `providers`. */
const bootstrapApp = (providers: Provider[]) => bootstrap(defineModule({ name: 'app', providers }));

/** A class provider: it receives the dependency object and takes what it needs. */
class Greeter {
  readonly config: Config;
  constructor({ config }: { config: Config }) {
    this.config = config;
  }
}

describe('provider kinds', () => {
  it('builds classes, values and factories with their dependencies', async () => {
    const config = new Config();
    const factory = vi.fn(({ config }: { config: Config }) => ({ ttlMs: config.ttl * 1000 }));
    const { container } = await bootstrapApp([
      Greeter,
      { provide: 'config', useValue: config },
      { provide: 'timing', useFactory: factory, inject: ['config'] },
      { provide: 'greeter2', useClass: Greeter, scope: Scope.TRANSIENT },
    ]);
    expect(container.resolve('config')).toBe(config);
    expect(container.resolve(Greeter)).toBeInstanceOf(Greeter);
    expect(container.resolve(Greeter).config).toBe(config);
    expect(container.resolve('timing')).toEqual({ ttlMs: 60_000 });
    expect(factory).toHaveBeenCalledTimes(1);
    expect(container.resolve<Greeter>('greeter2').config).toBe(config);
  });

  it('awaits async factories during bootstrap and hands the result to dependants', async () => {
    const { container } = await bootstrapApp([
      {
        provide: 'config',
        useFactory: async () => {
          await new Promise((resolve) => setTimeout(resolve, 5));
          return new Config();
        },
      },
      Greeter,
      {
        provide: 'ttl',
        useFactory: ({ config }: { config: Config }) => config.ttl,
        inject: ['config'],
      },
    ]);
    expect(container.resolve('config')).toBeInstanceOf(Config);
    expect(container.resolve(Greeter).config).toBe(container.resolve('config'));
    expect(container.resolve('ttl')).toBe(60);
  });

  it('creates injected providers first, across modules, whatever the declaration order', async () => {
    const order: string[] = [];
    const track = (name: string) => () => order.push(name);
    const Data = defineModule({
      name: 'data',
      providers: [{ provide: 'db', useFactory: track('db') }],
      exports: ['db'],
    });
    await bootstrap(
      defineModule({
        name: 'app',
        imports: [Data],
        providers: [
          { provide: 'service', useFactory: track('service'), inject: ['repo'] },
          { provide: 'repo', useFactory: track('repo'), inject: ['db'] },
        ],
      }),
    );
    expect(order).toEqual(['db', 'repo', 'service']);
  });

  it('wraps a failing factory in E_PROVIDER_FAILED with the path and the cause', async () => {
    const cause = new Error('connection refused');
    const error = await moduleError(() =>
      bootstrapApp([
        { provide: 'service', useFactory: () => 1, inject: ['db'] },
        {
          provide: 'db',
          useFactory: () => {
            throw cause;
          },
        },
      ]),
    );
    expect(error).toMatchObject({
      code: 'E_PROVIDER_FAILED',
      module: 'app',
      provider: 'db',
      message: 'provider "db" of module "app" failed (service -> db): connection refused',
      cause,
    });
  });
});

describe('scopes', () => {
  const ScopedApp = defineModule({
    name: 'app',
    providers: [
      Config,
      { provide: 'request', useFactory: () => ({ id: Math.random() }), scope: Scope.SCOPED },
      {
        provide: 'handler',
        useFactory: ({ request }: { request: object }) => ({ request }),
        inject: ['request'],
        scope: Scope.TRANSIENT,
      },
    ],
  });

  it('shares a singleton everywhere', async () => {
    const { container } = await bootstrap(ScopedApp);
    const config = container.resolve(Config);
    expect(container.resolve(Config)).toBe(config);
    expect(container.cradle.config).toBe(config);
    expect(container.createScope().resolve(Config)).toBe(config);
  });

  it('keeps one scoped instance per scope', async () => {
    const { container } = await bootstrap(ScopedApp);
    const first = container.createScope();
    const second = container.createScope();
    expect(first.resolve('request')).toBe(first.resolve('request'));
    expect(first.cradle.request).toBe(first.resolve('request'));
    expect(second.resolve('request')).not.toBe(first.resolve('request'));
  });

  it('builds a transient instance on every resolution, with its scope dependencies', async () => {
    const { container } = await bootstrap(ScopedApp);
    const scope = container.createScope();
    const one = scope.resolve<{ request: object }>('handler');
    const two = scope.resolve<{ request: object }>('handler');
    expect(one).not.toBe(two);
    expect(one.request).toBe(two.request);
    expect(one.request).toBe(scope.resolve('request'));
  });

  it('refuses scoped providers outside a scope', async () => {
    const { container } = await bootstrap(ScopedApp);
    const error = await moduleError(() => container.resolve('request'));
    expect(error).toMatchObject({
      code: 'E_SCOPE',
      provider: 'request',
      message:
        'provider "request" of module "app" is SCOPED and was resolved outside a scope; resolve it from container.createScope()',
    });
    expect((await moduleError(() => container.resolve('handler'))).message).toBe(
      'provider "request" of module "app" is SCOPED and was resolved outside a scope (needed by "handler"); resolve it from container.createScope()',
    );
  });

  it('refuses a singleton that depends on a scoped provider', async () => {
    const error = await moduleError(() =>
      bootstrapApp([
        { provide: 'request', useFactory: () => ({}), scope: Scope.SCOPED },
        { provide: 'cache', useFactory: () => ({}), inject: ['request'] },
      ]),
    );
    expect(error).toMatchObject({ code: 'E_SCOPE', provider: 'request' });
    expect(error.message).toContain('(needed by "cache")');
  });

  it('only lets singletons be async', async () => {
    const { container } = await bootstrapApp([
      { provide: 'token', useFactory: async () => 'abc', scope: Scope.TRANSIENT },
    ]);
    const error = await moduleError(() => container.resolve('token'));
    expect(error).toMatchObject({
      code: 'E_ASYNC_PROVIDER',
      message:
        'provider "token" of module "app" is TRANSIENT and returned a promise; only SINGLETON providers may be async',
    });
  });

  it('awaits async singletons reached through transient providers first', async () => {
    const { container } = await bootstrapApp([
      { provide: 'service', useFactory: ({ helper }) => ({ helper }), inject: ['helper'] },
      {
        provide: 'helper',
        useFactory: ({ db }) => ({ db }),
        inject: ['db'],
        scope: Scope.TRANSIENT,
      },
      { provide: 'db', useFactory: async () => ({ connected: true }) },
    ]);
    expect(container.resolve('service')).toEqual({ helper: { db: { connected: true } } });
  });

  it('asks for inject when an async singleton is used before it was awaited', async () => {
    const error = await moduleError(() =>
      bootstrapApp([Greeter, { provide: 'config', useFactory: async () => new Config() }]),
    );
    expect(error).toMatchObject({ code: 'E_ASYNC_PROVIDER', provider: 'config' });
    expect(error.message).toBe(
      'provider "config" of module "app" is async and was used before bootstrap awaited it; add it to the inject list of the provider that uses it',
    );
  });
});

describe('visibility', () => {
  const Data = defineModule({
    name: 'data',
    providers: [
      { provide: 'connection', useValue: { url: 'memory://' } },
      {
        provide: 'db',
        useFactory: ({ connection }: { connection: { url: string } }) => ({ via: connection }),
        inject: ['connection'],
      },
    ],
    exports: ['db'],
  });

  it('sees its own providers and what its imports export', async () => {
    const { container } = await bootstrap(
      defineModule({
        name: 'app',
        imports: [Data],
        providers: [
          { provide: 'repo', useFactory: ({ db }: { db: unknown }) => db, inject: ['db'] },
        ],
      }),
    );
    expect(container.resolve('repo')).toEqual({ via: { url: 'memory://' } });
    expect(container.resolve('db')).toBe(container.resolve('repo'));
  });

  it('refuses a provider its module does not export', async () => {
    const App = defineModule({
      name: 'app',
      imports: [Data],
      providers: [{ provide: 'repo', useFactory: () => 1, inject: ['connection'] }],
    });
    const error = await moduleError(() => bootstrap(App));
    expect(error).toMatchObject({
      code: 'E_PROVIDER_NOT_VISIBLE',
      module: 'app',
      provider: 'connection',
      message:
        'provider "connection" of module "data" is not visible to module "app" (needed by "repo"): module "data" does not export it',
    });
  });

  it('refuses a provider of a module that is not imported', async () => {
    const Api = defineModule({ name: 'api', imports: [Data], exports: [] });
    const App = defineModule({ name: 'app', imports: [Api] });
    const { container } = await bootstrap(App);
    const error = await moduleError(() => container.resolve('db'));
    expect(error).toMatchObject({
      code: 'E_PROVIDER_NOT_VISIBLE',
      message:
        'provider "db" of module "data" is not visible to module "app": module "app" does not import module "data"',
    });
  });

  it('refuses names nobody registers', async () => {
    const { container } = await bootstrapApp([Config]);
    const error = await moduleError(() => container.resolve('cacheStore'));
    expect(error).toMatchObject({
      code: 'E_PROVIDER_NOT_FOUND',
      provider: 'cacheStore',
    });
    expect((error as Error).message).toMatch(
      /^no provider named "cacheStore" is registered \(resolving from module "app"\)\. /,
    );
    // Greeter takes `config` from its dependency object, so the error names it as the one in need.
    const failed = await moduleError(() => bootstrapApp([Greeter]));
    expect(failed.message).toMatch(
      /^no provider named "config" is registered \(resolving from module "app", needed by "greeter"\)\. /,
    );
  });

  it('points at minification when a class token was registered under a mangled name', async () => {
    // What a minifier makes of `class CacheService {}`: the class is named `e`, so it
    // registers as "e", and injecting the string 'cacheService' finds nothing.
    const Mangled = class e {};
    const app = defineModule({
      name: 'app',
      providers: [
        Mangled,
        {
          provide: 'handler',
          useFactory: ({ cacheService }) => cacheService,
          inject: ['cacheService'],
        },
      ],
    });
    const error = await moduleError(() => bootstrap(app));
    expect(error).toMatchObject({ code: 'E_PROVIDER_NOT_FOUND', provider: 'cacheService' });
    expect(error.message).toBe(
      `no provider named "cacheService" is registered (resolving from module "app", needed by "handler"). In minified code, class tokens register under their mangled class names: use the string token 'cacheService' in provide and inject, or keep class names (esbuild keepNames, terser keep_classnames)`,
    );
  });

  it('refuses two modules with one name, and two visible providers with one name', async () => {
    const copy = defineModule({ name: 'data' });
    const twoNames = defineModule({ name: 'app', imports: [Data, copy] });
    expect(await moduleError(() => bootstrap(twoNames))).toMatchObject({
      code: 'E_INVALID_MODULE',
      message: 'two different modules are named "data"',
    });
    const clash = defineModule({
      name: 'app',
      imports: [Data],
      providers: [{ provide: 'db', useValue: 1 }],
    });
    expect((await moduleError(() => bootstrap(clash))).message).toBe(
      'module "app" sees two providers named "db": from module "app" and module "data"',
    );
  });

  it('shares one instance between modules that import the same module', async () => {
    const Left = defineModule({
      name: 'left',
      imports: [Data],
      providers: [{ provide: 'left', useFactory: ({ db }: { db: unknown }) => db, inject: ['db'] }],
      exports: ['left'],
    });
    const Right = defineModule({
      name: 'right',
      imports: [Data],
      providers: [
        { provide: 'right', useFactory: ({ db }: { db: unknown }) => db, inject: ['db'] },
      ],
      exports: ['right'],
    });
    const { container } = await bootstrap(defineModule({ name: 'app', imports: [Left, Right] }));
    expect(container.resolve('left')).toBe(container.resolve('right'));
  });
});

describe('circular dependencies', () => {
  it('fails with the path through inject lists', async () => {
    const error = await moduleError(() =>
      bootstrapApp([
        { provide: 'a', useFactory: () => 1, inject: ['b'] },
        { provide: 'b', useFactory: () => 2, inject: ['c'] },
        { provide: 'c', useFactory: () => 3, inject: ['a'] },
      ]),
    );
    expect(error).toMatchObject({
      code: 'E_CIRCULAR_DEPENDENCY',
      provider: 'a',
      message: 'provider "a" of module "app" depends on itself: a -> b -> c -> a',
    });
  });

  it('fails with the path through constructors that take their dependencies', async () => {
    class Left {
      constructor({ right }: { right: unknown }) {
        void right;
      }
    }
    class Right {
      constructor({ left }: { left: unknown }) {
        void left;
      }
    }
    const error = await moduleError(() => bootstrapApp([Left, Right]));
    expect(error.message).toBe(
      'provider "left" of module "app" depends on itself: left -> right -> left',
    );
  });

  it('fails for transient providers too, instead of recursing forever', async () => {
    const { container } = await bootstrapApp([
      { provide: 'self', useFactory: () => 1, inject: ['self'], scope: Scope.TRANSIENT },
    ]);
    expect((await moduleError(() => container.resolve('self'))).message).toBe(
      'provider "self" of module "app" depends on itself: self -> self',
    );
  });
});

describe('container', () => {
  it('exposes what the root module sees through the cradle', async () => {
    const { container } = await bootstrapApp([
      Config,
      Greeter,
      { provide: 'request', useFactory: () => ({}), scope: Scope.SCOPED },
    ]);
    const { config, greeter } = container.cradle;
    expect(config).toBeInstanceOf(Config);
    expect(greeter).toBeInstanceOf(Greeter);
    expect('config' in container.cradle).toBe(true);
    expect('cacheStore' in container.cradle).toBe(false);
    // Listing names resolves nothing, so scoped providers do not fail outside a scope.
    expect(Object.keys(container.cradle)).toEqual(['config', 'greeter', 'request']);
    expect({ ...container.createScope().cradle }).toEqual({
      config: expect.any(Config),
      greeter: expect.any(Greeter),
      request: {},
    });
    // Never taken for a promise, so it can be returned from async code.
    expect(await Promise.resolve(container.cradle)).toBe(container.cradle);
  });

  it('refuses tokens that are neither names nor classes', async () => {
    const { container } = await bootstrap(defineModule({ name: 'app' }));
    expect(await moduleError(() => container.resolve(42 as unknown as string))).toMatchObject({
      code: 'E_INVALID_PROVIDER',
      message: 'resolve() takes a provider name or a named class, got 42',
    });
  });

  it('refuses a root that is not a module', async () => {
    const error = await moduleError(() => bootstrap({ name: 'app' } as ModuleDefinition));
    expect(error).toMatchObject({
      code: 'E_INVALID_MODULE',
      message: 'bootstrap needs a module from defineModule(), got an object',
    });
  });
});
