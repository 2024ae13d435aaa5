import { startWorker } from '@series/worker/test-server';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { chromium, type Browser } from 'playwright-core';
import { preview, type PreviewServer } from 'vite';

export const RESULTS = new URL('../../test-results/', import.meta.url).pathname;
export const DEMO_PASSWORD = 'series-demo-pass';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
    server.on('error', reject);
  });
}

export interface Stack {
  /** The dashboard (production build, served by `vite preview`), proxying /v1 and /checkout to the worker. */
  dashboard: string;
  /** The worker itself, for what a viewer's client would call directly. */
  api: string;
  browser: Browser;
  stop(): Promise<void>;
}

/**
 * The real thing, locally: `wrangler dev` on a fresh D1 and R2 with the demo data, the built dashboard in
 * front of it on its own origin (listed in APP_ORIGINS, so cookie writes pass the CSRF check), and Debian's
 * Chromium (never a downloaded browser).
 */
export async function startStack(): Promise<Stack> {
  mkdirSync(RESULTS, { recursive: true });
  const port = await freePort();
  const dashboard = `http://127.0.0.1:${port}`;
  const worker = await startWorker({ vars: { APP_ORIGINS: dashboard } });
  let server: PreviewServer | undefined;
  let browser: Browser | undefined;
  try {
    // vite.config.ts reads the proxy target from here.
    process.env['SERIES_API_URL'] = worker.url;
    server = await preview({
      root: new URL('../..', import.meta.url).pathname,
      preview: { port, strictPort: true, host: '127.0.0.1' },
      logLevel: 'warn',
    });
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
    });
  } catch (err) {
    await server?.close();
    await worker.stop();
    throw err;
  }
  const opened = { server, browser };
  return {
    dashboard,
    api: worker.url,
    browser: opened.browser,
    async stop() {
      await opened.browser.close().catch(() => undefined);
      await opened.server.close().catch(() => undefined);
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
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'idempotency-key': crypto.randomUUID() },
    body: JSON.stringify({ episodeId }),
  });
  if (checkout.status !== 201) throw new Error(`checkout: ${checkout.status} ${await checkout.text()}`);
  return ((await checkout.json()) as { checkoutUrl: string }).checkoutUrl;
}
