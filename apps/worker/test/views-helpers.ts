import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import app from '../src/index';
import { VIEWS_QUEUE, type ViewMessage } from '../src/funnel/view-queue';
import { ORIGIN, type CallOptions } from './helpers';

/**
 * What the view routes queued on VIEWS when called through `viewCall`. The real local queue (what `call` reaches)
 * hands its messages to the consumer by itself, a second or two later; these wait until a test delivers them
 * (`drainViews`, `deliverViews`), so it says when the consumer runs and how often a message arrives.
 */
export const queuedViews: ViewMessage[] = [];
const viewsQueue = {
  async send(body: ViewMessage) {
    queuedViews.push(structuredClone(body));
  },
  async sendBatch(messages: Iterable<MessageSendRequest<ViewMessage>>) {
    for (const m of messages) queuedViews.push(structuredClone(m.body));
  },
} as unknown as Queue;

/** The worker's environment with VIEWS held by the test. */
export const viewsEnv = (db: D1Database = env.DB): Env => ({ ...env, DB: db, VIEWS: viewsQueue });

const randomIp = () => `10.${[...crypto.getRandomValues(new Uint8Array(3))].join('.')}`;

/** Like `call` (from its own client address unless told), with the view reports held in `queuedViews`. */
export async function viewCall(method: string, path: string, opts: CallOptions = {}) {
  const headers: Record<string, string> = { 'CF-Connecting-IP': randomIp(), ...opts.headers };
  if (opts.token) headers['Authorization'] = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`${ORIGIN}${path}`, { method, headers, body }), viewsEnv(), ctx);
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {}
  return { status: res.status, json, text, headers: res.headers };
}

/** Reports unlock buttons shown from a client address (random unless given), held for delivery. */
export const reportViews = (episodeIds: string[], ip?: string) =>
  viewCall('POST', '/v1/views', { headers: ip ? { 'CF-Connecting-IP': ip } : {}, body: { episodeIds } });

/** Reports a storefront page load from a client address (random unless given), held for delivery. */
export const reportPage = (body: { handle: string; seriesId?: string; source?: string }, ip?: string) =>
  viewCall('POST', '/v1/views/storefront', { headers: ip ? { 'CF-Connecting-IP': ip } : {}, body });

let delivery = 0;
/**
 * Hands these messages to the worker's queue handler as one delivery of the VIEWS queue (as Cloudflare would:
 * `batch.queue` names it); what the consumer acknowledged and retried.
 */
export async function deliverViews(messages: ViewMessage[], opts: { db?: D1Database; attempts?: number } = {}) {
  const batch = createMessageBatch<ViewMessage>(
    VIEWS_QUEUE,
    messages.map((body) => ({ id: `views-${++delivery}`, timestamp: new Date(), attempts: opts.attempts ?? 1, body })),
  );
  const ctx = createExecutionContext();
  await app.queue(batch, viewsEnv(opts.db));
  return getQueueResult(batch, ctx);
}

/**
 * Delivers everything queued, 100 messages at a time (the consumer's max_batch_size), as the queue would; the
 * number of deliveries. A delivery the consumer retried stops the drain, its messages queued again.
 */
export async function drainViews() {
  let deliveries = 0;
  while (queuedViews.length) {
    const messages = queuedViews.splice(0, 100);
    const result = await deliverViews(messages);
    deliveries++;
    if (result.retryMessages.length) {
      queuedViews.unshift(...messages);
      throw new Error(`the VIEWS consumer retried ${result.retryMessages.length} messages`);
    }
  }
  return deliveries;
}
