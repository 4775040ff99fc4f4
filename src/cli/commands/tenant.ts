import { readFileSync, writeFileSync } from 'node:fs';
import type { Config } from '../../config/config.js';
import { generateTenantFixture } from '../../directory/fixture-generate.js';
import { formatFixtureErrors } from '../../directory/fixture-validate.js';
import { importTenant } from '../../directory/tenant-import.js';
import { hashPassword } from '../../passwords/hashing.js';
import { systemClock } from '../../shared/clock.js';
import { openStore } from '../../storage/open.js';
import { CliError } from '../exit.js';

export async function tenantImport(config: Config, file: string | undefined): Promise<void> {
  if (!file) throw new CliError('tenant import: give the fixture file: longrun tenant import FILE', 2);
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliError(`tenant import: cannot read ${file} as JSON: ${(e as Error).message}`);
  }
  const { store } = await openStore(config.db);
  try {
    const result = await importTenant(store, input, { hash: hashPassword }, systemClock.now());
    if (!result.ok) throw new CliError(`tenant import: ${file} was refused; nothing was imported.\n${formatFixtureErrors(result.errors)}`);
    process.stdout.write(
      `imported tenant ${result.tenantId}: ${result.users} users, ${result.applications} applications, ${result.roleAssignments} role assignments\n`,
    );
  } finally {
    await store.close();
  }
}

export function tenantGenerate(extra: Record<string, string | boolean | undefined>): void {
  const users = Number(extra.users);
  if (typeof extra.users !== 'string' || !Number.isInteger(users) || users < 1 || users > 1_000_000) {
    throw new CliError('tenant generate: --users N is required (a whole number from 1 to 1000000)', 2);
  }
  const seed = typeof extra.seed === 'string' ? extra.seed : '1';
  const json = JSON.stringify(generateTenantFixture({ users, seed }), null, 2) + '\n';
  if (typeof extra.out === 'string') {
    writeFileSync(extra.out, json);
    process.stderr.write(`wrote ${users} users to ${extra.out}\n`);
  } else {
    process.stdout.write(json);
  }
}
