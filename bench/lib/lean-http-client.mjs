// A load generator that costs as little CPU as a Node process can: for benchmarks whose client
// shares the machine's CPUs with what it is compared against (password-reset.mjs: the server's
// hashes against the same hashes alone). Measured on the 2-vCPU machine of bench/README.md with a
// throwaway script (a node:http server answering one POST every 5 ms; 3,000 POSTs over 64
// connections): 0.20 ms of client CPU per request, against 0.43 for autocannon, 0.60 for undici's
// Pool and 0.62 for node:http with a keep-alive agent.
//
// The requests are built before the clock starts (whole HTTP/1.1 messages in buffers); each
// connection keeps one request in flight (no pipelining, as real clients do) and reads only the
// status line and Content-Length of each answer. An answer without Content-Length (chunked) is
// refused rather than guessed at.
import net from 'node:net';

/** One HTTP/1.1 request as bytes: method, path, headers (lower-case names) and an optional body. */
export function httpRequestBytes(url, method, path, headers, body = '') {
  const { host } = new URL(url);
  const lines = [`${method} ${path} HTTP/1.1`, `host: ${host}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  if (body !== '' || method === 'POST') lines.push(`content-length: ${Buffer.byteLength(body)}`);
  return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`);
}

/**
 * Sends `requests` (from httpRequestBytes, in order) over `connections` keep-alive connections to
 * `url`. Resolves with { statuses: { '202': n, … }, firstUnexpected } once every answer arrived,
 * where firstUnexpected is the first answer whose status is not `expected` ({ status, body }).
 */
export function sendAll(url, requests, { connections, expected }) {
  const { hostname, port } = new URL(url);
  const statuses = {};
  let firstUnexpected;
  let next = 0;
  let open = 0;
  return new Promise((resolve, reject) => {
    const connect = () => {
      open++;
      const socket = net.connect(Number(port), hostname);
      socket.setNoDelay(true);
      let pending = Buffer.alloc(0);
      const sendNext = () => (next < requests.length ? socket.write(requests[next++]) : socket.end());
      socket.on('connect', sendNext);
      socket.on('data', (chunk) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        for (;;) {
          const headEnd = pending.indexOf('\r\n\r\n');
          if (headEnd < 0) return;
          const head = pending.toString('latin1', 0, headEnd);
          const length = /\r\ncontent-length: *(\d+)/i.exec(head);
          if (!length) return socket.destroy(new Error(`an answer without Content-Length: ${head.split('\r\n')[0]}`));
          const end = headEnd + 4 + Number(length[1]);
          if (pending.length < end) return;
          const status = head.slice(9, 12);
          statuses[status] = (statuses[status] ?? 0) + 1;
          if (status !== String(expected) && !firstUnexpected) {
            firstUnexpected = { status: Number(status), body: pending.toString('utf8', headEnd + 4, end) };
          }
          pending = pending.subarray(end);
          sendNext();
        }
      });
      socket.on('error', reject);
      socket.on('close', () => {
        if (--open === 0) resolve({ statuses, firstUnexpected });
      });
    };
    for (let i = 0; i < Math.min(connections, requests.length); i++) connect();
  });
}
