import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyInstance } from 'fastify';

/**
 * The yardstick every ratio is taken against: the cheapest JSON route Fastify serves on this
 * machine, in this process, measured in the same run as the app.
 */
export async function startBareApp(): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify({ logger: false });
  app.get('/bare', async () => ({ hello: 'world' }));
  await app.listen({ host: '127.0.0.1', port: 0 });
  return { app, url: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}` };
}

export const BARE_BODY = '{"hello":"world"}';
