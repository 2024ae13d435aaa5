import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../src/app.js';
import { bundleCostsMore, SeriesForm } from '../src/components/SeriesForm.js';
import type { OwnerSeries } from '../src/lib/types.js';
import { CommissionPanel } from '../src/pages/Admin/CommissionPanel.js';
import { apiError, mockApi } from './support/mock-api.js';

const user = { id: 'usr_1', email: 'someone@example.test', createdAt: '2026-01-01T00:00:00.000Z', isAdmin: false };
const creator = {
  id: 'cr_1',
  handle: 'night',
  displayName: 'Night',
  status: 'approved',
  statusMeaning: 'Approved',
  createdAt: '2026-01-01T00:00:00.000Z',
  statusChangedAt: '2026-01-01T00:00:00.000Z',
};
const open = (path: string) => {
  history.replaceState(null, '', `/dashboard${path}`);
  return render(<App />);
};
const listed = (episodeCount: number) => ({
  id: 'ser_aaaaaaaaaaaaaaaaaaaa',
  slug: 's',
  title: 'Night Ferry',
  description: '',
  coverUrl: null,
  coverThumb: null,
  review: null,
  revision: null,
  takenDown: null,
  currency: 'JPY',
  bundlePrice: null,
  status: 'published',
  episodeCount,
  priceRange: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  publishedAt: '2026-01-01T00:00:00.000Z',
  warnings: [],
  sold: false,
});

describe('the small things a person notices', () => {
  it('an admin’s overview has no claim-a-handle form', async () => {
    mockApi({
      'GET /v1/me': { status: 200, body: { user: { ...user, isAdmin: true }, creator: null, endedClaim: null } },
    });
    open('/');
    await screen.findByText(/You are an admin/);
    expect(screen.queryByRole('form', { name: /claim/i })).toBeNull();
    expect(screen.queryByLabelText(/handle/i)).toBeNull();
  });

  it('says "1 episode", not "1 episodes"', async () => {
    mockApi({
      'GET /v1/me': { status: 200, body: { user, creator, endedClaim: null } },
      'GET /v1/me/series': { status: 200, body: { series: [listed(1)] } },
      'GET /v1/commission': { status: 200, body: { bps: 0 } },
    });
    open('/');
    await screen.findByText(/1 series \(1 published\), 1 episode in all\./);
  });

  it('warns when "buy all" costs as much as the episodes bought one by one (¥1,500 for one ¥300 episode)', async () => {
    expect(bundleCostsMore(1500, [{ price: 300 }, { price: null }])).toBe(300);
    expect(bundleCostsMore(300, [{ price: 300 }])).toBe(300);
    expect(bundleCostsMore(250, [{ price: 300 }])).toBeNull();
    expect(bundleCostsMore(1500, [{ price: null }])).toBeNull();
    expect(bundleCostsMore(Number.NaN, [{ price: 300 }])).toBeNull();
    const series = {
      ...listed(2),
      bundlePrice: 1500,
      episodes: [{ price: 300 }, { price: null }],
    } as unknown as OwnerSeries;
    render(<SeriesForm existing={series} submitLabel="Save details" onUpdate={async () => {}} />);
    const field = await screen.findByLabelText(/^Whole-series price/);
    const hint = () => document.getElementById(field.getAttribute('aria-describedby')!.split(' ')[0]!)!.textContent;
    expect(hint()).toMatch(/^Buying its episodes one by one costs [¥￥]300 in all: at this price “buy all” saves/);
    fireEvent.input(field, { target: { value: '250' } });
    expect(hint()).toMatch(/^Optional "buy all" price/);
  });

  it('saving the commission already in force sends nothing and says so', async () => {
    const calls = mockApi({ 'GET /v1/admin/commission': { status: 200, body: { bps: 1250, history: [] } } });
    const confirm = vi.fn(() => true);
    vi.stubGlobal('confirm', confirm);
    render(<CommissionPanel onChanged={() => {}} />);
    fireEvent.input(await screen.findByLabelText(/^New commission/), { target: { value: '12.5' } });
    fireEvent.submit(screen.getByRole('form', { name: 'Change the commission' }));
    await screen.findByText('The commission is already 12.5%: nothing to change.');
    expect(confirm).not.toHaveBeenCalled();
    expect(calls.filter((c) => c.method === 'PUT')).toEqual([]);
  });

  it('a missing series says "not found", not "something went wrong"', async () => {
    mockApi({
      'GET /v1/me': { status: 200, body: { user, creator, endedClaim: null } },
      'GET /v1/me/series/ser_bbbbbbbbbbbbbbbbbbbb': { status: 404, body: apiError('not_found', 'Series not found') },
    });
    open('/series/ser_bbbbbbbbbbbbbbbbbbbb');
    await screen.findByText('Series not found');
    expect(screen.queryByText(/Something went wrong/)).toBeNull();
    expect(screen.queryByRole('button', { name: 'Try again' })).toBeNull();
    await waitFor(() =>
      expect(screen.getByRole('link', { name: /See all your series/ }).getAttribute('href')).toBe('/dashboard/series'),
    );
  });
});
