// A stand-in for api.stripe.com on loopback, started once by vitest's globalSetup (in Node). It answers the
// calls the worker makes and records each request so tests can assert what was sent.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { TestProject } from 'vitest/node';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  form: Record<string, string>;
}

declare module 'vitest' {
  export interface ProvidedContext {
    stripeApi: string;
  }
}

let server: Server;

/** A form's `prefix[key]` fields as the object Stripe makes of them (`metadata[creator_id]` → `{ creator_id }`). */
function hashOf(form: Record<string, string>, prefix: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(form)) {
    if (name.startsWith(`${prefix}[`) && name.endsWith(']') && !name.slice(prefix.length + 1, -1).includes('[')) {
      out[name.slice(prefix.length + 1, -1)] = value;
    }
  }
  return out;
}

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

export default async function setup(project: TestProject) {
  const requests: RecordedRequest[] = [];
  const sessions = new Map<string, Record<string, unknown>>();
  const accounts = new Map<string, { id: string; charges_enabled: boolean }>();
  const paymentIntents = new Map<string, Record<string, unknown>>();
  const idempotent = new Map<string, unknown>();
  const failing = new Map<string, number>();
  // Separate charges and transfers (tax on): the transfers made, with their reversals, as Stripe keeps them.
  const transfers = new Map<string, Record<string, any>>();
  let n = 0;

  server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://stripe.test');
    const form = req.method === 'POST' ? await readForm(req) : {};
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'Content-Type': 'application/json', 'Request-Id': `req_${++n}` });
      res.end(JSON.stringify(body));
    };
    if (url.pathname === '/__requests') return send(200, requests);
    // Test controls: set a session's state as Stripe would once the buyer pays (`status=complete`), and make the
    // next `count` requests to a path fail as an unreachable Stripe would (500).
    // `/__sessions/:id/pay`: the buyer pays, as at Stripe: the session completes with a PaymentIntent carrying
    // the session's `payment_intent_data.metadata`, which `GET /v1/payment_intents/:id` then answers.
    const paySwitch = url.pathname.match(/^\/__sessions\/([^/]+)\/pay$/);
    if (paySwitch) {
      const session = sessions.get(paySwitch[1]!);
      if (!session) return send(404, null);
      const intent = {
        id: `pi_test_${++n}`,
        object: 'payment_intent',
        status: 'succeeded',
        amount: session['amount_total'],
        currency: session['currency'],
        metadata: session['payment_intent_metadata'],
        // Its charge: what a separate charge's transfer names as its source_transaction.
        latest_charge: `ch_test_${n}`,
      };
      paymentIntents.set(intent.id, intent);
      Object.assign(session, { status: 'complete', payment_status: 'paid', payment_intent: intent.id });
      return send(200, session);
    }
    const sessionSwitch = url.pathname.match(/^\/__sessions\/([^/]+)$/);
    if (sessionSwitch) {
      const session = sessions.get(sessionSwitch[1]!);
      if (session && form['status']) session['status'] = form['status'];
      return send(200, session ?? null);
    }
    if (url.pathname === '/__fail') {
      failing.set(form['path'] ?? '', Number(form['count'] ?? 1));
      return send(200, {});
    }
    const failures = failing.get(url.pathname) ?? 0;
    if (failures > 0) {
      failing.set(url.pathname, failures - 1);
      requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, form });
      return send(500, { error: { type: 'api_error', message: 'Stripe is having a bad day (stand-in)' } });
    }
    const accountSwitch = url.pathname.match(/^\/__accounts\/([^/]+)$/);
    if (accountSwitch) {
      const account = accounts.get(accountSwitch[1]!);
      if (account) account.charges_enabled = form['charges_enabled'] === 'true';
      return send(200, account ?? null);
    }
    requests.push({ method: req.method ?? '', path: url.pathname, headers: req.headers, form });
    const key = req.headers['idempotency-key'];
    if (typeof key === 'string' && idempotent.has(`${url.pathname}:${key}`)) {
      return send(200, idempotent.get(`${url.pathname}:${key}`));
    }
    const remember = (body: unknown) => {
      if (typeof key === 'string') idempotent.set(`${url.pathname}:${key}`, body);
      send(200, body);
    };
    let m: RegExpMatchArray | null;
    if (req.method === 'POST' && url.pathname === '/v1/checkout/sessions') {
      const id = `cs_test_${++n}`;
      const session = {
        id,
        object: 'checkout.session',
        status: 'open',
        payment_status: 'unpaid',
        url: `https://checkout.stripe.test/c/pay/${id}`,
        metadata: hashOf(form, 'metadata'),
        client_reference_id: form['client_reference_id'],
        payment_intent: null,
        amount_total: Number(form['line_items[0][price_data][unit_amount]']),
        currency: form['line_items[0][price_data][currency]'],
        // Not part of Stripe's session object: what its PaymentIntent will carry once paid.
        payment_intent_metadata: hashOf(form, 'payment_intent_data[metadata]'),
      };
      sessions.set(id, session);
      return remember(session);
    }
    if (req.method === 'POST' && (m = url.pathname.match(/^\/v1\/checkout\/sessions\/([^/]+)\/expire$/))) {
      const session = sessions.get(m[1]!);
      if (!session) return send(404, { error: { type: 'invalid_request_error', message: 'No such session' } });
      // As Stripe does: only an open session can be expired.
      if (session['status'] !== 'open') {
        return send(400, {
          error: {
            type: 'invalid_request_error',
            message: `Only Checkout Sessions with a status in [open] can be expired; this one is ${String(session['status'])}`,
          },
        });
      }
      session['status'] = 'expired';
      return send(200, session);
    }
    if (req.method === 'POST' && url.pathname === '/v1/accounts') {
      const account = { id: `acct_test${++n}`, object: 'account', charges_enabled: false };
      accounts.set(account.id, account);
      return remember(account);
    }
    if (req.method === 'GET' && (m = url.pathname.match(/^\/v1\/accounts\/([^/]+)$/))) {
      const account = accounts.get(m[1]!);
      return account
        ? send(200, { object: 'account', ...account })
        : send(404, { error: { message: 'No such account' } });
    }
    if (req.method === 'POST' && url.pathname === '/v1/account_links') {
      return send(200, { object: 'account_link', url: `https://connect.stripe.test/setup/${form['account']}` });
    }
    if (req.method === 'POST' && url.pathname === '/v1/transfers') {
      const id = `tr_test${++n}`;
      const transfer = {
        id,
        object: 'transfer',
        amount: Number(form['amount']),
        amount_reversed: 0,
        currency: form['currency'],
        destination: form['destination'],
        source_transaction: form['source_transaction'] ?? null,
        transfer_group: form['transfer_group'] ?? null,
        metadata: { purchase_id: form['metadata[purchase_id]'] },
        reversed: false,
        reversals: { object: 'list', data: [] as unknown[], has_more: false, url: `/v1/transfers/${id}/reversals` },
      };
      transfers.set(id, transfer);
      return remember(transfer);
    }
    if (req.method === 'GET' && url.pathname === '/v1/transfers') {
      const group = url.searchParams.get('transfer_group');
      const data = [...transfers.values()].filter((t) => group === null || t['transfer_group'] === group);
      return send(200, { object: 'list', data: data.reverse(), has_more: false, url: '/v1/transfers' });
    }
    if (req.method === 'POST' && (m = url.pathname.match(/^\/v1\/transfers\/([^/]+)\/reversals$/))) {
      const transfer = transfers.get(m[1]!);
      if (!transfer) return send(404, { error: { type: 'invalid_request_error', message: 'No such transfer' } });
      const amount =
        form['amount'] === undefined ? transfer['amount'] - transfer['amount_reversed'] : Number(form['amount']);
      // As Stripe does: never more than is left of the transfer.
      if (amount > transfer['amount'] - transfer['amount_reversed']) {
        return send(400, {
          error: { type: 'invalid_request_error', message: 'Amount exceeds the transfer amount not yet reversed' },
        });
      }
      const reversal = {
        id: `trr_test${++n}`,
        object: 'transfer_reversal',
        amount,
        currency: transfer['currency'],
        transfer: transfer['id'],
        metadata: { purchase_id: form['metadata[purchase_id]'] },
        source_refund: null,
        destination_payment_refund: null,
      };
      transfer['amount_reversed'] += amount;
      transfer['reversed'] = transfer['amount_reversed'] === transfer['amount'];
      transfer['reversals'].data.push(reversal);
      return remember(reversal);
    }
    if (req.method === 'POST' && url.pathname === '/v1/refunds') {
      return remember({
        id: `re_test${++n}`,
        object: 'refund',
        status: 'succeeded',
        payment_intent: form['payment_intent'],
        metadata: hashOf(form, 'metadata'),
      });
    }
    if (req.method === 'GET' && (m = url.pathname.match(/^\/v1\/payment_intents\/([^/]+)$/))) {
      const intent = paymentIntents.get(m[1]!);
      // Stripe's answer for an id it does not know.
      return intent
        ? send(200, intent)
        : send(404, {
            error: {
              type: 'invalid_request_error',
              code: 'resource_missing',
              param: 'intent',
              message: `No such payment_intent: '${m[1]}'`,
            },
          });
    }
    send(404, { error: { type: 'invalid_request_error', message: `No route ${req.method} ${url.pathname}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  project.provide('stripeApi', `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
