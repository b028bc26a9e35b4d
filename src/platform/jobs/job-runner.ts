import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../clock.js';
import { tablesOf } from '../db/tables-of.js';
import type { JobTable } from './job.table.js';

export interface JobTables {
  jobs: JobTable;
}

export interface JobDefinition {
  name: string;
  intervalMs: number;
  run(now: number): Promise<void>;
}

const LEASE_MS = 5 * 60_000;

export interface JobStatus {
  name: string;
  lastRunAt: number | null;
  lastError: string | null;
  nextRunAt: number | null;
  /** The server holding the job right now, if one is running it. */
  runningOn: string | null;
}

/**
 * Periodic jobs driven from the `jobs` table, so any number of app servers can run the same
 * runner and each due job still runs once: a server claims a job with a conditional UPDATE
 * (only one UPDATE can see it unclaimed), runs it, and schedules the next run.
 */
export class JobRunner<DB extends JobTables = JobTables> {
  private readonly db: Kysely<JobTables>;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopping = false;

  constructor(
    db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly jobs: readonly JobDefinition[],
    /** A job that threw, or a tick the database refused; `job` names which. */
    private readonly onError: (error: unknown, job: string) => void = () => {},
    private readonly owner: string = randomUUID(),
  ) {
    this.db = tablesOf<JobTables>()(db);
  }

  /** Runs every due job this server could claim; answers their names. */
  async tick(): Promise<string[]> {
    const ran: string[] = [];
    for (const job of this.jobs) {
      if (this.stopping) break;
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
        this.onError(cause, job.name);
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

  /** Each job's schedule and last outcome, as the jobs table holds them for every server. */
  async status(): Promise<JobStatus[]> {
    const rows = new Map(
      (await this.db.selectFrom('jobs').selectAll().execute()).map((row) => [row.name, row] as const),
    );
    return this.jobs.map(({ name }) => {
      const row = rows.get(name);
      // A job no server has run yet is due at once.
      if (!row) return { name, lastRunAt: null, lastError: null, nextRunAt: null, runningOn: null };
      return {
        name,
        lastRunAt: row.last_run_at === null ? null : Number(row.last_run_at),
        lastError: row.last_error,
        nextRunAt: Number(row.run_at),
        runningOn: Number(row.locked_until) > this.clock.now() ? row.locked_by : null,
      };
    });
  }

  /** Ticks every `pollMs` (the first tick at once); a tick never overlaps the previous one. */
  start(pollMs: number): void {
    const tick = () => {
      this.running ??= this.tick()
        .catch((error: unknown) => this.onError(error, 'tick'))
        .finally(() => {
          this.running = undefined;
        });
    };
    this.timer = setInterval(tick, pollMs);
    this.timer.unref();
    tick();
  }

  /** No new job starts; the one running finishes. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearInterval(this.timer);
    await this.running;
  }
}
