import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import { call } from './helpers';

// `call` enters the worker's fetch handler directly, as a request that matched no static file does; the
// dashboard's index.html comes from the ASSETS binding (the build in apps/dashboard/worker-assets).

describe('the dashboard at /dashboard', () => {
  it('answers every app address with the app, so deep links and reloads open it', async () => {
    const index = await (await env.ASSETS.fetch('http://assets.test/dashboard/')).text();
    expect(index).toContain('<div id="app"></div>');
    for (const path of [
      '/dashboard',
      '/dashboard/',
      '/dashboard/analytics',
      '/dashboard/series/ser_x',
      '/dashboard/analytics?range=7d',
    ]) {
      const res = await call('GET', path, { headers: { Accept: 'text/html' } });
      expect(res.status, path).toBe(200);
      expect(res.headers.get('Content-Type'), path).toMatch(/^text\/html/);
      expect(res.text, path).toBe(index);
    }
  });

  it('carries the dashboard policy: own scripts and styles, the API on this origin, no framing', async () => {
    const res = await call('GET', '/dashboard/payouts');
    const csp = res.headers.get('Content-Security-Policy')!;
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('unsafe-inline');
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('answers a missing file with 404, never with the app', async () => {
    for (const path of [
      '/dashboard/assets/missing.js',
      '/dashboard/assets/gone.css',
      '/dashboard/.vite/manifest.json',
      '/dashboard/favicon.ico',
    ]) {
      const res = await call('GET', path);
      expect(res.status, path).toBe(404);
      expect(res.text, path).not.toContain('<div id="app">');
    }
  });

  it('leaves every other path to the worker', async () => {
    for (const path of ['/', '/dashboardx', '/library', '/@seriesdemo']) {
      const res = await call('GET', path);
      expect(res.text, path).not.toContain('<div id="app">');
    }
    expect((await call('POST', '/dashboard/analytics')).status).toBe(404);
  });
});
