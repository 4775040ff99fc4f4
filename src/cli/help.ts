import { FLAGS } from '../config/config.js';

export const USAGE = `longrun — a self-hostable Microsoft Graph for long-running operations

Usage:
  longrun serve [flags]                  Graph API + login authority + executor (one process)
  longrun worker [flags]                 the executor alone (scale out operation processing)
  longrun migrate [flags]                create or upgrade the schema, then exit
  longrun tenant import FILE [flags]     import (or atomically replace) a tenant fixture
  longrun tenant generate --users N [--seed S] [--out FILE]
                                         write a deterministic synthetic tenant fixture
  longrun keys rotate [--activate-after-seconds N]
                                         publish the next signing key now; it signs after N s (default 3600)
  longrun backup --out FILE [--force] [--db sqlite:PATH]
                                         consistent copy of a live SQLite database (PostgreSQL: pg_dump,
                                         see 'longrun backup --help')
  longrun help                           this text

Flags (every flag has an environment variable; flags win):
${FLAGS.map((f) => `  --${(f.flag + (f.type === 'string' ? ' VALUE' : '')).padEnd(20)} ${f.env.padEnd(22)} ${f.help}${f.default ? ` (default ${f.default})` : ''}`).join('\n')}
  --no-demo                                         never import the demo tenant

Exit codes: 0 success; 1 runtime failure (database unreachable, port in use, import refused);
2 bad command line or configuration.

Examples:
  npm start                                  serve on http://127.0.0.1:8080 with the demo tenant
  longrun serve --port 0 --db sqlite::memory:
  longrun tenant generate --users 500 --seed 7 --out big.json && longrun tenant import big.json
  longrun worker --db sqlite:./data/longrun.db --concurrency 16
`;
