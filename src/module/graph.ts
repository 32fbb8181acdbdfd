import { describeValue } from '../shared/describe.js';
import { isModuleDefinition, type ModuleDefinition } from './define-module.js';
import { ModuleError } from './errors.js';
import type { RegisteredProvider } from './providers.js';

/** A module of the application with the providers it can see. */
export interface ModuleNode {
  readonly definition: ModuleDefinition;
  /** Its own providers and what its imports export, by name. */
  readonly visible: ReadonlyMap<string, RegisteredProvider>;
}

/**
 * The modules reachable from a root module and what each of them can see: its own
 * providers and the exports of the modules it imports.
 */
export class ModuleGraph {
  readonly root: ModuleNode;
  /** Every module, each after the modules it imports. */
  readonly modules: readonly ModuleNode[];
  readonly #owners = new Map<RegisteredProvider, ModuleNode>();

  /**
   * @throws ModuleError `E_INVALID_MODULE` when two modules share a name or a module sees
   * two providers under one name.
   */
  constructor(root: ModuleDefinition) {
    if (!isModuleDefinition(root)) {
      throw new ModuleError(
        'E_INVALID_MODULE',
        `bootstrap needs a module from defineModule(), got ${describeValue(root)}`,
      );
    }
    const definitions = collect(root);
    const modules = definitions.map((definition) => ({ definition, visible: visible(definition) }));
    for (const node of modules) {
      for (const provider of node.definition.providers) this.#owners.set(provider, node);
    }
    this.modules = modules;
    this.root = modules.at(-1)!;
  }

  /** The node of the module that declares `provider`. */
  owner(provider: RegisteredProvider): ModuleNode {
    return this.#owners.get(provider)!;
  }

  /**
   * The provider `from` sees under `name`, for `requester` when a provider asks.
   * @throws ModuleError `E_PROVIDER_NOT_FOUND` or `E_PROVIDER_NOT_VISIBLE`, naming both.
   */
  lookup(from: ModuleNode, name: string, requester?: RegisteredProvider): RegisteredProvider {
    const provider = from.visible.get(name);
    if (provider !== undefined) return provider;
    const module = from.definition.name;
    const by = requester === undefined ? '' : `needed by "${requester.name}"`;
    const owner = this.modules.find((node) =>
      node.definition.providers.some((candidate) => candidate.name === name),
    )?.definition;
    if (owner === undefined) {
      throw new ModuleError(
        'E_PROVIDER_NOT_FOUND',
        `no provider named "${name}" is registered (resolving from module "${module}"${by && `, ${by}`}). ` +
          `In minified code, class tokens register under their mangled class names: use the string token '${name}' in provide and inject, or keep class names (esbuild keepNames, terser keep_classnames)`,
        { module, provider: name },
      );
    }
    const reason = from.definition.imports.includes(owner)
      ? `module "${owner.name}" does not export it`
      : `module "${module}" does not import module "${owner.name}"`;
    throw new ModuleError(
      'E_PROVIDER_NOT_VISIBLE',
      `provider "${name}" of module "${owner.name}" is not visible to module "${module}"${by && ` (${by})`}: ${reason}`,
      { module, provider: name },
    );
  }
}

/** The modules reachable from `root`, imports first; each name belongs to one module. */
function collect(root: ModuleDefinition): ModuleDefinition[] {
  const order: ModuleDefinition[] = [];
  const byName = new Map<string, ModuleDefinition>();
  const visit = (definition: ModuleDefinition) => {
    const known = byName.get(definition.name);
    if (known === definition) return;
    if (known !== undefined) {
      throw new ModuleError(
        'E_INVALID_MODULE',
        `two different modules are named "${definition.name}"`,
        { module: definition.name },
      );
    }
    byName.set(definition.name, definition);
    for (const imported of definition.imports) visit(imported);
    order.push(definition);
  };
  visit(root);
  return order;
}

/** What `definition` sees by name. */
function visible(definition: ModuleDefinition): Map<string, RegisteredProvider> {
  const seen = new Map<string, RegisteredProvider>(
    definition.providers.map((provider) => [provider.name, provider]),
  );
  for (const imported of definition.imports) {
    for (const name of imported.exports) {
      const provider = imported.providers.find((candidate) => candidate.name === name)!;
      const known = seen.get(name);
      if (known !== undefined && known !== provider) {
        throw new ModuleError(
          'E_INVALID_MODULE',
          `module "${definition.name}" sees two providers named "${name}": from module "${known.module}" and module "${provider.module}"`,
          { module: definition.name, provider: name },
        );
      }
      seen.set(name, provider);
    }
  }
  return seen;
}
