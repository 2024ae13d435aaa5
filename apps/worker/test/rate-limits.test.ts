import { beforeEach, describe, expect, it } from 'vitest';
import {
  addEpisode,
  call,
  creator,
  createSeries,
  expectError,
  idemKey,
  PASSWORD,
  publishedSeries,
  signup,
  uniqueEmail,
} from './helpers';

const from = (ip: string) => ({ 'CF-Connecting-IP': ip });

/**
 * Limits count per wall-clock minute (as on Cloudflare): start each test with at least 15 s left in the
 * current window, so a window rolling over mid-test cannot reset the count.
 */
async function withinOneWindow() {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < 15_000) await new Promise((r) => setTimeout(r, left + 50));
}

describe('rate limits (429 with Retry-After)', () => {
  beforeEach(withinOneWindow);

  it('sign-in: 10 attempts a minute per account; other accounts are unaffected', async () => {
    const target = await signup();
    const bystander = await signup();
    for (let i = 0; i < 10; i++) {
      const res = await call('POST', '/v1/auth/login', { body: { email: target.email, password: 'wrong password' } });
      expect(res.status).toBe(401);
    }
    const limited = await call('POST', '/v1/auth/login', { body: { email: target.email, password: PASSWORD } });
    expectError(limited, 429, 'rate_limited');
    expect(limited.headers.get('Retry-After')).toBe('60');
    // Even the right password waits: a guesser cannot tell it apart.
    expect(
      (await call('POST', '/v1/auth/login', { body: { email: bystander.email, password: PASSWORD } })).status,
    ).toBe(200);
  });

  it('sign-up: 20 a minute per client address, and a refused sign-up creates nothing', async () => {
    const ip = '192.0.2.77';
    for (let i = 0; i < 20; i++) {
      expect(
        (
          await call('POST', '/v1/auth/signup', {
            headers: from(ip),
            body: { email: uniqueEmail(), password: PASSWORD },
          })
        ).status,
      ).toBe(201);
    }
    const email = uniqueEmail();
    expectError(
      await call('POST', '/v1/auth/signup', { headers: from(ip), body: { email, password: PASSWORD } }),
      429,
      'rate_limited',
    );
    expect((await call('POST', '/v1/auth/login', { body: { email, password: PASSWORD } })).status).toBe(401);
    expect(
      (await call('POST', '/v1/auth/signup', { headers: from('192.0.2.78'), body: { email, password: PASSWORD } }))
        .status,
    ).toBe(201);
  });

  it('checkout: 60 a minute per account', async () => {
    const { ep2 } = await publishedSeries();
    const viewer = await signup();
    const other = await signup();
    const start = (token: string) =>
      call('POST', '/v1/checkout', { token, body: { episodeId: ep2.id }, headers: { 'Idempotency-Key': idemKey() } });
    for (let i = 0; i < 60; i++) expect((await start(viewer.token)).status).toBe(201);
    const limited = await start(viewer.token);
    expectError(limited, 429, 'rate_limited');
    expect(limited.headers.get('Retry-After')).toBe('60');
    expect((await start(other.token)).status).toBe(201);
  });

  it('uploads: 600 requests a minute per creator', async () => {
    const owner = await creator();
    const series = await createSeries(owner.token);
    const episode = await addEpisode(owner.token, series.id);
    const created = await call('POST', `/v1/episodes/${episode.id}/uploads`, {
      token: owner.token,
      body: { size: 100 },
    });
    const id = created.json.upload.id;
    const statuses: number[] = [];
    for (let i = 0; i < 600; i++) {
      statuses.push(
        (await call('PUT', `/v1/uploads/${id}/parts/0`, { token: owner.token, bytes: new Uint8Array(1) })).status,
      );
    }
    expect(statuses.filter((s) => s === 429)).toHaveLength(1); // the create counted too: 601st is refused
    expect(statuses.at(-1)).toBe(429);
  });
});
