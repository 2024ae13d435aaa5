import { startWorker } from '@series/worker/test-server';
import { mkdirSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const RESULTS = new URL('../../test-results/', import.meta.url).pathname;
export const DEMO_PASSWORD = 'series-demo-pass';

export interface Stack {
  /** The dashboard as the worker serves it (the production build in its static assets): `<worker>/dashboard`. */
  dashboard: string;
  /** The worker itself, for what a viewer's client would call directly. */
  api: string;
  browser: Browser;
  stop(): Promise<void>;
}

/**
 * The real thing, locally: `wrangler dev` on a fresh D1 and R2 with the demo data, serving the API, the
 * checkout pages and the built dashboard (test/build.global.ts) on one origin, as in production; and Debian's
 * Chromium (never a downloaded browser).
 */
export async function startStack(): Promise<Stack> {
  mkdirSync(RESULTS, { recursive: true });
  const worker = await startWorker();
  let browser: Browser;
  try {
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
  } catch (err) {
    await worker.stop();
    throw err;
  }
  return {
    dashboard: `${worker.url}/dashboard`,
    api: worker.url,
    browser,
    async stop() {
      await browser.close().catch(() => undefined);
      await worker.stop();
    },
  };
}

/** A viewer buying through the API, as the extension would: returns the test checkout page to pay on. */
export async function startCheckoutAsViewer(api: string, episodeId: string): Promise<string> {
  const login = await fetch(`${api}/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'viewer@series.test', password: DEMO_PASSWORD }),
  });
  if (!login.ok) throw new Error(`viewer login: ${login.status} ${await login.text()}`);
  const { token } = (await login.json()) as { token: string };
  const checkout = await fetch(`${api}/v1/checkout`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${token}`,
      'idempotency-key': crypto.randomUUID(),
    },
    body: JSON.stringify({ episodeId }),
  });
  if (checkout.status !== 201) throw new Error(`checkout: ${checkout.status} ${await checkout.text()}`);
  return ((await checkout.json()) as { checkoutUrl: string }).checkoutUrl;
}
