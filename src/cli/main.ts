import { ConfigError, parseCommandLine } from '../config/config.js';
import { createLogger } from '../shared/logger.js';
import { openStore } from '../storage/open.js';
import { BACKUP_HELP, backup } from './commands/backup.js';
import { keysRotate } from './commands/keys.js';
import { serve } from './commands/serve.js';
import { tenantGenerate, tenantImport } from './commands/tenant.js';
import { worker } from './commands/worker.js';
import { CliError } from './exit.js';
import { USAGE } from './help.js';

const EXTRA = {
  users: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  'activate-after-seconds': { type: 'string' },
  force: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
} as const;

async function main(argv: string[]): Promise<void> {
  const { config, positionals, extra } = parseCommandLine(argv, process.env, EXTRA);
  const [command, sub, arg] = positionals;
  if (command === 'backup' && extra.help) {
    process.stdout.write(BACKUP_HELP);
    return;
  }
  if (extra.help || command === undefined || command === 'help') {
    process.stdout.write(USAGE);
    return;
  }
  const logger = createLogger(config.logLevel);
  switch (command) {
    case 'serve':
      return serve(config, logger);
    case 'worker':
      return worker(config, logger);
    case 'migrate': {
      const { store, migrations } = await openStore(config.db);
      await store.close();
      process.stdout.write(
        migrations.applied.length > 0
          ? `migrated to schema version ${migrations.current} (applied ${migrations.applied.join(', ')})\n`
          : `schema is up to date (version ${migrations.current})\n`,
      );
      return;
    }
    case 'tenant':
      if (sub === 'import') return tenantImport(config, arg);
      if (sub === 'generate') return tenantGenerate(extra);
      throw new CliError(`tenant: expected 'import FILE' or 'generate --users N'${sub ? `, got '${sub}'` : ''}`, 2);
    case 'backup':
      return backup(config.db, extra.out as string | undefined, extra.force === true);
    case 'keys':
      if (sub === 'rotate') return keysRotate(config, extra['activate-after-seconds'] as string | undefined);
      throw new CliError(`keys: expected 'rotate'${sub ? `, got '${sub}'` : ''}`, 2);
    default:
      throw new CliError(`unknown command '${command}'; run 'longrun help'`, 2);
  }
}

main(process.argv.slice(2)).catch((e: unknown) => {
  if (e instanceof ConfigError) {
    process.stderr.write(`longrun: ${e.message}\n`);
    process.exit(2);
  }
  if (e instanceof CliError) {
    process.stderr.write(`longrun: ${e.message}\n`);
    process.exit(e.exitCode);
  }
  process.stderr.write(`longrun: ${(e as Error).message ?? String(e)}\n`);
  process.exit(1);
});
