import { type CacheLogger, consoleLogger } from '../shared/logger.js';
import { type Container, ModuleContainer } from './container.js';
import type { ModuleDefinition } from './define-module.js';
import { ModuleGraph } from './graph.js';
import { runDestroy, runInit } from './lifecycle.js';
import { Resolver } from './resolver.js';

/** Options of {@link bootstrap}. */
export interface BootstrapOptions {
  /**
   * Receives `onModuleDestroy()` failures.
   * @default warnings and errors to the console
   */
  logger?: CacheLogger;
}

/** A bootstrapped application. */
export interface Application {
  /** Resolves providers as the root module sees them. */
  readonly container: Container;
  /** Runs `onModuleInit()` on every singleton that has it, in creation order. Runs once. */
  start(): Promise<void>;
  /**
   * Runs `onModuleDestroy()` on every singleton that has it, in reverse creation order;
   * failures are logged and the others still run. Runs once; later calls return the same promise.
   */
  stop(): Promise<void>;
}

/**
 * Creates every singleton of `root` and the modules it imports, awaiting async factories.
 * If one fails, the singletons already created are destroyed and the error is rethrown.
 * @throws ModuleError naming the module and provider that failed.
 * @example
 * const app = await bootstrap(AppModule);
 * await app.start();
 * const cache = app.container.resolve(CacheService);
 * process.once('SIGTERM', () => void app.stop());
 */
export async function bootstrap(
  root: ModuleDefinition,
  options: BootstrapOptions = {},
): Promise<Application> {
  const logger = options.logger ?? consoleLogger;
  const graph = new ModuleGraph(root);
  const resolver = new Resolver(graph);
  try {
    await resolver.createSingletons();
  } catch (error) {
    await runDestroy(resolver.created, logger);
    throw error;
  }
  let started: Promise<void> | undefined;
  let stopped: Promise<void> | undefined;
  return {
    container: new ModuleContainer(resolver, graph.root),
    start: () => {
      started ??= runInit(resolver.created);
      return started;
    },
    stop: () => {
      stopped ??= runDestroy(resolver.created, logger);
      return stopped;
    },
  };
}
