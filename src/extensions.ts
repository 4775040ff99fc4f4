/**
 * The opt-in extensions beyond Microsoft Graph (docs/extensions.md). The default surface is
 * Graph's own; each extension is switched on by name with `--extensions`. This is the one place
 * that knows the names: everything else reads the typed booleans of `Extensions`.
 */
export const EXTENSION_NAMES = ['azure-lro', 'wait', 'subscriptions'] as const;

export type ExtensionName = (typeof EXTENSION_NAMES)[number];

export interface Extensions {
  /** `Operation-Location` on 202 starts; `error` on failed operations (selectable). */
  readonly azureLro: boolean;
  /** `Prefer: wait=N` on GET of one operation. */
  readonly wait: boolean;
  /** Graph-style change notifications for operations. */
  readonly subscriptions: boolean;
  /** The names switched on, in the canonical order (for logs and help). */
  readonly names: readonly ExtensionName[];
}

export const isExtensionName = (name: string): name is ExtensionName => (EXTENSION_NAMES as readonly string[]).includes(name);

/** The extensions of these names (none by default). */
export function extensionsOf(names: Iterable<ExtensionName> = []): Extensions {
  const on = new Set(names);
  return Object.freeze({
    azureLro: on.has('azure-lro'),
    wait: on.has('wait'),
    subscriptions: on.has('subscriptions'),
    names: Object.freeze(EXTENSION_NAMES.filter((n) => on.has(n))),
  });
}

export const NO_EXTENSIONS: Extensions = extensionsOf();

/**
 * Parses `--extensions`: a comma list of names, `all` for every one, empty for none. Throws
 * an Error whose message names the first unknown name.
 */
export function parseExtensions(list: string): Extensions {
  const items = list
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (items.includes('all')) return extensionsOf(EXTENSION_NAMES);
  const unknown = items.find((s) => !isExtensionName(s));
  if (unknown !== undefined) throw new Error(`unknown extension '${unknown}' (known: ${EXTENSION_NAMES.join(', ')}, all)`);
  return extensionsOf(items as ExtensionName[]);
}
