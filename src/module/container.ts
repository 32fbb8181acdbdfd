import { describeValue } from '../shared/describe.js';
import { ModuleError } from './errors.js';
import type { ModuleNode } from './graph.js';
import type { Instances, Resolver } from './resolver.js';
import { type ClassToken, type ProviderToken, tokenName } from './tokens.js';

/**
 * Resolves providers as the root module sees them: its own and what its imports export.
 * @example
 * const cache = container.resolve(CacheService); // typed CacheService
 * const { cacheStore } = container.cradle;
 */
export interface Container {
  /** The instance registered under the class's camelCase name, typed as the class. */
  resolve<T>(token: ClassToken<T>): T;
  /** The instance registered under `name`; pass `T` to type it. */
  resolve<T = unknown>(name: string): T;
  /** Every provider the root module sees, resolved on property access. */
  readonly cradle: Readonly<Record<string, unknown>>;
  /** A fresh scope, e.g. per request: its own `SCOPED` instances, the shared singletons. */
  createScope(): Container;
}

/** The {@link Container} of one application, or of one scope of it. */
export class ModuleContainer implements Container {
  readonly #resolver: Resolver;
  readonly #root: ModuleNode;
  readonly #scope: Instances | undefined;
  readonly cradle: Readonly<Record<string, unknown>>;

  constructor(resolver: Resolver, root: ModuleNode, scope?: Instances) {
    this.#resolver = resolver;
    this.#root = root;
    this.#scope = scope;
    this.cradle = resolver.view(root, scope);
  }

  resolve<T>(token: ClassToken<T>): T;
  resolve<T = unknown>(name: string): T;
  resolve(token: ProviderToken): unknown {
    const name = tokenName(token);
    if (name === undefined) {
      throw new ModuleError(
        'E_INVALID_PROVIDER',
        `resolve() takes a provider name or a named class, got ${describeValue(token)}`,
        { module: this.#root.definition.name },
      );
    }
    return this.#resolver.resolve(name, this.#root, this.#scope);
  }

  createScope(): Container {
    return new ModuleContainer(this.#resolver, this.#root, new Map());
  }
}
