/**
 * Where the cache reports what it handled for the caller (store failures, refresh
 * errors). Anything with these four methods works: `console`, pino, winston.
 * Messages name keys and stores, never values.
 */
export interface CacheLogger {
  debug(message: string, context?: Record<string, unknown>): void;
  info(message: string, context?: Record<string, unknown>): void;
  warn(message: string, context?: Record<string, unknown>): void;
  error(message: string, context?: Record<string, unknown>): void;
}

const noop = () => {};

/** The default logger: warnings and errors to the console, debug and info dropped. */
export const consoleLogger: CacheLogger = {
  debug: noop,
  info: noop,
  warn: (message, context) => console.warn(`[glasswork] ${message}`, context ?? ''),
  error: (message, context) => console.error(`[glasswork] ${message}`, context ?? ''),
};

/** A logger that drops everything. */
export const silentLogger: CacheLogger = { debug: noop, info: noop, warn: noop, error: noop };

/** A short, value-free description of an error for log lines. */
export function errorMessage(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
