export interface BenchSettings {
  orders: number;
  /** Measured seconds per scenario. */
  seconds: number;
  warmupSeconds: number;
  /** A PostgreSQL server to benchmark too; a fresh database is created on it and dropped. */
  postgresUrl: string | undefined;
}

export function readSettings(env: NodeJS.ProcessEnv): BenchSettings {
  return {
    orders: positive(env.BENCH_ORDERS, 1_000_000, 'BENCH_ORDERS', true),
    seconds: positive(env.BENCH_SECONDS, 10, 'BENCH_SECONDS', true),
    warmupSeconds: 2,
    postgresUrl: env.BENCH_POSTGRES_URL || undefined,
  };
}

function positive(text: string | undefined, fallback: number, name: string, integer: boolean): number {
  if (text === undefined || text === '') return fallback;
  const value = Number(text.replaceAll('_', ''));
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value))) {
    throw new Error(`${name} must be a positive ${integer ? 'integer' : 'number'} (got ${text})`);
  }
  return value;
}
