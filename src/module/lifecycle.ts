import { type CacheLogger, errorMessage } from '../shared/logger.js';
import { ModuleError } from './errors.js';
import type { Created } from './resolver.js';

/** A provider instance with work to do when the application starts. */
export interface OnModuleInit {
  /** Called by `start()`, in creation order, and awaited. */
  onModuleInit(): unknown;
}

/** A provider instance holding resources to release when the application stops. */
export interface OnModuleDestroy {
  /** Called by `stop()`, in reverse creation order, and awaited; a failure is logged. */
  onModuleDestroy(): unknown;
}

type Hook = keyof OnModuleInit | keyof OnModuleDestroy;

/**
 * Runs `onModuleInit()` on each created instance that has it, in creation order.
 * @throws ModuleError `E_PROVIDER_FAILED` naming the first provider whose hook failed.
 */
export async function runInit(created: readonly Created[]): Promise<void> {
  for (const { provider, instance } of withHook(created, 'onModuleInit')) {
    try {
      await (instance as OnModuleInit).onModuleInit();
    } catch (error) {
      throw new ModuleError(
        'E_PROVIDER_FAILED',
        `onModuleInit() of provider "${provider.name}" of module "${provider.module}" failed: ${errorMessage(error)}`,
        { module: provider.module, provider: provider.name, cause: error },
      );
    }
  }
}

/**
 * Runs `onModuleDestroy()` on each created instance that has it, in reverse creation
 * order. A failure is logged and the others still run.
 */
export async function runDestroy(created: readonly Created[], logger: CacheLogger): Promise<void> {
  for (const { provider, instance } of withHook(created, 'onModuleDestroy').reverse()) {
    try {
      await (instance as OnModuleDestroy).onModuleDestroy();
    } catch (error) {
      logger.error(
        `onModuleDestroy() of provider "${provider.name}" of module "${provider.module}" failed: ${errorMessage(error)}`,
        { module: provider.module, provider: provider.name },
      );
    }
  }
}

/** The created instances that have `hook`, each once; values supplied by the user excluded. */
function withHook(created: readonly Created[], hook: Hook): Created[] {
  const seen = new Set<unknown>();
  return created.filter(({ provider, instance }) => {
    if (provider.kind === 'value' || seen.has(instance)) return false;
    seen.add(instance);
    const target = instance as Partial<Record<Hook, unknown>> | null;
    return typeof target?.[hook] === 'function';
  });
}
