import { openStore } from '../../src/storage/open.js';
import type { Store } from '../../src/storage/store.js';
import { createTestDatabase, TEST_BACKEND } from './backends.js';
import { trackClosable } from './leak-guard.js';

export { TEST_BACKEND };

/**
 * A fresh database of the backend under test, with extra connections on demand (`open`), all
 * closed and removed by `cleanup`.
 */
export async function tempStore(): Promise<{ store: Store; url: string; open: () => Promise<Store>; cleanup: () => Promise<void> }> {
  const database = await createTestDatabase();
  const { store } = await openStore(database.url);
  trackClosable(`store ${database.url}`, store);
  const extra: Store[] = [];
  return {
    store,
    url: database.url,
    open: async () => {
      const s = trackClosable(`extra store ${database.url}`, (await openStore(database.url)).store);
      extra.push(s);
      return s;
    },
    cleanup: async () => {
      for (const s of extra) await s.close().catch(() => undefined);
      await store.close().catch(() => undefined);
      await database.dispose();
    },
  };
}

/**
 * A fresh store for one test (SQLite: in memory; PostgreSQL: its own schema, dropped by
 * scripts/run-tests.mjs after the run). The caller closes it.
 */
export async function testStore(now?: () => number): Promise<Store> {
  if (TEST_BACKEND === 'sqlite') return trackClosable('store sqlite::memory:', (await openStore('sqlite::memory:', now)).store);
  const database = await createTestDatabase();
  return trackClosable(`store ${database.url}`, (await openStore(database.url, now)).store);
}
