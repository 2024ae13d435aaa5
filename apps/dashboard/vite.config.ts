import preact from '@preact/preset-vite';
import { defineConfig, type Plugin, type ProxyOptions } from 'vite';

/** The worker that `npm start` runs (apps/worker/scripts/dev.mjs, on PORT); override with SERIES_API_URL. */
const API = process.env.SERIES_API_URL ?? `http://127.0.0.1:${process.env.PORT ?? 8787}`;

/**
 * The dev server (hot reload) stands in for the worker's origin: the dashboard calls its own origin and Vite
 * forwards the API and the test checkout page to the worker, so the session cookie is first-party and every
 * write carries the dashboard's Origin, which the worker's CSRF check accepts (APP_ORIGINS). The Host header
 * is kept, so checkout links point back here too. The built dashboard needs none of this: the worker serves it.
 */
function apiProxy(target: string): Record<string, ProxyOptions> {
  return {
    '/v1': { target },
    '/checkout': { target },
    '/healthz': { target },
    // The storefront, so the links the dashboard hands out (`<this origin>/@handle…`) open here too. Vite's own
    // `/@vite/`, `/@fs/` and `/@id/` addresses live under the base (/dashboard/), never at the root.
    '^/@[A-Za-z0-9_.]': { target },
    '/storefront/': { target },
    '/library': { target },
    '/receipts/': { target },
    // The pages of account mails' links, and the local outbox they are read in.
    '/forgot-password': { target },
    '/reset-password': { target },
    '/verify-email': { target },
    '/outbox': { target },
  };
}

/** `npm start` runs every workspace through turbo; this line makes the dashboard easy to find in that output. */
function announceUrl(): Plugin {
  return {
    name: 'series:announce-url',
    configureServer(server) {
      server.httpServer?.once('listening', () => {
        const port = server.config.server.port ?? 5173;
        server.config.logger.info(
          `\n  Series dashboard, hot reload   http://localhost:${port}${server.config.base}   (API proxied to ${API})\n`,
        );
      });
    },
  };
}

/**
 * The worker serves `worker-assets/` as its static assets (apps/worker/wrangler.jsonc): the build lands in its
 * `dashboard/` folder, so the app's files answer at /dashboard/… and every other path stays the worker's.
 */
export const OUT_DIR = 'worker-assets/dashboard';

export default defineConfig({
  // Links, routes and redirects follow it through src/lib/paths.ts.
  base: '/dashboard/',
  plugins: [preact(), announceUrl()],
  server: { proxy: apiProxy(API) },
  build: {
    outDir: OUT_DIR,
    // The bundle-budget test reads the manifest to find what the first page load downloads (.assetsignore
    // keeps it from being served).
    manifest: true,
    target: 'es2022',
  },
});
