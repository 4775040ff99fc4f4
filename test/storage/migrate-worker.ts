/**
 * Child process for migrator.test.ts: opens (and so migrates) the database at argv[2] and
 * prints the migration versions it applied itself, as JSON.
 */
import { openStore } from '../../src/storage/open.js';

const { store, migrations } = await openStore(process.argv[2]!);
process.stdout.write(`${JSON.stringify(migrations.applied)}\n`);
await store.close();
