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
});
