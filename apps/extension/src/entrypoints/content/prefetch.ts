import { itemKey, type ItemIdentity } from '../../lib/anchors';
import { ask } from '../../lib/messaging';

/** Keys remembered as already warmed; older ones are forgotten first, so memory stays flat on a long feed. */
const REMEMBERED = 300;
const BATCH = 10;

/**
 * Warms the background's lookups for feed items about to scroll into view, so their buttons show as soon
 * as they arrive. Each item is asked about once (while remembered); items seen together go in one message.
 */
export class Prefetcher {
  private readonly sent = new Set<string>();
  private queue: ItemIdentity[] = [];
  private queued = false;

  add(identity: ItemIdentity | null): void {
    const key = itemKey(identity);
    if (!identity || this.sent.has(key)) return;
    this.sent.add(key);
    if (this.sent.size > REMEMBERED) this.sent.delete(this.sent.values().next().value!);
    this.queue.push(identity);
    if (this.queued) return;
    this.queued = true;
    queueMicrotask(() => {
      this.queued = false;
      const items = this.queue;
      this.queue = [];
      for (let i = 0; i < items.length; i += BATCH) void ask({ type: 'prefetch', items: items.slice(i, i + BATCH) });
    });
  }
}
