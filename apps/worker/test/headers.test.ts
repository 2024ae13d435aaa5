import { describe, expect, it } from 'vitest';
import { call, publishedSeries, signup, startCheckout } from './helpers';

describe('security headers', () => {
  it('API answers: no rendering, framing or sniffing', async () => {
    const viewer = await signup();
    for (const res of [
      await call('GET', '/v1/me', { token: viewer.token }),
      await call('GET', '/v1/nope'),
      await call('GET', '/healthz'),
    ]) {
      expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
      expect(res.headers.get('X-Frame-Options')).toBe('SAMEORIGIN');
    }
    const me = await call('GET', '/v1/me', { token: viewer.token });
    expect(me.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    expect(me.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
    expect(me.headers.get('Cache-Control')).toBe('private, no-store');
  });

  it('the checkout page: a strict policy without scripts, not cached, not framed', async () => {
    const { ep2 } = await publishedSeries();
    const co = await startCheckout((await signup()).token, { episodeId: ep2.id });
    const url = new URL(co.json.checkoutUrl);
    const page = await call('GET', url.pathname + url.search);
    const csp = page.headers.get('Content-Security-Policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).not.toContain('script-src');
    expect(page.headers.get('Cache-Control')).toBe('no-store');
  });

  it('CORS: credentials only for the dashboard origins, never a wildcard', async () => {
    const preflight = (origin: string) =>
      call('OPTIONS', '/v1/me', { headers: { Origin: origin, 'Access-Control-Request-Method': 'GET' } });
    const allowed = await preflight('http://localhost:5173');
    expect(allowed.headers.get('Access-Control-Allow-Origin')).toBe('http://localhost:5173');
    expect(allowed.headers.get('Access-Control-Allow-Credentials')).toBe('true');
    for (const origin of ['https://evil.test', 'null', 'http://localhost:5174']) {
      const res = await preflight(origin);
      expect(res.headers.get('Access-Control-Allow-Origin')).not.toBe(origin);
      expect(res.headers.get('Access-Control-Allow-Origin')).not.toBe('*');
    }
  });
});
