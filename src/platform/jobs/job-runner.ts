import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import type { Database } from '../db/schema.js';

export interface JobDefinition {
  name: string;
  intervalMs: number;
  run(now: number): Promise<void>;
}

const LEASE_MS = 5 * 60_000;

/**
 * Periodic jobs driven from the `jobs` table, so any number of app servers can run the same
 * runner and each due job still runs once: a server claims a job with a conditional UPDATE
 * (only one UPDATE can see it unclaimed), runs it, and schedules the next run.
 */
export class JobRunner {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly clock: Clock,
    private readonly jobs: readonly JobDefinition[],
    private readonly onError: (error: unknown) => void = () => {},
    private readonly owner: string = randomUUID(),
  ) {}

  /** Runs every due job this server could claim; answers their names. */
  async tick(): Promise<string[]> {
    const ran: string[] = [];
    for (const job of this.jobs) {
      const now = this.clock.now();
      await this.db
        .insertInto('jobs')
        .values({
          name: job.name,
          run_at: now,
          locked_until: 0,
          locked_by: null,
          last_run_at: null,
          last_error: null,
        })
        .onConflict((oc) => oc.column('name').doNothing())
        .execute();
      const claim = await this.db
        .updateTable('jobs')
        .set({ locked_until: now + LEASE_MS, locked_by: this.owner })
        .where('name', '=', job.name)
        .where('run_at', '<=', now)
        .where('locked_until', '<=', now)
        .executeTakeFirst();
      if (Number(claim.numUpdatedRows) !== 1) continue;
      let error: string | null = null;
      try {
        await job.run(now);
        ran.push(job.name);
      } catch (cause) {
        error = cause instanceof Error ? cause.message : String(cause);
      }
      await this.db
        .updateTable('jobs')
        .set({
          run_at: now + job.intervalMs,
          locked_until: 0,
          locked_by: null,
          last_run_at: now,
          last_error: error,
        })
        .where('name', '=', job.name)
        .where('locked_by', '=', this.owner)
        .execute();
    }
    return ran;
  }

  start(pollMs: number): void {
    this.timer = setInterval(() => {
      this.running ??= this.tick()
        .catch(this.onError)
        .finally(() => {
          this.running = undefined;
        });
    }, pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }
}
