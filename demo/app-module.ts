/**
 * The spec's module registration, with the store factory chosen by the demo's `--store`.
 * With DynamoDB it is the spec's example as written.
 */
import { type CacheLogger, CacheService, type CacheStore, defineModule } from 'glasswork';

export function createAppModule(createStore: () => CacheStore, logger: CacheLogger) {
  return defineModule({
    name: 'app',
    providers: [
      {
        provide: 'cacheStore',
        useFactory: createStore,
      },
      {
        provide: CacheService,
        useFactory: ({ cacheStore }) =>
          new CacheService(cacheStore, {
            defaultTTL: 300,
            keyPrefix: 'app',
            logger,
          }),
        inject: ['cacheStore'],
      },
    ],
    exports: [CacheService],
  });
}
