import { createExecutionContext, createMessageBatch, getQueueResult, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { inject } from 'vitest';
import app from '../src/index';
import type { SaleWindowMessage } from '../src/payments/sale-window';
import { stripeClient } from '../src/payments/stripe-client';
import type { RecordedRequest } from './stripe-api-server';
import { envOverrides, ORIGIN, type CallOptions } from './helpers';

export const WEBHOOK_SECRET = 'whsec_test_0123456789abcdef';

/**
 * What Stripe-mode requests queued on SALE_WINDOW. The real queue would hand them to the consumer with the
 * test-mode environment, so here they wait until a test runs the consumer in Stripe mode (`runSaleWindowQueue`).
 */
export const queuedSaleWindows: SaleWindowMessage[] = [];
const saleWindowQueue = {
  async send(body: SaleWindowMessage) {
    queuedSaleWindows.push(structuredClone(body));
  },
  async sendBatch(messages: Iterable<MessageSendRequest<SaleWindowMessage>>) {
    for (const m of messages) queuedSaleWindows.push(structuredClone(m.body));
  },
} as unknown as Queue;

/** The worker's environment in Stripe mode, talking to the local Stripe stand-in. */
export function stripeEnv(): Env {
  return {
    ...env,
    PAYMENT_PROVIDER: 'stripe',
    STRIPE_SECRET_KEY: 'sk_test_series',
    STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET,
    STRIPE_API_BASE: inject('stripeApi'),
    SALE_WINDOW: saleWindowQueue,
    // A test's own settings (`setEnvOverrides`, e.g. STRIPE_TAX) apply in Stripe mode too.
    ...envOverrides(),
  };
}

let delivery = 0;
/**
 * Delivers what is queued on SALE_WINDOW to the worker's queue handler in Stripe mode, as the queue would, until
 * nothing is left (a consumer may queue a follow-up); what it did with each message, batch by batch.
 */
export async function runSaleWindowQueue(attempts = 1) {
  const outcomes: { messages: SaleWindowMessage[]; result: Awaited<ReturnType<typeof getQueueResult>> }[] = [];
  while (queuedSaleWindows.length) {
    const messages = queuedSaleWindows.splice(0).map((body) => ({ id: `msg-${++delivery}`, body }));
    const batch = createMessageBatch<SaleWindowMessage>(
      'series-sale-window',
      messages.map((m) => ({ ...m, timestamp: new Date(), attempts })),
    );
    const ctx = createExecutionContext();
    await app.queue(batch, stripeEnv());
    const result = await getQueueResult(batch, ctx);
    outcomes.push({ messages: messages.map((m) => m.body), result });
    // Retried messages wait for the next run, as the queue would redeliver them later.
    const retried = new Set(result.retryMessages.map((r) => r.msgId));
    if (retried.size) {
      queuedSaleWindows.push(...messages.filter((m) => retried.has(m.id)).map((m) => m.body));
      break;
    }
  }
  return outcomes;
}

/** Makes the Stripe stand-in answer the next `count` requests to `path` with a 500, as an unreachable Stripe. */
export async function failStripe(path: string, count: number) {
  await fetch(`${inject('stripeApi')}/__fail`, {
    method: 'POST',
    body: new URLSearchParams({ path, count: String(count) }),
  });
}

/** Sets a session's state at the Stripe stand-in (`complete`: the buyer paid, so it can no longer be expired). */
export async function setSessionStatus(sessionId: string, status: string) {
  await fetch(`${inject('stripeApi')}/__sessions/${sessionId}`, {
    method: 'POST',
    body: new URLSearchParams({ status }),
  });
}

/** Like `call`, against the same D1 and R2 but with Stripe configured. */
export async function stripeCall(method: string, path: string, opts: CallOptions = {}) {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers['Authorization'] = `Bearer ${opts.token}`;
  let body: string | undefined;
  if (opts.raw !== undefined) body = opts.raw;
  else if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['Content-Type'] ??= 'application/json';
  }
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(`${ORIGIN}${path}`, { method, headers, body, redirect: 'manual' }),
    stripeEnv(),
    ctx,
  );
  await waitOnExecutionContext(ctx);
  const text = await res.text();
  let json: any = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {}
  return { status: res.status, json, text, headers: res.headers };
}

export async function stripeRequests(): Promise<RecordedRequest[]> {
  return (await fetch(`${inject('stripeApi')}/__requests`)).json();
}

export async function setChargesEnabled(accountId: string, enabled: boolean) {
  await fetch(`${inject('stripeApi')}/__accounts/${accountId}`, {
    method: 'POST',
    body: new URLSearchParams({ charges_enabled: String(enabled) }),
  });
}

let seq = 0;
export const stripeId = (prefix: string) =>
  `${prefix}_${Date.now().toString(36)}${(++seq).toString(36)}${crypto.randomUUID().slice(0, 6)}`;

export function event(type: string, object: Record<string, unknown>, created = Math.floor(Date.now() / 1000)) {
  return {
    id: stripeId('evt'),
    object: 'event',
    api_version: '2025-01-01',
    created,
    livemode: false,
    pending_webhooks: 0,
    request: null,
    type,
    data: { object },
  };
}

/** Delivers an event as Stripe would: JSON body signed with the webhook secret (or another one). */
export async function deliver(
  evt: unknown,
  opts: { secret?: string; timestamp?: number; tamper?: (body: string) => string } = {},
) {
  const payload = JSON.stringify(evt);
  const header = await stripeClient(
    stripeEnv() as Env & { STRIPE_SECRET_KEY: string },
  ).webhooks.generateTestHeaderStringAsync({
    payload,
    secret: opts.secret ?? WEBHOOK_SECRET,
    timestamp: opts.timestamp ?? Math.floor(Date.now() / 1000),
  });
  return stripeCall('POST', '/v1/webhooks/stripe', {
    raw: opts.tamper ? opts.tamper(payload) : payload,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Stripe-Signature': header },
  });
}

export const sessionCompleted = (
  purchaseId: string,
  paymentIntent: string,
  sessionId = stripeId('cs'),
  created?: number,
) =>
  event(
    'checkout.session.completed',
    {
      id: sessionId,
      object: 'checkout.session',
      payment_status: 'paid',
      payment_intent: paymentIntent,
      client_reference_id: purchaseId,
      metadata: { purchase_id: purchaseId },
    },
    created,
  );

export const refundEvent = (paymentIntent: string, amount: number, id = stripeId('re'), created?: number) =>
  event(
    'refund.created',
    {
      id,
      object: 'refund',
      amount,
      payment_intent: paymentIntent,
      status: 'succeeded',
      created: created ?? Math.floor(Date.now() / 1000),
    },
    created,
  );

/** Stripe's later word on a refund: it failed (or was cancelled) and no money went back. */
export const refundFailedEvent = (
  paymentIntent: string,
  amount: number,
  id: string,
  created?: number,
  status = 'failed',
) =>
  event(
    'refund.updated',
    {
      id,
      object: 'refund',
      amount,
      payment_intent: paymentIntent,
      status,
      created: created ?? Math.floor(Date.now() / 1000),
    },
    created,
  );

export const disputeEvent = (
  type: 'charge.dispute.created' | 'charge.dispute.closed',
  paymentIntent: string,
  amount: number,
  status: string,
  id: string,
  created?: number,
) =>
  event(
    type,
    {
      id,
      object: 'dispute',
      amount,
      payment_intent: paymentIntent,
      status,
      created: created ?? Math.floor(Date.now() / 1000),
    },
    created,
  );
