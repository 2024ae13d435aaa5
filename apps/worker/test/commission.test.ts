// The commission in force, public and cacheable, current as soon as an admin changes it.
import { afterEach, describe, expect, it } from 'vitest';
import { admin, call } from './helpers';

const setCommission = async (bps: number) =>
  expect((await call('PUT', '/v1/admin/commission', { token: await admin(), body: { bps } })).status).toBe(200);

afterEach(async () => {
  await setCommission(0);
});

describe('GET /v1/commission', () => {
  it('answers the rate in force to anyone, cacheable with an ETag', async () => {
    const res = await call('GET', '/v1/commission');
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ bps: 0 });
    expect(res.headers.get('Cache-Control')).toBe('public, max-age=30, s-maxage=60');
    const etag = res.headers.get('ETag');
    expect(etag).toBeTruthy();
    const again = await call('GET', '/v1/commission', { headers: { 'If-None-Match': etag! } });
    expect(again.status).toBe(304);
  });

  it('says the new rate at once after an admin changes it (the cached answer is purged)', async () => {
    expect((await call('GET', '/v1/commission')).json).toEqual({ bps: 0 });
    // Served from the cache now: the same ETag.
    const cached = await call('GET', '/v1/commission');
    await setCommission(1250);
    const after = await call('GET', '/v1/commission');
    expect(after.json).toEqual({ bps: 1250 });
    expect(after.headers.get('ETag')).not.toBe(cached.headers.get('ETag'));
    // What purchases started now are sold at, as the admin route says.
    expect((await call('GET', '/v1/admin/commission', { token: await admin() })).json.bps).toBe(1250);
    await setCommission(0);
    expect((await call('GET', '/v1/commission')).json).toEqual({ bps: 0 });
  });
});
