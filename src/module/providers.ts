import { describeValue } from '../shared/describe.js';
import { acceptedKeys, type KeyList, unknownKeyProblem } from '../shared/options.js';
import { ModuleError } from './errors.js';
import { isScope, Scope } from './scope.js';
import { isConstructor, type ProviderToken, tokenName } from './tokens.js';

/**
 * What a factory receives: one property per name in its `inject` list. The values are
 * typed `never`, which fits any parameter, so they pass straight into constructors; to
 * use one directly, annotate the parameter: `({ store }: { store: CacheStore }) => …`.
 * Destructuring a name missing from `inject` does not compile.
 */
export type Dependencies<Names extends string> = { readonly [Name in Names]: never };

type InjectedNames<Inject> = Inject extends readonly (infer Name extends string)[] ? Name : never;

/** What a factory receives; in a `Provider[]`, whose names are unknown, any parameter fits. */
type FactoryDependencies<Inject> =
  string extends InjectedNames<Inject> ? never : Dependencies<InjectedNames<Inject>>;

/** A class a container can build: its constructor takes the dependency object, if anything. */
export type ProviderClass = new (deps: never) => unknown;

/** A provider built by `new useClass(deps)`, `deps` being the module's dependency object. */
export interface ClassProvider<Inject = readonly string[]> {
  provide: ProviderToken;
  useClass: ProviderClass;
  /** Providers to create (and await) first; the class may use any provider its module sees. */
  inject?: Inject & readonly string[];
  /** @default Scope.SINGLETON */
  scope?: Scope;
  useFactory?: never;
  useValue?: never;
}

/**
 * A provider built by `useFactory(deps)`. A factory of a `SINGLETON` may be async:
 * `bootstrap` awaits it.
 */
export interface FactoryProvider<Inject = readonly string[]> {
  provide: ProviderToken;
  useFactory: (deps: FactoryDependencies<Inject>) => unknown;
  /** The names the factory destructures; they are created (and awaited) first. */
  inject?: Inject & readonly string[];
  /** @default Scope.SINGLETON */
  scope?: Scope;
  useClass?: never;
  useValue?: never;
}

/** A provider that is a ready value. The container does not run its lifecycle hooks. */
export interface ValueProvider {
  provide: ProviderToken;
  useValue: unknown;
  useClass?: never;
  useFactory?: never;
  inject?: never;
  scope?: never;
}

/**
 * One entry of a module's `providers`: a class (a singleton under its camelCase name,
 * built with the dependency object), or a class, factory or value provider.
 */
export type Provider<Inject = readonly string[]> =
  | ProviderClass
  | ClassProvider<Inject>
  | FactoryProvider<Inject>
  | ValueProvider;

/** A provider as `defineModule` checked and recorded it. */
export interface RegisteredProvider {
  /** The name it registers under. */
  readonly name: string;
  /** The name of the module that declares it. */
  readonly module: string;
  /** How it is built: `new`, a factory call, or not at all. */
  readonly kind: 'class' | 'factory' | 'value';
  /** How long its instances live. */
  readonly scope: Scope;
  /** Names created before it. */
  readonly inject: readonly string[];
  /** Builds one instance from the dependency object; the container calls it. */
  readonly create: (deps: object) => unknown;
}

/** Every key of a provider object; the types make the list complete. */
const KEYS = acceptedKeys({
  provide: true,
  useClass: true,
  useFactory: true,
  useValue: true,
  inject: true,
  scope: true,
} satisfies KeyList<ClassProvider & FactoryProvider & ValueProvider>);
const USES = ['useClass', 'useFactory', 'useValue'] as const;

/**
 * Checks one entry of a module's `providers` and records it.
 * @throws ModuleError `E_INVALID_PROVIDER` naming the module and the provider.
 */
export function registerProvider(
  provider: unknown,
  index: number,
  module: string,
): RegisteredProvider {
  const invalid = (problem: string, name?: string) =>
    new ModuleError(
      'E_INVALID_PROVIDER',
      `${name === undefined ? `providers[${index}]` : `provider "${name}"`} of module "${module}" ${problem}`,
      { module, provider: name },
    );
  if (typeof provider === 'function') {
    const name = tokenName(provider);
    if (name === undefined || !isConstructor(provider)) {
      throw invalid('is a function but not a named class');
    }
    const create = (deps: object) => new provider(deps);
    return { name, module, kind: 'class', scope: Scope.SINGLETON, inject: [], create };
  }
  if (typeof provider !== 'object' || provider === null) {
    throw invalid(`must be a class or a provider object, got ${describeValue(provider)}`);
  }
  const spec = provider as Record<string, unknown>;
  const name = tokenName(spec.provide);
  if (name === undefined) {
    throw invalid(
      `needs provide: a non-empty name or a named class, got ${describeValue(spec.provide)}`,
    );
  }
  const fail = (problem: string) => invalid(problem, name);
  const unknownKey = unknownKeyProblem(spec, KEYS, `provider "${name}" of module "${module}"`);
  if (unknownKey !== undefined) {
    throw new ModuleError('E_INVALID_PROVIDER', unknownKey, { module, provider: name });
  }
  const uses = USES.filter((key) => key in spec);
  if (uses.length !== 1) {
    throw fail(
      `needs exactly one of useClass, useFactory or useValue, got ${uses.join(' and ') || 'none'}`,
    );
  }
  if (uses[0] === 'useValue') {
    if ('inject' in spec || 'scope' in spec) throw fail('is a value: it takes no inject or scope');
    const value = spec.useValue;
    return { name, module, kind: 'value', scope: Scope.SINGLETON, inject: [], create: () => value };
  }
  const scope = spec.scope ?? Scope.SINGLETON;
  if (!isScope(scope)) {
    throw fail(`has scope ${describeValue(scope)}; expected SINGLETON, SCOPED or TRANSIENT`);
  }
  const inject = spec.inject ?? [];
  if (!Array.isArray(inject) || !inject.every((dep) => typeof dep === 'string' && dep !== '')) {
    throw fail(`needs inject to be an array of provider names, got ${describeValue(inject)}`);
  }
  const use = spec[uses[0]!];
  if (uses[0] === 'useClass') {
    if (!isConstructor(use)) throw fail(`needs useClass to be a class, got ${describeValue(use)}`);
    return { name, module, kind: 'class', scope, inject, create: (deps) => new use(deps) };
  }
  if (typeof use !== 'function') {
    throw fail(`needs useFactory to be a function, got ${describeValue(use)}`);
  }
  return { name, module, kind: 'factory', scope, inject, create: (deps) => use(deps) };
}
