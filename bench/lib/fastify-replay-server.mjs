// Child process: the framework's floor for get-operation.mjs. Fastify, configured as Longrun
// configures it (its logger to a log file through pino's asynchronous destination, request ids,
// no built-in request logging) with Longrun's own request-log hook writing the same one line per
// request, answering every request with the bytes captured from one real response. No hooks,
// token check, authorization, database read or serialisation of Longrun's: what is left between
// this and Longrun is Longrun's own work; between this and bare-server.mjs, the framework's and
// the log line's. Receives { status, headers, body, logPath } over IPC; replies { url }.
import Fastify, { LogController } from 'fastify';
import { pino } from 'pino';
import { createLogger } from '../../dist/src/shared/logger.js';
import { installRequestLog } from '../../dist/src/graph/request-log.js';
import { newGuid } from '../../dist/src/shared/ids.js';

// Hop-by-hop and per-response headers node:http writes itself; content-length Fastify sets.
const SKIP = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding', 'content-length']);

process.once('message', async ({ status, headers, body, logPath }) => {
  const buf = Buffer.from(body, 'base64');
  const fixed = Object.fromEntries(Object.entries(headers).filter(([k]) => !SKIP.has(k.toLowerCase())));
  const logger = createLogger('info', pino.destination({ dest: logPath, sync: false }));
  const app = Fastify({
    loggerInstance: logger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: () => newGuid(),
  });
  app.decorateRequest('clientRequestId', '');
  installRequestLog(app);
  app.get('/*', (request, reply) => {
    request.clientRequestId = request.id;
    reply.code(status).headers(fixed).send(buf);
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  process.send({ url: `http://127.0.0.1:${app.server.address().port}` });
  const shutdown = () => app.close().then(() => process.exit(0));
  process.on('disconnect', shutdown);
  process.on('SIGTERM', shutdown);
});
