import { isGlassworkError } from './glasswork-error.js';

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

/** The longest foreign error message shown in a log line; longer ones are cut. */
const MAX_MESSAGE = 200;

/**
 * A one-line description of an error for log lines: glasswork's own errors (whose messages
 * name keys and limits, never values) with code and message; the caller's own errors (a
 * loader's) with their message, escaped onto one line and cut to 200 characters.
 */
export function errorMessage(error: unknown): string {
  try {
    if (!(error instanceof Error)) {
      return typeof error === 'string' ? oneLine(error) : typeof error;
    }
    if (isGlassworkError(error)) return `${error.code}: ${error.message}`;
    const code = (error as { code?: unknown }).code;
    const message = oneLine(String(error.message ?? ''));
    return typeof code === 'string' ? `${oneLine(code)}: ${message}` : message;
  } catch {
    // A hostile error (a throwing getter): describe it by what can be read safely.
    return 'an error that cannot be described';
  }
}

/**
 * The class and code of an error whose message is not ours to show (a store client's, a
 * custom serializer's: they may echo the value or the request): `TimeoutError`,
 * `Error (ECONNRESET)`. Glasswork's own errors keep their message.
 */
export function errorClass(error: unknown): string {
  try {
    if (!(error instanceof Error)) return typeof error;
    if (isGlassworkError(error)) return `${error.code}: ${error.message}`;
    const code = (error as { code?: unknown }).code;
    const name = safeName(error.name);
    return typeof code === 'string' && SAFE_CODE.test(code) ? `${name} (${code})` : name;
  } catch {
    return 'an error that cannot be described';
  }
}

/** Codes safe to show anywhere (a log line, a span attribute): a short identifier. */
export const SAFE_CODE = /^[\w.-]{1,64}$/;

/** An error class name as shown: a short identifier, else `Error`. */
function safeName(name: unknown): string {
  return typeof name === 'string' && SAFE_CODE.test(name) ? name : 'Error';
}

/** `text` JSON-escaped (no control character can start a new log line) and cut. */
function oneLine(text: string): string {
  const escaped = JSON.stringify(text).slice(1, -1);
  return escaped.length > MAX_MESSAGE ? `${escaped.slice(0, MAX_MESSAGE)}…` : escaped;
}
