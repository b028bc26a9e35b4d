/**
 * Sessions the database confirmed a moment ago, kept for a few seconds so that a clerk's burst
 * of requests (a page load fires several) costs one session lookup instead of one per request.
 *
 * The price is bounded staleness, and only across servers: a session ended on this server is
 * forgotten here at once, one ended on another server stays usable here for at most `ttlMs`.
 * An entry never outlives the session itself.
 */
export class SessionCache<T> {
  readonly #entries = new Map<string, { value: T; until: number }>();

  constructor(
    readonly ttlMs: number,
    readonly capacity = 10_000,
  ) {}

  get(key: string, now: number): T | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.until <= now) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  set(key: string, value: T, now: number, sessionExpiresAt: number): void {
    if (this.ttlMs <= 0) return;
    // Insertion order is age order, so the first key is the oldest entry to give up.
    if (this.#entries.size >= this.capacity && !this.#entries.has(key)) {
      this.#entries.delete(this.#entries.keys().next().value as string);
    }
    this.#entries.set(key, { value, until: Math.min(now + this.ttlMs, sessionExpiresAt) });
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }
}
