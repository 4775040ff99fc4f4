import type { FastifyReply } from 'fastify';

/** Graph's content type for successful JSON responses (as real Graph responses carry it; docs/compatibility.md). */
export const ODATA_JSON = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
/** Errors are plain JSON, without the OData parameters. */
export const PLAIN_JSON = 'application/json';

export const GRAPH_VERSIONS = ['v1.0', 'beta'] as const;
export type GraphVersion = (typeof GRAPH_VERSIONS)[number];

/** Sends a Graph entity or collection with Graph's success headers. */
export function sendOData(reply: FastifyReply, body: unknown, status = 200): FastifyReply {
  return reply.code(status).header('content-type', ODATA_JSON).header('OData-Version', '4.0').send(body);
}

/** Percent-encodes a key the way Graph echoes it in a context URL (`'CameronW%40contoso.com'`). */
export function encodeKeySegment(key: string): string {
  return encodeURIComponent(key).replace(/'/g, "''");
}
