/** Marks every glasswork error; `Symbol.for` so that copies of the package (ESM and CJS) agree. */
const GLASSWORK_ERROR = Symbol.for('glasswork.error');

/**
 * The neutral base of every error glasswork throws: a stable `code` and an optional
 * `cause`. `CacheError` and `ModuleError` extend it; neither depends on the other.
 */
export class GlassworkError extends Error {
  /** A stable code such as `E_INVALID_TTL`. Match on it, never on the message. */
  readonly code: string;

  constructor(code: string, message: string, cause?: unknown) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    this.code = code;
  }
}

brand(GlassworkError, GLASSWORK_ERROR);

/**
 * True when `error` is any glasswork error (cache or module), including one thrown by
 * another copy of the package loaded in the same process.
 */
export function isGlassworkError(error: unknown): error is GlassworkError {
  return hasBrand(error, GLASSWORK_ERROR);
}

/**
 * Marks `errorClass`'s instances with `brand`, so {@link hasBrand} recognizes them across
 * copies of the package where `instanceof` cannot.
 */
export function brand(errorClass: { prototype: object }, brandSymbol: symbol): void {
  Object.defineProperty(errorClass.prototype, brandSymbol, { value: true });
}

/** True when `value` carries `brandSymbol` (see {@link brand}). */
export function hasBrand(value: unknown, brandSymbol: symbol): boolean {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as Record<symbol, unknown>)[brandSymbol] === true
  );
}
