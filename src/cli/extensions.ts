import type { IsEnabled } from '../service.js';

/**
 * Which extensions are on, from `LONGRUN_EXTENSIONS` (comma list, or `all`). Stand-in until the
 * `--extensions` flag is part of Config; serve and worker read the switch only through here.
 */
export function extensionSwitch(env: NodeJS.ProcessEnv): IsEnabled {
  const names = new Set((env.LONGRUN_EXTENSIONS ?? '').split(',').map((s) => s.trim()).filter(Boolean));
  return (name) => names.has('all') || names.has(name);
}
