import type { GraphVersion } from '../wire.js';

/**
 * Builds `@odata.context`: `{publicUrl}/{version}/$metadata#{path}` with the selected
 * properties in parentheses after the set (`…/operations(status,id)/$entity`).
 */
export function contextUrl(
  publicUrl: string,
  version: GraphVersion,
  entitySetPath: string,
  options: { entity?: boolean; select?: string[] | undefined } = {},
): string {
  const selected = options.select ? `(${options.select.join(',')})` : '';
  return `${publicUrl}/${version}/$metadata#${entitySetPath}${selected}${options.entity ? '/$entity' : ''}`;
}
