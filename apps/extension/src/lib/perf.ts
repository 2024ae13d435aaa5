/**
 * How long the content script's own callbacks run (observers, renders), so the benchmark can tell whether a
 * long task on the page is ours, and which of ours it was. Kept in the content script's isolated world: the
 * page cannot see it.
 */
export const callbackStats = { calls: 0, maxMs: 0, longest: '', over16ms: 0, over50ms: 0 };

/** Wraps a callback so its run time is counted in {@link callbackStats} under `name`. */
export function timed<A extends unknown[]>(name: string, fn: (...args: A) => void): (...args: A) => void {
  return (...args) => {
    const start = performance.now();
    try {
      fn(...args);
    } finally {
      const ms = performance.now() - start;
      callbackStats.calls++;
      if (ms > callbackStats.maxMs) {
        callbackStats.maxMs = ms;
        callbackStats.longest = name;
      }
      if (ms > 16) callbackStats.over16ms++;
      if (ms > 50) callbackStats.over50ms++;
    }
  };
}
