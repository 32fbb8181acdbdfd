import { errorMessage } from '../shared/logger.js';
import { ModuleError } from './errors.js';
import type { ModuleGraph, ModuleNode } from './graph.js';
import type { RegisteredProvider } from './providers.js';
import { Scope } from './scope.js';

/** Instances of one scope, by provider. */
export type Instances = Map<RegisteredProvider, unknown>;

/** A singleton the container created, in creation order. */
export interface Created {
  readonly provider: RegisteredProvider;
  readonly instance: unknown;
}

/**
 * Creates provider instances: singletons once, scoped ones once per scope, transient ones
 * on every resolution. Tracks what is under construction to report circular dependencies.
 */
export class Resolver {
  readonly #graph: ModuleGraph;
  readonly #singletons: Instances = new Map();
  readonly #created: Created[] = [];
  /** The providers under construction, outermost first. */
  readonly #stack: RegisteredProvider[] = [];

  constructor(graph: ModuleGraph) {
    this.#graph = graph;
  }

  /** The singletons created so far, in creation order. */
  get created(): readonly Created[] {
    return this.#created;
  }

  /** Creates every singleton, imported modules first, awaiting async factories. */
  async createSingletons(): Promise<void> {
    for (const node of this.#graph.modules) {
      for (const provider of node.definition.providers) {
        if (provider.scope === Scope.SINGLETON) await this.#createSingleton(provider);
      }
    }
  }

  /**
   * The instance of what `from` sees under `name`, within `scope` when there is one;
   * `requester` is the provider asking, if any.
   */
  resolve(
    name: string,
    from: ModuleNode,
    scope: Instances | undefined,
    requester?: RegisteredProvider,
  ): unknown {
    const provider = this.#graph.lookup(from, name, requester);
    if (provider.scope === Scope.SINGLETON) {
      if (this.#singletons.has(provider)) return this.#singletons.get(provider);
      return this.#remember(provider, this.#construct(provider, undefined));
    }
    if (provider.scope === Scope.TRANSIENT) return this.#construct(provider, scope);
    if (scope === undefined) {
      const by = requester ?? this.#stack.at(-1);
      throw this.#error(
        'E_SCOPE',
        provider,
        `is SCOPED and was resolved outside a scope${by ? ` (needed by "${by.name}")` : ''}; resolve it from container.createScope()`,
      );
    }
    if (!scope.has(provider)) scope.set(provider, this.#construct(provider, scope));
    return scope.get(provider);
  }

  /**
   * The dependency object of a module: every provider the module sees, resolved on
   * property access (`injected` ones already are). `then` reads as `undefined` so the
   * object is never taken for a promise.
   */
  view(
    from: ModuleNode,
    scope: Instances | undefined,
    owner?: RegisteredProvider,
    injected: ReadonlyMap<string, unknown> = new Map(),
  ): Readonly<Record<string, unknown>> {
    const get = (key: string | symbol) => {
      if (typeof key === 'symbol' || (key === 'then' && !from.visible.has(key))) return undefined;
      return injected.has(key) ? injected.get(key) : this.resolve(key, from, scope, owner);
    };
    return new Proxy(Object.create(null), {
      get: (_target, key) => get(key),
      has: (_target, key) => typeof key === 'string' && from.visible.has(key),
      ownKeys: () => [...from.visible.keys()],
      getOwnPropertyDescriptor: (_target, key) =>
        typeof key === 'string' && from.visible.has(key)
          ? { configurable: true, enumerable: true, get: () => get(key) }
          : undefined,
      set: () => false,
    });
  }

  /** Creates a singleton after the singletons it injects, awaiting an async factory. */
  async #createSingleton(provider: RegisteredProvider): Promise<void> {
    if (this.#singletons.has(provider)) return;
    const from = this.#enter(provider);
    try {
      const injected = new Map<string, unknown>();
      for (const name of provider.inject) {
        await this.#createSingletonsFor(this.#graph.lookup(from, name, provider));
        injected.set(name, this.resolve(name, from, undefined, provider));
      }
      const instance = provider.create(this.view(from, undefined, provider, injected));
      this.#remember(provider, provider.kind === 'value' ? instance : await instance);
    } catch (error) {
      throw this.#failure(provider, error);
    } finally {
      this.#stack.pop();
    }
  }

  /**
   * Creates `dependency` if it is a singleton, else every singleton it reaches through the
   * inject lists of non-singletons: transient and scoped instances are built synchronously,
   * so async singletons they need must be ready first.
   */
  async #createSingletonsFor(
    dependency: RegisteredProvider,
    seen = new Set<RegisteredProvider>(),
  ): Promise<void> {
    if (dependency.scope === Scope.SINGLETON) return this.#createSingleton(dependency);
    if (seen.has(dependency)) return; // a cycle: reported when the instance is built
    seen.add(dependency);
    const from = this.#graph.owner(dependency);
    for (const name of dependency.inject) {
      await this.#createSingletonsFor(this.#graph.lookup(from, name, dependency), seen);
    }
  }

  /** Creates an instance synchronously, after the providers it injects. */
  #construct(provider: RegisteredProvider, scope: Instances | undefined): unknown {
    const from = this.#enter(provider);
    let instance: unknown;
    try {
      const injected = new Map<string, unknown>();
      for (const name of provider.inject) {
        injected.set(name, this.resolve(name, from, scope, provider));
      }
      instance = provider.create(this.view(from, scope, provider, injected));
    } catch (error) {
      throw this.#failure(provider, error);
    } finally {
      this.#stack.pop();
    }
    if (provider.kind === 'value' || !isPromiseLike(instance)) return instance;
    Promise.resolve(instance).catch(() => {});
    throw this.#error(
      'E_ASYNC_PROVIDER',
      provider,
      provider.scope === Scope.SINGLETON
        ? 'is async and was used before bootstrap awaited it; add it to the inject list of the provider that uses it'
        : `is ${provider.scope} and returned a promise; only SINGLETON providers may be async`,
    );
  }

  /** Pushes `provider` on the construction stack; returns its module's node. */
  #enter(provider: RegisteredProvider): ModuleNode {
    const start = this.#stack.indexOf(provider);
    if (start !== -1) {
      const path = [...this.#stack.slice(start), provider].map((entry) => entry.name);
      throw this.#error(
        'E_CIRCULAR_DEPENDENCY',
        provider,
        `depends on itself: ${path.join(' -> ')}`,
      );
    }
    this.#stack.push(provider);
    return this.#graph.owner(provider);
  }

  #remember(provider: RegisteredProvider, instance: unknown): unknown {
    this.#singletons.set(provider, instance);
    this.#created.push({ provider, instance });
    return instance;
  }

  /** `error` as thrown by creating `provider`: module errors as they are, others wrapped. */
  #failure(provider: RegisteredProvider, error: unknown): ModuleError {
    if (error instanceof ModuleError) return error;
    const path = this.#stack.map((entry) => entry.name).join(' -> ');
    return this.#error('E_PROVIDER_FAILED', provider, `failed (${path}): ${errorMessage(error)}`, {
      cause: error,
    });
  }

  #error(
    code: ModuleError['code'],
    provider: RegisteredProvider,
    problem: string,
    extra: { cause?: unknown } = {},
  ): ModuleError {
    const { name, module } = provider;
    return new ModuleError(code, `provider "${name}" of module "${module}" ${problem}`, {
      module,
      provider: name,
      ...extra,
    });
  }
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    (typeof value === 'object' || typeof value === 'function') &&
    value !== null &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}
