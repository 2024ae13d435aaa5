import { render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { App } from '../src/app.js';
import { leadingCurrency } from '../src/pages/Analytics/index.js';
import { mockApi, type Call } from './support/mock-api.js';

const me = {
  user: { id: 'usr_1', email: 'night@example.test', createdAt: '2026-01-01T00:00:00.000Z', isAdmin: false },
  creator: {
    id: 'cr_1',
    handle: 'night',
    displayName: 'Night',
    status: 'approved',
    statusMeaning: 'Approved',
    createdAt: '2026-01-01T00:00:00.000Z',
    statusChangedAt: '2026-01-01T00:00:00.000Z',
  },
};
const listed = (id: string, currency: string) => ({
  id,
  slug: id,
  title: `Series in ${currency}`,
  description: '',
  coverUrl: null,
  coverThumb: null,
  review: null,
  revision: null,
  takenDown: null,
  currency,
  bundlePrice: null,
  status: 'published',
  episodeCount: 1,
  priceRange: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  publishedAt: '2026-01-01T00:00:00.000Z',
  warnings: [],
});
const money = { refunded: 0, commission: 0 };
const range = { from: null, to: '2026-03-10' };

function mock() {
  // The EUR series comes first (the old default), but the sales are in USD.
  const totals = [
    { currency: 'EUR', ...money, sales: 0, gross: 0, payout: 0, buyers: 0 },
    { currency: 'USD', ...money, sales: 4, gross: 796, payout: 796, buyers: 3 },
  ];
  return mockApi({
    'GET /v1/me': { status: 200, body: me },
    'GET /v1/me/series': { status: 200, body: { series: [listed('ser_e', 'EUR'), listed('ser_u', 'USD')] } },
    'GET /v1/analytics/summary': (c: Call) => ({
      status: 200,
      body: {
        range,
        currentCommissionBps: 0,
        totals: c.query.get('currency') ? totals.filter((t) => t.currency === c.query.get('currency')) : totals,
      },
    }),
    'GET /v1/analytics/episodes': { status: 200, body: { range, rows: [] } },
    'GET /v1/analytics/daily': { status: 200, body: { range, rows: [] } },
    'GET /v1/analytics/funnel': { status: 200, body: { range, rows: [], sources: [], sourceDays: [] } },
  });
}

const open = (path: string) => {
  history.replaceState(null, '', `/dashboard${path}`);
  return render(<App />);
};

describe('analytics opens on the currency with the most sales', () => {
  it('ranks by sales, then gross; with no sales at all, the first series’ currency', () => {
    const t = (currency: string, sales: number, gross: number) => ({ currency, sales, gross });
    expect(leadingCurrency([t('EUR', 0, 0), t('USD', 4, 796)], ['EUR', 'USD'])).toBe('USD');
    expect(leadingCurrency([t('EUR', 4, 2000), t('USD', 4, 796)], ['USD', 'EUR'])).toBe('EUR');
    expect(leadingCurrency([t('EUR', 0, 0)], ['EUR', 'USD'])).toBe('EUR');
    expect(leadingCurrency([], ['JPY', 'USD'])).toBe('JPY');
    // A currency the creator no longer sells in is never picked.
    expect(leadingCurrency([t('GBP', 9, 9)], ['EUR'])).toBe('EUR');
  });

  it('asks for the period’s totals first, then shows the leading currency’s figures', async () => {
    const calls = mock();
    open('/analytics?range=30d');
    await screen.findByText('Gross sales');
    await waitFor(() => expect(calls.some((c) => c.path === '/v1/analytics/daily')).toBe(true));
    const summaries = calls.filter((c) => c.path === '/v1/analytics/summary').map((c) => c.query.get('currency'));
    expect(summaries[0]).toBeNull();
    expect(summaries.at(-1)).toBe('USD');
    expect(calls.filter((c) => c.path === '/v1/analytics/daily').every((c) => c.query.get('currency') === 'USD')).toBe(
      true,
    );
    expect((screen.getByLabelText('Currency') as HTMLSelectElement).value).toBe('USD');
  });

  it('keeps the currency named in the address, without asking which leads', async () => {
    const calls = mock();
    open('/analytics?range=30d&currency=EUR');
    await screen.findByText('Gross sales');
    expect(calls.filter((c) => c.path === '/v1/analytics/summary').map((c) => c.query.get('currency'))).toEqual([
      'EUR',
    ]);
  });
});
