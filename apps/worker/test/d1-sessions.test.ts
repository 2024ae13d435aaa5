// D1's Sessions API (lib/d1-session.ts): where each request's reads start, and the bookmark that lets a client's
// next read see its own write on any read replica.
import { createExecutionContext, waitOnExecutionContext } from 'cloudflare:test';
import { env } from 'cloudflare:workers';
import { describe, expect, it } from 'vitest';
import app from '../src/index';
import { BOOKMARK_HEADER } from '../src/lib/d1-session';
import { call, idemKey, ORIGIN, publishedSeries, signup } from './helpers';

/** Calls the worker with env.DB recording the constraint each request's session starts from. */
async function constrained(method: string, path: string, headers: Record<string, string> = {}, body?: unknown) {
  const asked: string[] = [];
  const DB = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === 'withSession') {
        return (constraint: string) => {
          asked.push(constraint);
          return target.withSession(constraint);
        };
      }
      const value = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  const ctx = createExecutionContext();
  const res = await app.fetch(
    new Request(`${ORIGIN}${path}`, {
      method,
      headers: { 'CF-Connecting-IP': '10.7.7.7', ...(body ? { 'Content-Type': 'application/json' } : {}), ...headers },
      body: body ? JSON.stringify(body) : undefined,
    }),
    { ...env, DB },
    ctx,
  );
  await waitOnExecutionContext(ctx);
  await res.text();
  return { status: res.status, asked, bookmark: res.headers.get(BOOKMARK_HEADER) };
}

const BOOKMARK = /^[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{8}-[0-9a-f]{32}$/;

describe('D1 sessions', () => {
  it('public reads start on any copy, or one at least as new as the bookmark the client sends', async () => {
    const { series } = await publishedSeries();
    const fresh = await constrained('GET', `/v1/series/${series.id}?fresh=1`);
    expect(fresh.asked).toEqual(['first-unconstrained']);
    expect(fresh.bookmark).toMatch(BOOKMARK);
    const after = await constrained('GET', `/v1/series/${series.id}?fresh=2`, { [BOOKMARK_HEADER]: fresh.bookmark! });
    expect(after.asked).toEqual([fresh.bookmark]);
    // Anything that is not a bookmark is never handed to D1.
    const forged = await constrained('GET', `/v1/series/${series.id}?fresh=3`, { [BOOKMARK_HEADER]: "x'; DROP" });
    expect(forged.asked).toEqual(['first-unconstrained']);
  });

  it('writes, money paths and every signed-in request read the primary, whatever bookmark comes with them', async () => {
    const { owner, series, ep2 } = await publishedSeries();
    const buyer = await signup();
    const stale = { [BOOKMARK_HEADER]: '00000000-00000001-00000000-00000000000000000000000000000000' };
    const auth = (token: string) => ({ Authorization: `Bearer ${token}`, ...stale });
    const cases = [
      await constrained('GET', '/v1/me', auth(buyer.token)),
      await constrained('GET', '/v1/analytics/summary', auth(owner.token)),
      await constrained('GET', `/v1/episodes/${ep2.id}/access`, stale),
      await constrained(
        'POST',
        '/v1/checkout',
        { ...auth(buyer.token), 'Idempotency-Key': idemKey() },
        { episodeId: ep2.id },
      ),
      await constrained('PATCH', `/v1/series/${series.id}`, auth(owner.token), { title: 'Renamed' }),
      await constrained('GET', '/v1/admin/creators', stale),
      await constrained('GET', `/v1/series/${series.id}`, { Cookie: '__Host-series_session=whatever', ...stale }),
    ];
    for (const c of cases) expect(c.asked).toEqual(['first-primary']);
    expect(cases[3]!.status).toBe(201);
  });

  it('a write then a read with its bookmark sees the write', async () => {
    const { owner, series } = await publishedSeries();
    const write = await call('PATCH', `/v1/series/${series.id}`, {
      token: owner.token,
      body: { title: 'Seen at once' },
    });
    expect(write.status).toBe(200);
    const bookmark = write.headers.get(BOOKMARK_HEADER)!;
    expect(bookmark).toMatch(BOOKMARK);
    const read = await call('GET', `/v1/series/${series.id}`, { headers: { [BOOKMARK_HEADER]: bookmark } });
    expect(read.json.series.title).toBe('Seen at once');
    // Bookmarks sort oldest to newest: the read's is never older than the one it was asked for.
    expect(read.headers.get(BOOKMARK_HEADER)! >= bookmark).toBe(true);
  });

  it('exposes the bookmark to cross-origin clients and lets them send it', async () => {
    const allowed = env.APP_ORIGINS.split(',')[0]?.trim();
    if (!allowed) throw new Error('the test config lists an allowed origin');
    const preflight = await call('OPTIONS', '/v1/series/x', {
      headers: {
        Origin: allowed,
        'Access-Control-Request-Method': 'GET',
        'Access-Control-Request-Headers': BOOKMARK_HEADER,
      },
    });
    expect(preflight.headers.get('Access-Control-Allow-Headers')?.toLowerCase()).toContain(BOOKMARK_HEADER);
    const res = await call('GET', '/healthz', { headers: { Origin: allowed } });
    expect(res.status).toBe(200);
    const api = await call('GET', '/v1/commission', { headers: { Origin: allowed } });
    expect(api.headers.get('Access-Control-Expose-Headers')?.toLowerCase()).toContain(BOOKMARK_HEADER);
  });
});
