import { openBentocache } from './bentocache.js';
import { openCacheManager } from './cache-manager.js';
import { openGlasswork } from './glasswork.js';
import type { Backend, Contender, Library } from './types.js';

export type { Backend, Contender, Library, Loader } from './types.js';

export const LIBRARIES: readonly Library[] = ['glasswork', 'bentocache', 'cache-manager'];

/** Opens `library` on `backend`; keys are namespaced with `prefix` where the library has one. */
export function openContender(library: Library, backend: Backend, prefix: string): Contender {
  if (library === 'glasswork') return openGlasswork(backend, prefix);
  if (library === 'bentocache') return openBentocache(backend, prefix);
  return openCacheManager(backend);
}
