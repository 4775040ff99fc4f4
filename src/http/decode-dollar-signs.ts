/**
 * `%24` in the path as `$`: Graph serves `/v1.0/%24metadata` as `/v1.0/$metadata` (a client
 * that percent-encodes every segment), while the router matches `$metadata`, `$count`… as
 * written. Parameters are decoded by the router anyway, so only these static segments change.
 */
export function decodeDollarSigns(url: string): string {
  const at = url.indexOf('%24');
  if (at < 0) return url; // the common case: no allocation
  const query = url.indexOf('?');
  if (query < 0) return url.replaceAll('%24', '$');
  return at > query ? url : url.slice(0, query).replaceAll('%24', '$') + url.slice(query);
}
