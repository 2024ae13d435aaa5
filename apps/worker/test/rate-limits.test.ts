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
const login = (email: string, password: string, ip: string) =>
  call('POST', '/v1/auth/login', { headers: from(ip), body: { email, password } });

/**
 * Limits count per wall-clock minute (as on Cloudflare): start each test with enough of the current window
 * left (15 s, or what the test needs), so a window rolling over mid-test cannot reset the count.
 */
async function withinOneWindow(needMs = 15_000) {
  const left = 60_000 - (Date.now() % 60_000);
  if (left < needMs) await new Promise((r) => setTimeout(r, left + 50));
}

describe('rate limits (429 with Retry-After)', () => {
  beforeEach(() => withinOneWindow());

  it('sign-in: 10 a minute per account from one address; the owner elsewhere and other accounts sign in', async () => {
    const target = await signup();
    const bystander = await signup();
    const attacker = '198.51.100.10';
    for (let i = 0; i < 10; i++) expect((await login(target.email, 'wrong password', attacker)).status).toBe(401);
    for (let i = 0; i < 30; i++) {
      const limited = await login(target.email, PASSWORD, attacker);
      // Even the right password waits: a guesser cannot tell it apart.
      expectError(limited, 429, 'rate_limited');
      expect(limited.headers.get('Retry-After')).toBe('60');
    }
    // The owner, from their own address, is not locked out by the guesser.
    expect((await login(target.email, PASSWORD, '198.51.100.11')).status).toBe(200);
    // Refused attempts count nowhere else: the guesser's address is still below its 30 across accounts.
    expect((await login(bystander.email, PASSWORD, attacker)).status).toBe(200);
  });

  it('sign-in: 30 a minute per client address across accounts', async () => {
    const ip = '198.51.100.20';
    const account = await signup();
    for (let i = 0; i < 30; i++) expect((await login(uniqueEmail(), 'wrong password', ip)).status).toBe(401);
    expectError(await login(account.email, PASSWORD, ip), 429, 'rate_limited');
    expect((await login(account.email, PASSWORD, '198.51.100.21')).status).toBe(200);
  });

  it('sign-in: 100 a minute per account from all addresses together', async () => {
    const target = await signup();
    const other = await signup();
    for (let a = 0; a < 10; a++) {
      for (let i = 0; i < 10; i++) {
        expect((await login(target.email, 'wrong password', `198.51.101.${a}`)).status).toBe(401);
      }
    }
    expectError(await login(target.email, PASSWORD, '198.51.101.200'), 429, 'rate_limited');
    expect((await login(other.email, PASSWORD, '198.51.101.200')).status).toBe(200);
  });

  it("password change and deletion: 10 a minute per session, never used up by strangers' sign-ins", async () => {
    const owner = await signup();
    const stranger = '198.51.102.1';
    for (let i = 0; i < 10; i++) expect((await login(owner.email, 'wrong password', stranger)).status).toBe(401);
    expectError(await login(owner.email, 'wrong password', stranger), 429, 'rate_limited');
    const newPassword = 'another correct horse';
    const change = (token: string, currentPassword: string) =>
      call('PUT', '/v1/me/password', { token, body: { currentPassword, newPassword } });
    // The strangers' refused sign-ins leave the owner's own session alone.
    expect((await change(owner.token, PASSWORD)).status).toBe(200);
    for (let i = 0; i < 9; i++) expectError(await change(owner.token, 'wrong password'), 403, 'invalid_credentials');
    const limited = await change(owner.token, newPassword);
    expectError(limited, 429, 'rate_limited');
    expect(limited.headers.get('Retry-After')).toBe('60');
    const remove = (token: string) => call('DELETE', '/v1/me', { token, body: { password: newPassword } });
    expectError(await remove(owner.token), 429, 'rate_limited');
    // Another session of the owner has its own allowance.
    const second = await login(owner.email, newPassword, '198.51.102.2');
    expect(second.status).toBe(200);
    expect((await remove(second.json.token)).status).toBe(200);
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
