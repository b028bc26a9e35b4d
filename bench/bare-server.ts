import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import multipart from '@fastify/multipart';
import Fastify from 'fastify';

// The yardstick: the cheapest JSON route Fastify serves on this machine, in its own process
// like the real server.
const app = Fastify({ logger: false });
app.get('/bare', async () => ({ hello: 'world' }));
// The same answer to a POST whose JSON body Fastify parses (a parking read's request shape).
app.post('/bare', async () => ({ hello: 'world' }));

// The upload's yardstick: a multipart body read part by part, each file written whole to a new
// file under BARE_UPLOADS_DIR and flushed to disk before the answer — what any server that keeps
// the files it acknowledges must do, and nothing more (no check, no seal, no database).
const uploads = process.env.BARE_UPLOADS_DIR;
if (uploads) {
  await app.register(multipart);
  app.post('/bare-upload', async (request) => {
    let files = 0;
    for await (const part of request.parts()) {
      if (part.type !== 'file') continue;
      const bytes = await part.toBuffer();
      await fs.promises.writeFile(path.join(uploads, randomUUID()), bytes, { flag: 'wx', flush: true });
      files++;
    }
    return { files };
  });
}
await app.listen({ host: '127.0.0.1', port: Number(process.env.PORT) });
