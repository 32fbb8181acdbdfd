import {
  defineModule,
  isCacheError,
  isGlassworkError,
  isModuleError,
  type ModuleDefinition,
  Scope,
} from 'glasswork';
import { describe, expect, it } from 'vitest';

class CacheService {}
class HTTPClient {}

/** Calls `define` and returns the ModuleError it throws. */
function failure(define: () => unknown) {
  try {
    define();
  } catch (error) {
    expect(isModuleError(error)).toBe(true);
    return error as { code: string; message: string; module?: string; provider?: string };
  }
  throw new Error('expected a ModuleError');
}

/** Defines a module from providers the types would refuse. */
const withProviders = (providers: unknown[]) =>
  defineModule({ name: 'app', providers: providers as never });

describe('defineModule', () => {
  it('records each provider kind under its name, with singleton as the default scope', () => {
    const module = defineModule({
      name: 'app',
      providers: [
        CacheService,
        { provide: HTTPClient, useClass: HTTPClient, scope: Scope.TRANSIENT },
        { provide: 'config', useValue: { ttl: 1 } },
        { provide: 'clock', useFactory: () => Date.now, scope: 'SCOPED', inject: ['config'] },
      ],
      exports: ['config', CacheService],
    });
    expect(
      module.providers.map(({ name, kind, scope, inject }) => ({ name, kind, scope, inject })),
    ).toEqual([
      { name: 'cacheService', kind: 'class', scope: 'SINGLETON', inject: [] },
      { name: 'httpClient', kind: 'class', scope: 'TRANSIENT', inject: [] },
      { name: 'config', kind: 'value', scope: 'SINGLETON', inject: [] },
      { name: 'clock', kind: 'factory', scope: 'SCOPED', inject: ['config'] },
    ]);
    expect(module.exports).toEqual(['config', 'cacheService']);
    expect(Object.isFrozen(module)).toBe(true);
  });

  it('accepts a module with nothing in it', () => {
    expect(defineModule({ name: 'empty' })).toMatchObject({
      name: 'empty',
      providers: [],
      imports: [],
      exports: [],
    });
  });

  it.each([
    ['', '""'],
    ['my app', '"my app"'],
    ['a/b', '"a/b"'],
    [42, '42'],
  ])('refuses the module name %j', (name, shown) => {
    const error = failure(() => defineModule({ name: name as string }));
    expect(error.code).toBe('E_INVALID_MODULE');
    expect(error.message).toBe(
      `a module name must be a non-empty string without "/" or spaces, got ${shown}`,
    );
  });

  it.each<[unknown[], string]>([
    [[42], 'providers[0] of module "app" must be a class or a provider object, got 42'],
    [[() => 1], 'providers[0] of module "app" is a function but not a named class'],
    [
      [{ useValue: 1 }],
      'providers[0] of module "app" needs provide: a non-empty name or a named class, got undefined',
    ],
    [
      [{ provide: '', useValue: 1 }],
      'providers[0] of module "app" needs provide: a non-empty name or a named class, got ""',
    ],
    [
      [{ provide: 'x' }],
      'provider "x" of module "app" needs exactly one of useClass, useFactory or useValue, got none',
    ],
    [
      [{ provide: 'x', useValue: 1, useFactory: () => 1 }],
      'provider "x" of module "app" needs exactly one of useClass, useFactory or useValue, got useFactory and useValue',
    ],
    [
      [{ provide: 'x', useFactroy: () => 1 }],
      'unknown key "useFactroy" in provider "x" of module "app"; did you mean "useFactory"?',
    ],
    [
      [{ provide: 'x', useFactory: () => 1, Scope: 'SCOPED' }],
      'unknown key "Scope" in provider "x" of module "app"; did you mean "scope"?',
    ],
    [
      [{ provide: 'x', useFactory: () => 1, deps: ['y'] }],
      'unknown key "deps" in provider "x" of module "app"; expected provide, useClass, useFactory, useValue, inject, scope',
    ],
    [
      [{ provide: 'x', useValue: 1, scope: 'SCOPED' }],
      'provider "x" of module "app" is a value: it takes no inject or scope',
    ],
    [
      [{ provide: 'x', useFactory: () => 1, scope: 'FOREVER' }],
      'provider "x" of module "app" has scope "FOREVER"; expected SINGLETON, SCOPED or TRANSIENT',
    ],
    [
      [{ provide: 'x', useFactory: () => 1, inject: 'y' }],
      'provider "x" of module "app" needs inject to be an array of provider names, got "y"',
    ],
    [
      [{ provide: 'x', useFactory: () => 1, inject: [''] }],
      'provider "x" of module "app" needs inject to be an array of provider names, got an array',
    ],
    [
      [{ provide: 'x', useFactory: 1 }],
      'provider "x" of module "app" needs useFactory to be a function, got 1',
    ],
    [
      [{ provide: 'x', useClass: () => ({}) }],
      'provider "x" of module "app" needs useClass to be a class, got a function',
    ],
    [
      [
        { provide: 'x', useValue: 1 },
        { provide: 'x', useValue: 2 },
      ],
      'provider "x" is registered twice in module "app"',
    ],
    [
      [CacheService, { provide: 'cacheService', useValue: 2 }],
      'provider "cacheService" is registered twice in module "app"',
    ],
  ])('refuses malformed providers (case %#)', (providers, message) => {
    const error = failure(() => withProviders(providers));
    expect(error).toMatchObject({ code: 'E_INVALID_PROVIDER', message, module: 'app' });
  });

  it('names the offending provider in the error', () => {
    const error = failure(() => withProviders([{ provide: 'clock', useFactory: 1 }]));
    expect(error.provider).toBe('clock');
    expect(isGlassworkError(error)).toBe(true);
    expect(isCacheError(error)).toBe(false);
  });

  it('refuses exports that are not its own providers', () => {
    const error = failure(() =>
      defineModule({ name: 'app', providers: [CacheService], exports: ['cacheStore'] }),
    );
    expect(error).toMatchObject({
      code: 'E_INVALID_MODULE',
      module: 'app',
      message: 'module "app" exports "cacheStore", which is not one of its providers',
    });
    expect(failure(() => defineModule({ name: 'app', exports: [HTTPClient] })).message).toBe(
      'module "app" exports "httpClient", which is not one of its providers',
    );
  });

  it('refuses imports that are not modules, hinting at circular file imports', () => {
    const error = failure(() =>
      defineModule({ name: 'app', imports: [undefined as unknown as ModuleDefinition] }),
    );
    expect(error).toMatchObject({
      code: 'E_INVALID_MODULE',
      message:
        'module "app" imports[0] must be a module from defineModule(), got undefined (a circular import between module files?)',
    });
    expect(
      failure(() => defineModule({ name: 'app', imports: 'db' as unknown as ModuleDefinition[] }))
        .message,
    ).toBe('module "app" imports must be an array, got "db"');
  });

  it.each([
    [{ export: ['x'] }, 'unknown key "export" in module "app"; did you mean "exports"?'],
    [{ Providers: [] }, 'unknown key "Providers" in module "app"; did you mean "providers"?'],
    [
      { global: true },
      'unknown key "global" in module "app"; expected name, providers, imports, exports',
    ],
  ])('refuses the unknown module option %j', (extra, message) => {
    const error = failure(() => defineModule({ name: 'app', ...extra } as never));
    expect(error).toMatchObject({ code: 'E_INVALID_MODULE', module: 'app', message });
  });

  it('registers classes under their camelCase names', () => {
    class URL {}
    class S3Store {}
    const names = defineModule({
      name: 'names',
      providers: [URL, S3Store, HTTPClient],
    }).providers.map((provider) => provider.name);
    expect(names).toEqual(['url', 's3Store', 'httpClient']);
  });
});
