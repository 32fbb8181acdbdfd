import { brand, GlassworkError, hasBrand } from '../shared/glasswork-error.js';

/** Stable codes of {@link ModuleError}. Match on `error.code`, never on the message. */
export type ModuleErrorCode =
  | 'E_INVALID_MODULE'
  | 'E_INVALID_PROVIDER'
  | 'E_PROVIDER_NOT_FOUND'
  | 'E_PROVIDER_NOT_VISIBLE'
  | 'E_CIRCULAR_DEPENDENCY'
  | 'E_SCOPE'
  | 'E_ASYNC_PROVIDER'
  | 'E_PROVIDER_FAILED';

/** Context attached to a {@link ModuleError}. */
export interface ModuleErrorContext {
  /** The module being defined, or the one a provider was resolved from. */
  module?: string;
  /** The provider involved, by name. */
  provider?: string;
  /** The underlying error. */
  cause?: unknown;
}

/**
 * A module or provider is malformed, or resolving a provider failed. Names the
 * `module` and `provider` involved; thrown by `defineModule`, `bootstrap` and the container.
 */
export class ModuleError extends GlassworkError {
  declare readonly code: ModuleErrorCode;
  /** The module involved, by name. */
  readonly module: string | undefined;
  /** The provider involved, by name. */
  readonly provider: string | undefined;

  constructor(code: ModuleErrorCode, message: string, context: ModuleErrorContext = {}) {
    super(code, message, context.cause);
    this.module = context.module;
    this.provider = context.provider;
  }
}

const MODULE_ERROR = Symbol.for('glasswork.moduleError');
brand(ModuleError, MODULE_ERROR);

/** True when `error` is a {@link ModuleError}, also one thrown by another copy of the package. */
export function isModuleError(error: unknown): error is ModuleError {
  return hasBrand(error, MODULE_ERROR);
}
