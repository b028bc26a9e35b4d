/**
 * PostgreSQL may abort a transaction that raced another one (a deadlock it broke, or a
 * serialization failure); the transaction did nothing and is safe to run again from the start.
 */
export function isTransientConflict(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return code === '40001' || code === '40P01';
}

/**
 * Runs `attempt` again while it fails with an error `retryable` accepts, up to `tries` times,
 * waiting a little longer (with jitter) each time so the racers stop colliding.
 */
export async function retrying<T>(
  attempt: () => Promise<T>,
  retryable: (error: unknown) => boolean,
  tries = 8,
): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt();
    } catch (error) {
      if (n >= tries || !retryable(error)) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * 2 ** Math.min(n, 6)));
    }
  }
}
