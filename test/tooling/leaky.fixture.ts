/**
 * Run by leak-guard.test.ts as a test file of its own: one test leaves a store open, another a
 * listening server. The leak guard must fail this file, naming both.
 */
import { createServer } from 'node:net';
import { it } from 'node:test';
import { trackClosable } from '../support/leak-guard.js';
import { testStore } from '../support/store.js';

it('opens a store and forgets to close it', async () => {
  await testStore();
});

it('opens a server and forgets to close it', async () => {
  const server = trackClosable('a forgotten server', createServer());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
});
