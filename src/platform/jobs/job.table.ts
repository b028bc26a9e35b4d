export interface JobTable {
  name: string;
  /** When the job is next due (epoch ms). */
  run_at: number;
  /** A claim is a lease: a server that dies mid-run frees the job when this passes. */
  locked_until: number;
  locked_by: string | null;
  last_run_at: number | null;
  last_error: string | null;
}
