import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { packageRoot } from '../platform/package-root.js';

/**
 * An H5 page built by `npm ci` / `npm run build` into dist/h5/<name>/: its hashed scripts and
 * styles served under /<name>/assets/ (a browser may keep them: their names carry a hash of
 * their content), and `send`, which answers its index.html. The page is read per request (half a
 * kilobyte): a rebuild names new assets and needs no restart. Its URLs carry a credential or a
 * session's page, so no cache keeps it and no Referer carries the URL away.
 */
export async function h5Page(
  scope: FastifyInstance,
  name: string,
): Promise<(reply: FastifyReply) => Promise<FastifyReply>> {
  const built = path.join(packageRoot(), 'dist', 'h5', name);
  await scope.register(fastifyStatic, {
    root: path.join(built, 'assets'),
    prefix: `/${name}/assets/`,
    decorateReply: false,
    maxAge: '365d',
    immutable: true,
  });
  return async (reply) => {
    const html = await readFile(path.join(built, 'index.html'), 'utf8').catch(() => undefined);
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer');
    if (html === undefined) {
      return reply
        .code(503)
        .type('text/plain; charset=utf-8')
        .send('页面尚未构建：在项目根目录运行 npm run build (The H5 page is not built: run npm run build.)');
    }
    return reply.type('text/html; charset=utf-8').send(html);
  };
}
