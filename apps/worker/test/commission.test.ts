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

describe('PUT /v1/admin/commission with the rate already in force', () => {
  it('changes nothing: no new rate, no audit entry, answered changed: false', async () => {
    const token = await admin();
    await setCommission(1250);
    const auditBefore = (await call('GET', '/v1/admin/audit', { token })).json.entries.length;
    const historyBefore = (await call('GET', '/v1/admin/commission', { token })).json.history.length;
    const again = await call('PUT', '/v1/admin/commission', { token, body: { bps: 1250 } });
    expect(again.status).toBe(200);
    expect(again.json).toMatchObject({ bps: 1250, changed: false });
    expect((await call('GET', '/v1/admin/audit', { token })).json.entries.length).toBe(auditBefore);
    expect((await call('GET', '/v1/admin/commission', { token })).json.history.length).toBe(historyBefore);
    const changed = await call('PUT', '/v1/admin/commission', { token, body: { bps: 1300 } });
    expect(changed.json).toMatchObject({ bps: 1300, changed: true });
    expect((await call('GET', '/v1/admin/audit', { token })).json.entries[0]).toMatchObject({
      action: 'commission.set',
      detail: { from: 1250, to: 1300 },
    });
  });
});
