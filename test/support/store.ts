import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../../src/storage/open.js';
import type { Store } from '../../src/storage/store.js';

/** A fresh SQLite database file in a temp folder, removed by `cleanup`. */
export async function tempSqliteStore(): Promise<{ store: Store; url: string; dir: string; open: () => Promise<Store>; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'longrun-test-'));
  const url = `sqlite:${join(dir, 'longrun.db')}`;
  const { store } = await openStore(url);
  const extra: Store[] = [];
  return {
    store,
    url,
    dir,
    open: async () => {
      const s = (await openStore(url)).store;
      extra.push(s);
      return s;
    },
    cleanup: async () => {
      for (const s of extra) await s.close().catch(() => undefined);
      await store.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function memoryStore(): Promise<Store> {
  return (await openStore('sqlite::memory:')).store;
}
