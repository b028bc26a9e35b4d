import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { runSharedBody } from '../../bench/shared-body-client.js';

/** A server that keeps every request it was sent and answers the path's status with a JSON body. */
async function recordingServer() {
  const received: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders; body: Buffer }> =
    [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks);
      received.push({ method: request.method!, url: request.url!, headers: request.headers, body });
      const status = request.url === '/refuse' ? 409 : 200;
      const answer = JSON.stringify({ n: received.length, bytes: body.length });
      if (request.url === '/chunked') {
        // Written before its end: Node sends it chunked, without a length.
        response.write(answer);
        response.end();
        return;
      }
      // With its length, as Fastify answers (the client reads no chunked answer).
      response.writeHead(status, {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(answer),
      });
      response.end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, received, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Two connections for 0.3 s, each request a one-byte POST to `path`; and how many requests the server got. */
async function briefRun(path: string) {
  const server = await recordingServer();
  try {
    const result = await runSharedBody(server.url, {
      connections: 2,
      seconds: 0.3,
      next: () => ({ method: 'POST', path, headers: {}, parts: [Buffer.from('x')] }),
    });
    return { result, received: server.received.length };
  } finally {
    await server.close();
  }
}

describe('runSharedBody', () => {
  it('sends each request its own head then the shared parts, whole, and hands every answer over', async () => {
    const server = await recordingServer();
    const shared = Buffer.alloc(300_000, 0x61);
    let sent = 0;
    const answers: Array<{ status: number; body: string }> = [];
    try {
      const result = await runSharedBody(server.url, {
        connections: 3,
        seconds: 1,
        next: () => {
          sent += 1;
          return {
            method: 'POST',
            path: '/orders',
            headers: { 'content-type': 'application/octet-stream', 'x-request': String(sent) },
            parts: [Buffer.from(`req-${String(sent).padStart(4, '0')}`), shared],
          };
        },
        onResponse: (status, body) => answers.push({ status, body }),
      });
      assert.ok(result.requests.total > 3, `only ${result.requests.total} requests in a second`);
      assert.equal(result.requests.total, server.received.length);
      assert.equal(result.requests.average, result.requests.total);
      assert.equal(answers.length, result.requests.total);
      assert.equal(result.non2xx, 0);
      assert.equal(result.errors, 0);
      assert.ok(result.latency.p50 <= result.latency.p99);
      for (const request of server.received) {
        assert.equal(request.method, 'POST');
        assert.equal(request.url, '/orders');
        const n = request.headers['x-request'] as string;
        assert.equal(request.body.length, 8 + shared.length);
        assert.equal(request.body.subarray(0, 8).toString(), `req-${n.padStart(4, '0')}`);
        assert.ok(request.body.subarray(8).equals(shared));
      }
      assert.deepEqual(
        answers.map((a) => a.status),
        answers.map(() => 200),
      );
      assert.ok(answers.every((a) => JSON.parse(a.body).bytes === 8 + shared.length));
    } finally {
      await server.close();
    }
  });

  it('counts answers outside 2xx', async () => {
    const { result } = await briefRun('/refuse');
    assert.ok(result.requests.total > 0);
    assert.equal(result.non2xx, result.requests.total);
  });

  it('counts an answer it cannot read (no Content-Length) as an error and ends that connection', async () => {
    const { result, received } = await briefRun('/chunked');
    assert.equal(result.requests.total, 0);
    assert.equal(result.errors, 2);
    assert.equal(received, 2);
  });
});
