/**
 * How long a provider's instance lives.
 * - `SINGLETON` (the default): one instance for the application, created during `bootstrap`.
 * - `SCOPED`: one instance per `container.createScope()`, e.g. per request.
 * - `TRANSIENT`: a new instance on every resolution.
 */
export const Scope = {
  SINGLETON: 'SINGLETON',
  SCOPED: 'SCOPED',
  TRANSIENT: 'TRANSIENT',
} as const;

/** One of the {@link Scope} values. */
export type Scope = (typeof Scope)[keyof typeof Scope];

/** Whether `value` is one of the {@link Scope} values. */
export function isScope(value: unknown): value is Scope {
  return value === Scope.SINGLETON || value === Scope.SCOPED || value === Scope.TRANSIENT;
}
