import net from 'node:net';

/** One request of a shared-body run: its own small first parts, then the large parts every request shares. */
export interface SharedBodyRequest {
  method: 'POST' | 'PUT';
  path: string;
  headers: Record<string, string>;
  /** The body in order; a Buffer shared by every request is written as it is, never copied. */
  parts: readonly Buffer[];
}

export interface SharedBodyResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
}

/**
 * A keep-alive HTTP/1.1 load generator for large bodies that are mostly the same bytes (the order
 * with two 1 MB uploads): each request is written with one corked, vectored write of its own head
 * and the shared parts. autocannon copies every body it sends twice (the scenario's concatenation,
 * then its request buffer), 4 MB of fresh memory a request, which on a machine where the load
 * generator shares the server's cores cost ~4 ms of CPU a request against ~0.8 ms here — CPU the
 * server measured then lacked. Answers must carry a Content-Length (Fastify's do); latency is from
 * the write to the answer's last byte, in whole ms as autocannon reports it.
 */
export function runSharedBody(
  url: string,
  options: {
    connections: number;
    seconds: number;
    next: () => SharedBodyRequest;
    onResponse?: (status: number, body: string) => void;
  },
): Promise<SharedBodyResult> {
  const { hostname, port } = new URL(url);
  const deadline = Date.now() + options.seconds * 1000;
  const latencies: number[] = [];
  let non2xx = 0;
  let errors = 0;
  const sockets: net.Socket[] = [];
  // A request never answered would hold its connection, and the run, open for good: 30 s past the
  // run's end each one still open is cut and counted as an error.
  const cutOff = setTimeout(
    () => {
      for (const socket of sockets) {
        if (socket.destroyed) continue;
        errors++;
        socket.destroy();
      }
    },
    options.seconds * 1000 + 30_000,
  );
  const connection = () =>
    new Promise<void>((resolve) => {
      const socket = net.connect(Number(port), hostname);
      sockets.push(socket);
      socket.setNoDelay(true);
      let pending: Buffer = Buffer.alloc(0);
      let sentAt = 0;
      const send = () => {
        if (Date.now() >= deadline) {
          socket.end();
          return;
        }
        const request = options.next();
        const length = request.parts.reduce((sum, part) => sum + part.length, 0);
        const head = Object.entries({ ...request.headers, host: `${hostname}:${port}` }).reduce(
          (text, [name, value]) => `${text}${name}: ${value}\r\n`,
          `${request.method} ${request.path} HTTP/1.1\r\ncontent-length: ${length}\r\n`,
        );
        sentAt = performance.now();
        socket.cork();
        socket.write(`${head}\r\n`, 'latin1');
        for (const part of request.parts) socket.write(part);
        socket.uncork();
      };
      socket.on('connect', send);
      socket.on('data', (chunk: Buffer) => {
        pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
        const headEnd = pending.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const head = pending.subarray(0, headEnd).toString('latin1');
        const length = /\r\ncontent-length: *(\d+)/i.exec(head);
        if (!length) {
          errors++;
          socket.destroy();
          return;
        }
        const end = headEnd + 4 + Number(length[1]);
        if (pending.length < end) return;
        latencies.push(performance.now() - sentAt);
        const status = Number(head.slice(9, 12));
        if (status < 200 || status > 299) non2xx++;
        options.onResponse?.(status, pending.subarray(headEnd + 4, end).toString('utf8'));
        pending = pending.subarray(end);
        send();
      });
      socket.on('error', () => {
        errors++;
      });
      socket.on('close', () => resolve());
    });
  return Promise.all(Array.from({ length: options.connections }, connection)).then(() => {
    clearTimeout(cutOff);
    latencies.sort((a, b) => a - b);
    const at = (q: number) =>
      Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * q))] ?? 0);
    return {
      requests: { average: latencies.length / options.seconds, total: latencies.length },
      latency: { p50: at(0.5), p99: at(0.99) },
      non2xx,
      errors,
    };
  });
}
