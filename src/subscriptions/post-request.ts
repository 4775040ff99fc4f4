/**
 * One POST to a subscriber's endpoint with node:http(s) over keep-alive connections (per process,
 * reused across notifications; about twice the rate of fetch on a local receiver, see
 * bench/README.md). The signal bounds the whole exchange; the answer's body is read up to a cap.
 */
import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

const httpAgent = new HttpAgent({ keepAlive: true });
const httpsAgent = new HttpsAgent({ keepAlive: true });

/** Enough for a validation token; a larger answer is cut (notifications ignore the body). */
const MAX_ANSWER_BYTES = 64 * 1024;

export interface PostAnswer {
  status: number;
  contentType: string;
  body: string;
}

export function postTo(url: URL, body: string, contentType: string, signal: AbortSignal): Promise<PostAnswer> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const https = url.protocol === 'https:';
    const send = https ? httpsRequest : httpRequest;
    const req = send(url, {
      method: 'POST',
      agent: https ? httpsAgent : httpAgent,
      headers: { 'content-type': contentType, 'content-length': Buffer.byteLength(body) },
    });
    const onAbort = () => req.destroy(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    const done = () => signal.removeEventListener('abort', onAbort);
    req.on('error', (e) => {
      done();
      reject(signal.aborted ? signal.reason : e);
    });
    req.on('response', (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        if (size < MAX_ANSWER_BYTES) chunks.push(c);
        size += c.length;
      });
      res.on('error', (e) => {
        done();
        reject(signal.aborted ? signal.reason : e);
      });
      res.on('end', () => {
        done();
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), body: text });
      });
    });
    req.end(body);
  });
}

/** True for the error a timeout signal aborts with. */
export const isTimeout = (e: unknown): boolean => (e as { name?: string } | undefined)?.name === 'TimeoutError';
