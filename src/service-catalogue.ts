/**
 * The route catalogue of the whole service in the global cloud with every extension on (their
 * routes say so in their summary), read from a service built on an in-memory database and never
 * listening: for docs/routes.md.
 */
import { testConfig } from './config/config.js';
import { EXTENSION_NAMES, extensionsOf } from './extensions.js';
import { buildService } from './service.js';
import { systemClock } from './shared/clock.js';
import { silentLogger } from './shared/logger.js';
import { openStore } from './storage/open.js';
import type { CataloguedRoute } from './http/register-routes.js';

export async function catalogueOfService(): Promise<CataloguedRoute[]> {
  const { store } = await openStore('sqlite::memory:');
  try {
    const service = await buildService({
      config: testConfig({ concurrency: 0, extensions: extensionsOf(EXTENSION_NAMES) }),
      publicUrl: 'http://localhost',
      store,
      clock: systemClock,
      logger: silentLogger(),
    });
    await service.app.fastify.close();
    return service.app.catalogue;
  } finally {
    await store.close();
  }
}
