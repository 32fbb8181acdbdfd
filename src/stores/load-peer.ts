import { CacheDependencyError } from '../errors.js';

/** How {@link lazyPeer} finds and names an optional peer dependency. */
export interface PeerDescription<T> {
  /** The npm package, e.g. `ioredis`. */
  packageName: string;
  /** The store that needs it, for messages, e.g. `RedisCacheStore`. */
  storeClass: string;
  /** The store's `name`, set on errors as `store`. */
  storeName: string;
  /** Imports the package (`() => import('ioredis')`). */
  importer: () => Promise<unknown>;
  /** Picks what the store uses out of the module namespace; `undefined` when it is not there. */
  pick: (namespace: unknown) => T | undefined;
  /** What {@link pick} looks for, for the message when it finds nothing. */
  expected: string;
}

/** A loader for one optional peer: `load()` imports it on first use; `importer` replaces the import (tests). */
export type PeerLoader<T> = (importer?: () => Promise<unknown>) => Promise<T>;

/**
 * Makes the loader of an optional peer dependency. Concurrent first calls share one
 * import; a failed import is forgotten, so the next use tries again (after an install, or
 * once a transient failure has passed).
 * @throws CacheDependencyError `E_MISSING_DEPENDENCY`, saying whether the package is not
 * installed or is installed but failed to load (with the cause and a bundling hint).
 */
export function lazyPeer<T>(peer: PeerDescription<T>): PeerLoader<T> {
  let loading: Promise<T> | undefined;
  return (importer) => {
    if (importer !== undefined) return load(peer, importer);
    loading ??= load(peer, peer.importer).catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}

async function load<T>(peer: PeerDescription<T>, importer: () => Promise<unknown>): Promise<T> {
  let namespace: unknown;
  try {
    namespace = await importer();
  } catch (cause) {
    throw new CacheDependencyError('E_MISSING_DEPENDENCY', failureMessage(peer, cause), {
      store: peer.storeName,
      cause,
    });
  }
  const picked = peer.pick(namespace);
  if (picked === undefined) {
    throw new CacheDependencyError(
      'E_MISSING_DEPENDENCY',
      `${peer.storeClass} loaded ${peer.packageName} but found no ${peer.expected} in it; install a supported version: npm install ${peer.packageName}`,
      { store: peer.storeName },
    );
  }
  return picked;
}

/** Tells a package that is not installed from one that is installed but failed to load. */
function failureMessage(peer: PeerDescription<unknown>, cause: unknown): string {
  if (isNotInstalled(peer.packageName, cause)) {
    return `${peer.storeClass} needs the optional peer dependency ${peer.packageName}, which is not installed: npm install ${peer.packageName}`;
  }
  const reason =
    cause instanceof Error
      ? `${cause.name}: ${cause.message.replace(/[\r\n]+/g, ' ').slice(0, 200)}`
      : 'unknown error';
  return (
    `${peer.storeClass} found ${peer.packageName} but could not load it (${reason}). ` +
    `In an ESM bundle (esbuild --format=esm, CDK NodejsFunction, SAM), CommonJS packages need a ` +
    `require: add the createRequire banner or mark ${peer.packageName} as external (see the bundling guide in docs/lambda-bundling.md)`
  );
}

/** True when the import failed because `packageName` itself cannot be resolved. */
function isNotInstalled(packageName: string, cause: unknown): boolean {
  const code = (cause as { code?: unknown } | null)?.code;
  if (code !== 'ERR_MODULE_NOT_FOUND' && code !== 'MODULE_NOT_FOUND') return false;
  // A dependency of the package missing is "installed but broken", not "not installed".
  const message = cause instanceof Error ? cause.message : '';
  return message.includes(`'${packageName}'`) || message.includes(`"${packageName}"`);
}

/** Reads `name` off a module namespace or object, if it has one. */
export function member(value: unknown, name: string): unknown {
  return (typeof value === 'object' || typeof value === 'function') && value !== null
    ? (value as Record<string, unknown>)[name]
    : undefined;
}
