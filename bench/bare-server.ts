import Fastify from 'fastify';

// The yardstick: the cheapest JSON route Fastify serves on this machine, in its own process
// like the real server.
const app = Fastify({ logger: false });
app.get('/bare', async () => ({ hello: 'world' }));
// The same answer to a POST whose JSON body Fastify parses (a parking read's request shape).
app.post('/bare', async () => ({ hello: 'world' }));
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
