/** At most this many ids per report (the API's limit). */
export const VIEWS_BATCH_MAX = 50;

/**
 * Collects the episode ids of unlock buttons shown and reports them in batches: one request per `delayMs`
 * at most, carrying no token and nothing else, so a report cannot be tied to a viewer or to one page view.
 */
export class ViewsReporter {
  private queue = new Set<string>();
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly send: (episodeIds: string[]) => Promise<void>,
    private readonly delayMs = 2_000,
  ) {}

  /** Queues ids; returns how many are waiting. */
  add(episodeIds: string[]): number {
    for (const id of episodeIds) this.queue.add(id);
    if (this.queue.size >= VIEWS_BATCH_MAX) void this.flush();
    else this.timer ??= setTimeout(() => void this.flush(), this.delayMs);
    return this.queue.size;
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    // What is queued now; ids that arrive while these are sent wait for the next timer, so a steady stream of
    // buttons (a feed) still makes one request per delay, not one per send.
    const ids = [...this.queue];
    this.queue.clear();
    for (let i = 0; i < ids.length; i += VIEWS_BATCH_MAX) {
      try {
        await this.send(ids.slice(i, i + VIEWS_BATCH_MAX));
      } catch {
        // Funnel counts are best effort: a lost batch is not worth retrying into a flood.
      }
    }
  }
}
