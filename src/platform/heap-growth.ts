import v8 from 'node:v8';

/** V8's own flag; a Node whose V8 does not know it would ignore it silently (test/platform/heap-growth.test.ts). */
export const HEAP_GROWTH_FLAG = '--heap-growing-percent';

/**
 * Lets the old generation grow to `percent` above what the last full collection kept before the
 * next one (300: four times), instead of V8's own choice.
 *
 * V8 chooses the growth from how fast it marks against how fast JavaScript allocates; a server
 * that mostly allocates buffers (each parking order brings 2 MB of documents, read, sealed and
 * written) looks to it like a slow allocator with a fast collector, so it picks its minimum (1.1×,
 * plus a few MB). With that little room left, marking starts again as soon as one collection
 * ends: measured on orders with two 1 MB uploads, a full mark-compact every ~100 ms and the
 * marking threads taking about as much CPU as the serving thread. Four times is the most V8
 * grows a large heap by on its own; the cost is memory, up to that multiple of the live heap
 * (FANGTONG_HEAP_GROWTH_PERCENT; 0 leaves it to V8).
 */
export function applyHeapGrowth(percent: number): void {
  if (percent > 0) v8.setFlagsFromString(`${HEAP_GROWTH_FLAG}=${percent}`);
}
