import {
  type Application,
  bootstrap,
  CacheService,
  type CacheStore,
  type Container,
  type Dependencies,
  defineModule,
  MemoryCacheStore,
  type ModuleDefinition,
  type Provider,
  Scope,
} from 'glasswork';
import { describe, expectTypeOf, it } from 'vitest';
import { AppModule } from '../fixtures/spec-app-module.js';

declare const container: Container;

describe('module types', () => {
  it('compiles the spec example and types resolution by class', async () => {
    expectTypeOf(AppModule).toEqualTypeOf<ModuleDefinition>();
    expectTypeOf(bootstrap(AppModule)).resolves.toEqualTypeOf<Application>();
    expectTypeOf(container.resolve(CacheService)).toEqualTypeOf<CacheService>();
    expectTypeOf(container.resolve(MemoryCacheStore)).toEqualTypeOf<MemoryCacheStore>();
    expectTypeOf(container.resolve('cacheStore')).toEqualTypeOf<unknown>();
    expectTypeOf(container.resolve<CacheStore>('cacheStore')).toEqualTypeOf<CacheStore>();
    expectTypeOf(container.cradle.cacheStore).toEqualTypeOf<unknown>();
    expectTypeOf(container.createScope()).toEqualTypeOf<Container>();
  });

  it('gives a factory exactly the names it injects', () => {
    defineModule({
      name: 'app',
      providers: [
        {
          provide: 'service',
          useFactory: (deps) => {
            expectTypeOf(deps).toEqualTypeOf<Dependencies<'cacheStore' | 'config'>>();
            expectTypeOf(deps.cacheStore).toBeNever();
            return deps;
          },
          inject: ['cacheStore', 'config'],
        },
        // Annotating the parameter types the dependencies.
        {
          provide: 'prefix',
          useFactory: ({ config }: { config: { prefix: string } }) => config.prefix,
          inject: ['config'],
        },
      ],
    });
    defineModule({
      name: 'app',
      providers: [
        // @ts-expect-error `store` is not in inject
        { provide: 'a', useFactory: ({ store }) => store, inject: ['cacheStore'] },
        // @ts-expect-error without inject the factory receives no names
        { provide: 'b', useFactory: ({ store }) => store },
      ],
    });
    defineModule({
      name: 'app',
      providers: [
        // @ts-expect-error an annotated name that is not injected
        { provide: 'c', useFactory: ({ a, b }: { a: 1; b: 2 }) => a + b, inject: ['a'] },
      ],
    });
  });

  it('accepts every provider kind', () => {
    class Greeter {
      constructor(readonly deps: { config: object }) {}
    }
    abstract class Clock {
      abstract now(): number;
    }
    defineModule({
      name: 'kinds',
      providers: [
        Greeter,
        { provide: 'greeter', useClass: Greeter, scope: Scope.TRANSIENT, inject: ['config'] },
        { provide: Clock, useValue: { now: () => 0 } },
        { provide: 'config', useFactory: async () => ({}), scope: 'SINGLETON' },
      ],
      imports: [AppModule],
      exports: [Greeter, Clock, 'config'],
    });
    // A provider list built apart from defineModule: annotate what a factory takes.
    const dynamic: Provider[] = [
      { provide: 'x', useValue: 1 },
      { provide: 'y', useFactory: ({ x }: { x: number }) => x + 1, inject: ['x'] },
    ];
    defineModule({ name: 'dynamic', providers: dynamic });
    defineModule({ name: 'constant', providers: [{ provide: 'x', useValue: 1 }] as const });
  });

  it('refuses malformed providers', () => {
    defineModule({
      name: 'm',
      providers: [
        // @ts-expect-error no useClass, useFactory or useValue
        { provide: 'x' },
      ],
    });
    defineModule({
      name: 'm',
      providers: [
        // @ts-expect-error two of useClass, useFactory and useValue
        { provide: 'x', useValue: 1, useFactory: () => 1 },
      ],
    });
    defineModule({
      name: 'm',
      providers: [
        // @ts-expect-error no provide token
        { useValue: 1 },
      ],
    });
    defineModule({
      name: 'm',
      providers: [
        // @ts-expect-error a token is a name or a class
        { provide: 42, useValue: 1 },
      ],
    });
    defineModule({
      name: 'm',
      providers: [
        // @ts-expect-error values take no scope
        { provide: 'x', useValue: 1, scope: 'SCOPED' },
      ],
    });
    defineModule({
      name: 'm',
      providers: [
        // @ts-expect-error an unknown scope
        { provide: 'x', useFactory: () => 1, scope: 'FOREVER' },
      ],
    });
    defineModule({
      name: 'm',
      providers: [
        // @ts-expect-error inject lists names
        { provide: 'x', useFactory: () => 1, inject: [1] },
      ],
    });
    class TwoArguments {
      constructor(
        readonly a: string,
        readonly b: string,
      ) {}
    }
    defineModule({
      name: 'm',
      providers: [
        // @ts-expect-error a class provider's constructor takes one dependency object
        { provide: 'x', useClass: TwoArguments },
      ],
    });
    defineModule({
      name: 'm',
      providers: [
        // @ts-expect-error a class provider's constructor takes one dependency object
        TwoArguments,
      ],
    });
    defineModule({
      name: 'm',
      providers: [
        // @ts-expect-error a provider is a class or a provider object
        'cacheService',
      ],
    });
    // @ts-expect-error imports are modules
    defineModule({ name: 'm', imports: ['db'] });
  });
});
