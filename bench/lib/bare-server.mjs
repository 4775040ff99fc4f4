// Child process: a bare node:http server that answers every request with the bytes captured
// from one real response (status, headers, body). Receives them over IPC; replies { url }.
import { createServer } from 'node:http';

// Hop-by-hop and per-response headers node:http writes itself.
const SKIP = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);

process.once('message', ({ status, headers, body }) => {
  const buf = Buffer.from(body, 'base64');
  const fixed = Object.entries(headers).filter(([k]) => !SKIP.has(k.toLowerCase()));
  const server = createServer((req, res) => {
    // Drain any request body, then answer with the captured bytes.
    req.resume();
    res.writeHead(status, fixed);
    res.end(buf);
  });
  server.keepAliveTimeout = 72_000; // like fastify's default, so neither side closes idle sockets mid-run
  server.listen(0, '127.0.0.1', () => {
    process.send({ url: `http://127.0.0.1:${server.address().port}` });
  });
  const shutdown = () => server.close(() => process.exit(0));
  process.on('disconnect', shutdown);
  process.on('SIGTERM', shutdown);
});
