import { utcDay } from '../lib/time.js';
import { applyViews, type ViewReports } from './queries.js';

/**
 * View reports off the request path. `POST /v1/views` and `/v1/views/storefront` are the platform's unbounded
 * writes (every feed scroll, every page load), so the request writes nothing to D1: it marks each view (marks.ts)
 * and queues one message on the `VIEWS` Cloudflare Queue (wrangler.jsonc). The consumer counts up to 100 messages
 * in one D1 batch (applyViews): a burst of reports becomes a few writes, and the counts stay exact, as each
 * message carries an id recorded in that same batch (a message delivered twice, or retried after its batch
 * committed, moves nothing) and each view a mark (once per client address and day).
 */
export const VIEWS_QUEUE = 'series-views';

/**
 * How long the ids of applied messages are kept, in days: past the queue's message retention (4 days by default,
 * the retention `wrangler queues create series-views` gives), so no message can come back once its id is gone.
 * Raise it with the queue's retention.
 */
export const VIEW_MESSAGE_DAYS = 5;

export type ViewMessage =
  /** Unlock buttons shown: each episode with its mark. */
  | { v: 1; id: string; day: string; kind: 'episodes'; views: [episodeId: string, mark: string][] }
  /** A storefront page load (a creator's page, or a series'), with the link's source ('' for none). */
  | {
      v: 1;
      id: string;
      day: string;
      kind: 'page';
      handle: string;
      seriesId: string | null;
      source: string;
      mark: string;
    };

/** A report before it is queued: `v` and `id` are the producer's. */
type Report<M> = M extends ViewMessage ? Omit<M, 'v' | 'id'> : never;
export type ViewReport = Report<ViewMessage>;

/** Queues a report for counting; its id is made here, once, so every delivery of it carries the same one. */
export async function queueViews(queue: Queue, report: ViewReport): Promise<void> {
  const message = { v: 1, id: crypto.randomUUID(), ...report } as ViewMessage;
  await queue.send(message, { contentType: 'json' });
}

const isString = (x: unknown): x is string => typeof x === 'string' && x.length > 0;
const isDay = (x: unknown): x is string => typeof x === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(x);

/** Whether a message body is one this consumer understands (anything else is dropped, never retried forever). */
export function isViewMessage(body: unknown): body is ViewMessage {
  if (typeof body !== 'object' || body === null) return false;
  const m = body as Record<string, unknown>;
  if (m['v'] !== 1 || !isString(m['id']) || !isDay(m['day'])) return false;
  if (m['kind'] === 'episodes')
    return Array.isArray(m['views']) && m['views'].every((v) => Array.isArray(v) && isString(v[0]) && isString(v[1]));
  return (
    m['kind'] === 'page' &&
    isString(m['handle']) &&
    (m['seriesId'] === null || isString(m['seriesId'])) &&
    typeof m['source'] === 'string' &&
    isString(m['mark'])
  );
}

/** The rows applyViews counts, from the messages of one delivery. */
export function viewReports(messages: readonly ViewMessage[]): ViewReports {
  const reports: ViewReports = { messages: [], episodes: [], pages: [] };
  for (const m of messages) {
    reports.messages.push({ id: m.id, day: m.day });
    if (m.kind === 'episodes') {
      for (const [episodeId, mark] of m.views) reports.episodes.push({ message: m.id, day: m.day, episodeId, mark });
    } else {
      const { handle, seriesId, source, mark } = m;
      reports.pages.push({ message: m.id, day: m.day, handle, seriesId, source, mark });
    }
  }
  return reports;
}

/**
 * The `VIEWS` queue's consumer: the whole delivery in one D1 batch, acknowledged once it committed. When D1
 * fails, every message is delivered again later (with a growing delay) and nothing was written, as a batch is
 * one transaction; a message that committed but whose acknowledgement was lost comes back and finds its id.
 */
export async function consumeViews(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const readable: Message<ViewMessage>[] = [];
  for (const message of batch.messages) {
    if (isViewMessage(message.body)) readable.push(message as Message<ViewMessage>);
    else {
      console.error('dropping a view message this consumer cannot read', message.id);
      message.ack();
    }
  }
  if (!readable.length) return;
  try {
    await applyViews(env.DB, viewReports(readable.map((m) => m.body)));
    for (const message of readable) message.ack();
  } catch (err) {
    console.error('counting views failed; retrying', err);
    for (const message of readable) {
      message.retry({ delaySeconds: Math.min(10 * 2 ** (message.attempts - 1), 3600) });
    }
  }
}

/** The first day whose applied message ids are still kept, `now` being the hourly job's time. */
export const keptViewMessagesFrom = (now: number) => utcDay(now - VIEW_MESSAGE_DAYS * 86_400_000);
