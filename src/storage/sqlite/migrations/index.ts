import type { Migration } from '../../migration.js';
import { up as initialSchema } from './0001-initial-schema.js';

export const SQLITE_MIGRATIONS: readonly Migration[] = [{ version: 1, name: 'initial-schema', sql: initialSchema }];
