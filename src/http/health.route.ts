import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import type { Db } from '../database.js';
import type { JobRunner } from '../platform/jobs/job-runner.js';

/** GET /healthz: the database answers, and each job's last and next run (for the proxy and operators). */
export function healthRoute(app: FastifyInstance, db: Db, jobs: JobRunner): void {
  app.get('/healthz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(db.kysely);
      return { status: 'ok', database: db.dialect, jobs: await jobs.status() };
    } catch {
      return reply.status(503).send({ status: 'unavailable', database: db.dialect });
    }
  });
}
