import fastifyCompress from '@fastify/compress';
import type { FastifyInstance } from 'fastify';

/**
 * Bodies smaller than this go out as they are: gzip adds about 20 bytes of framing, so a small
 * operation (~300 bytes) would barely shrink while costing a zlib call on the hot path.
 */
const COMPRESSION_THRESHOLD_BYTES = 1024;

/**
 * gzip (or deflate) for a client that sends `Accept-Encoding`, as Graph compresses its answers,
 * with `Vary: accept-encoding` (docs/compatibility.md, "Response headers"). Registered before
 * any route, so every route's reply passes through it. Server-sent events (the console) are
 * written to the raw socket after `reply.hijack()` and never pass through here, so nothing is
 * buffered; a `Prefer: wait` long poll is one ordinary reply, compressed when it is sent.
 * Request bodies are read as sent: Graph does not document compressed requests.
 */
export async function installCompression(app: FastifyInstance): Promise<void> {
  await app.register(fastifyCompress, {
    global: true,
    globalDecompression: false,
    encodings: ['gzip', 'deflate'],
    threshold: COMPRESSION_THRESHOLD_BYTES,
  });
}
