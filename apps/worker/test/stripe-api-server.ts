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

async function readForm(req: IncomingMessage): Promise<Record<string, string>> {
  let body = '';
  for await (const chunk of req) body += chunk;
  return Object.fromEntries(new URLSearchParams(body));
}

export default async function setup(project: TestProject) {
  const requests: RecordedRequest[] = [];
  const sessions = new Map<string, Record<string, unknown>>();
  const accounts = new Map<string, { id: string; charges_enabled: boolean }>();
  const idempotent = new Map<string, unknown>();
  const failing = new Map<string, number>();
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
        metadata: { purchase_id: form['metadata[purchase_id]'] },
        client_reference_id: form['client_reference_id'],
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
    if (req.method === 'POST' && url.pathname === '/v1/refunds') {
      return remember({
        id: `re_test${++n}`,
        object: 'refund',
        status: 'succeeded',
        payment_intent: form['payment_intent'],
      });
    }
    send(404, { error: { type: 'invalid_request_error', message: `No route ${req.method} ${url.pathname}` } });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  project.provide('stripeApi', `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`);
  return () => new Promise<void>((resolve) => server.close(() => resolve()));
}
