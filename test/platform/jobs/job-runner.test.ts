import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { JobRunner } from '../../../src/platform/jobs/job-runner.js';
import { startTestApp, type TestApp } from '../../helpers/test-app.js';

describe('JobRunner', () => {
  let t: TestApp;
  before(async () => {
    t = await startTestApp();
  });
  after(() => t.close());

  it('runs a due job once across two servers sharing the database, then again after its interval', async () => {
    const runs: string[] = [];
    const job = (server: string) => ({
      name: 'test.shared',
      intervalMs: 60_000,
      run: async () => {
        runs.push(server);
        await new Promise((resolve) => setTimeout(resolve, 20));
      },
    });
    const a = new JobRunner(t.db.kysely, t.clock, [job('a')], () => {}, 'server-a');
    const b = new JobRunner(t.db.kysely, t.clock, [job('b')], () => {}, 'server-b');
    await Promise.all([a.tick(), b.tick()]);
    assert.equal(runs.length, 1);
    await Promise.all([a.tick(), b.tick()]);
    assert.equal(runs.length, 1, 'not due again before its interval');
    t.clock.advance(60_000);
    await Promise.all([a.tick(), b.tick()]);
    assert.equal(runs.length, 2);
  });

  it('records a failure and tries again at the next interval', async () => {
    let attempts = 0;
    const runner = new JobRunner(t.db.kysely, t.clock, [
      {
        name: 'test.flaky',
        intervalMs: 1000,
        run: async () => {
          attempts += 1;
          if (attempts === 1) throw new Error('boom');
        },
      },
    ]);
    assert.deepEqual(await runner.tick(), []);
    const row = await t.db.kysely
      .selectFrom('jobs')
      .selectAll()
      .where('name', '=', 'test.flaky')
      .executeTakeFirstOrThrow();
    assert.equal(row.last_error, 'boom');
    assert.equal(row.locked_by, null);
    t.clock.advance(1000);
    assert.deepEqual(await runner.tick(), ['test.flaky']);
    assert.equal(attempts, 2);
  });

  it('tells the server which job failed and with what, so it is logged', async () => {
    const failures: Array<[string, string]> = [];
    const runner = new JobRunner(
      t.db.kysely,
      t.clock,
      [
        {
          name: 'test.broken',
          intervalMs: 1000,
          run: async () => Promise.reject(new Error('no route to host')),
        },
      ],
      (error, job) => failures.push([job, (error as Error).message]),
    );
    await runner.tick();
    assert.deepEqual(failures, [['test.broken', 'no route to host']]);
    const [status] = (await runner.status()).filter((s) => s.name === 'test.broken');
    assert.deepEqual(status, {
      name: 'test.broken',
      lastRunAt: t.clock.now(),
      lastError: 'no route to host',
      nextRunAt: t.clock.now() + 1000,
      runningOn: null,
    });
  });

  it('on stop, lets the running job finish and starts no other', async () => {
    const ran: string[] = [];
    let release: () => void = () => {};
    const slow = new Promise<void>((resolve) => {
      release = resolve;
    });
    const runner = new JobRunner(t.db.kysely, t.clock, [
      {
        name: 'test.slow',
        intervalMs: 60_000,
        run: async () => {
          await slow;
          ran.push('slow');
        },
      },
      { name: 'test.after', intervalMs: 60_000, run: async () => void ran.push('after') },
    ]);
    runner.start(60_000);
    await new Promise((resolve) => setTimeout(resolve, 50));
    const stopped = runner.stop();
    release();
    await stopped;
    assert.deepEqual(ran, ['slow']);
    const row = await t.db.kysely
      .selectFrom('jobs')
      .selectAll()
      .where('name', '=', 'test.slow')
      .executeTakeFirstOrThrow();
    assert.equal(row.locked_by, null, 'its lease released');
  });
});
