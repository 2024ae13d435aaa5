import preact from '@preact/preset-vite';
import { defineConfig, type Plugin, type ProxyOptions } from 'vite';

/** The worker that `npm start` runs (apps/worker/scripts/dev.mjs); override with SERIES_API_URL. */
const API = process.env.SERIES_API_URL ?? 'http://127.0.0.1:8787';

/**
 * The dashboard calls its own origin and Vite forwards the API and the test checkout page to the worker:
 * the session cookie is then first-party and every write carries the dashboard's Origin, which the worker's
 * CSRF check accepts (APP_ORIGINS). The Host header is kept, so checkout links point back here too.
 */
export function apiProxy(target: string): Record<string, ProxyOptions> {
  return { '/v1': { target }, '/checkout': { target }, '/healthz': { target } };
}

/** `npm start` runs every workspace through turbo; this line makes the dashboard easy to find in that output. */
function announceUrl(): Plugin {
  return {
    name: 'series:announce-url',
    configureServer(server) {
      server.httpServer?.once('listening', () => {
        const port = server.config.server.port ?? 5173;
        server.config.logger.info(`\n  Series dashboard   http://localhost:${port}/   (API proxied to ${API})\n`);
      });
    },
  };
}

export default defineConfig({
  plugins: [preact(), announceUrl()],
  server: { proxy: apiProxy(API) },
  preview: { proxy: apiProxy(API) },
  build: {
    // The bundle-budget test reads the manifest to find what the first page load downloads.
    manifest: true,
    target: 'es2022',
  },
});
