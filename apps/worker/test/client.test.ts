import { exports } from 'cloudflare:workers';
import { hc } from 'hono/client';
import { describe, expect, it } from 'vitest';
import type { AppType } from '../src/index';
import { ORIGIN, PASSWORD, publishedSeries, uniqueEmail } from './helpers';

const worker = (exports as unknown as { default: { fetch(req: Request): Promise<Response> } }).default;
const fetchWorker = (input: RequestInfo | URL, init?: RequestInit) => worker.fetch(new Request(input, init));

describe('typed client (hc<AppType>)', () => {
  it('signs up, reads a public profile and gets typed results', async () => {
    const { owner, ep2 } = await publishedSeries();
    const anon = hc<AppType>(ORIGIN, { fetch: fetchWorker });

    const signup = await anon.v1.auth.signup.$post({ json: { email: uniqueEmail(), password: PASSWORD } });
    expect(signup.status).toBe(201);
    if (signup.status !== 201) return;
    const { token } = await signup.json();

    const profile = await anon.v1.creators[':handle'].$get({ param: { handle: owner.handle } });
    expect(profile.status).toBe(200);
    if (profile.status !== 200) return;
    const body = await profile.json();
    // Typed access: a wrong property name here would fail the type check.
    expect(body.series[0]?.episodes[1]?.price).toBe(199);

    const viewer = hc<AppType>(ORIGIN, { fetch: fetchWorker, headers: { Authorization: `Bearer ${token}` } });
    const access = await viewer.v1.episodes[':id'].access.$get({ param: { id: ep2.id } });
    expect(access.status).toBe(402);
  });
});
