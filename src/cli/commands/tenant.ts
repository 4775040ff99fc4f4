import { readFileSync, writeFileSync } from 'node:fs';
import type { Config } from '../../config/config.js';
import { generateTenantFixture } from '../../directory/fixture-generate.js';
import { formatFixtureErrors } from '../../directory/fixture-validate.js';
import { importTenant } from '../../directory/tenant-import.js';
import { hashPassword } from '../../passwords/hashing.js';
import { systemClock } from '../../shared/clock.js';
import { openStore } from '../../storage/open.js';
import { CliError } from '../exit.js';
import { createProgress, type ProgressStream } from '../progress.js';

/** Progress goes to stderr, and only when it is a terminal (src/cli/progress.ts). */
export async function tenantImport(config: Config, file: string | undefined, progressTo: ProgressStream = process.stderr): Promise<void> {
  if (!file) throw new CliError('tenant import: give the fixture file: longrun tenant import FILE', 2);
  let input: unknown;
  try {
    input = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new CliError(`tenant import: cannot read ${file} as JSON: ${(e as Error).message}`);
  }
  const { store } = await openStore(config.db);
  const progress = createProgress(progressTo);
  try {
    const result = await importTenant(store, input, { hash: hashPassword }, systemClock.now(), (step, done, total) => {
      progress.update(step, done, total);
      if (done === total) progress.update('writing the tenant', 0, 1);
    });
    progress.finish();
    if (!result.ok) throw new CliError(`tenant import: ${file} was refused; nothing was imported.\n${formatFixtureErrors(result.errors)}`);
    process.stdout.write(
      `imported tenant ${result.tenantId}: ${result.users} users, ${result.applications} applications, ${result.roleAssignments} role assignments\n`,
    );
  } finally {
    progress.finish();
    await store.close();
  }
}

export function tenantGenerate(extra: Record<string, string | boolean | undefined>, progressTo: ProgressStream = process.stderr): void {
  const users = Number(extra.users);
  if (typeof extra.users !== 'string' || !Number.isInteger(users) || users < 1 || users > 1_000_000) {
    throw new CliError('tenant generate: --users N is required (a whole number from 1 to 1000000)', 2);
  }
  const seed = typeof extra.seed === 'string' ? extra.seed : '1';
  const progress = createProgress(progressTo);
  const fixture = generateTenantFixture({ users, seed, onProgress: (done, total) => progress.update('generating users', done, total) });
  progress.update('writing JSON', 0, 1);
  const json = JSON.stringify(fixture, null, 2) + '\n';
  progress.finish();
  if (typeof extra.out === 'string') {
    writeFileSync(extra.out, json);
    process.stderr.write(`wrote ${users} users to ${extra.out}\n`);
  } else {
    process.stdout.write(json);
  }
}
