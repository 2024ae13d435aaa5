// Tax shown apart (issue 21): the analytics' tax card and the daily table's tax column, the payout statements' and
// a month's purchases' tax columns, in English and French; a deploy that collects no tax shows none of them.
import { fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../src/app.js';
import { mockApi } from './support/mock-api.js';

const creator = {
  id: 'cr_1',
  handle: 'night',
  displayName: 'Night',
  status: 'approved' as const,
  statusMeaning: 'Approved: you can publish series and sell episodes',
  createdAt: '2026-01-01T00:00:00.000Z',
  statusChangedAt: '2026-01-01T00:00:00.000Z',
  verifiedBy: null,
};
const me = {
  user: { id: 'usr_1', email: null, createdAt: '2026-01-01T00:00:00.000Z', isAdmin: false, emailVerified: true },
  creator,
};
const open = (path: string, locale: 'en' | 'fr') => {
  localStorage.setItem('series.dashboard.locale', locale);
  history.replaceState(null, '', `/dashboard${path}`);
  return render(<App />);
};
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

afterEach(() => localStorage.clear());

const series = {
  id: 'ser_1',
  title: 'Ferry',
  description: '',
  coverUrl: null,
  currency: 'EUR',
  bundlePrice: null,
  status: 'published',
  episodeCount: 1,
  priceRange: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  publishedAt: null,
};

/** One sale of 2,99 € with 0,50 € of VAT in it, 10% commission on the rest: 0,24 € commission, 2,25 € paid out. */
function analytics(tax: number) {
  const range = { from: null, to: '2026-03-10' };
  const money = { sales: 1, gross: 299, refunded: 0, commission: 24 + (50 - tax) / 10, payout: 225, tax };
  mockApi({
    'GET /v1/me': { status: 200, body: me },
    'GET /v1/me/series': { status: 200, body: { series: [series] } },
    'GET /v1/analytics/summary': {
      status: 200,
      body: { range, currentCommissionBps: 1000, totals: [{ currency: 'EUR', ...money, buyers: 1 }] },
    },
    'GET /v1/analytics/episodes': {
      status: 200,
      body: {
        range,
        rows: [
          {
            kind: 'episode',
            seriesId: 'ser_1',
            seriesTitle: 'Ferry',
            episodeId: 'ep_1',
            number: 1,
            title: 'Departure',
            free: false,
            currency: 'EUR',
            ...money,
          },
        ],
      },
    },
    'GET /v1/analytics/daily': {
      status: 200,
      body: { range, rows: [{ day: '2026-03-02', currency: 'EUR', ...money }] },
    },
    'GET /v1/analytics/funnel': { status: 200, body: { range, rows: [], sources: [], sourceDays: [] } },
  });
}

function payouts(tax: number) {
  const statement = {
    month: '2026-01',
    currency: 'EUR',
    sales: 1,
    gross: 6_000,
    refunded: 0,
    commission: 500,
    payout: 4_500,
    tax,
    carriedIn: 0,
    balance: 4_500,
    threshold: 5000,
    status: 'carried_over',
    paidAmount: null,
    paidAt: null,
  };
  mockApi({
    'GET /v1/me': { status: 200, body: me },
    'GET /v1/me/series': { status: 200, body: { series: [] } },
    'GET /v1/me/stripe': {
      status: 200,
      body: { stripe: { mode: 'test', accountId: null, chargesEnabled: false, canSell: true } },
    },
    'GET /v1/payouts': {
      status: 200,
      body: {
        currentMonth: '2026-03',
        thresholds: { EUR: 5000 },
        balances: [{ currency: 'EUR', earned: 4_500, paid: 0, pending: 4_500, due: 0, threshold: 5000 }],
        statements: [statement],
      },
    },
    'GET /v1/payouts/purchases': {
      status: 200,
      body: {
        month: '2026-01',
        truncated: false,
        purchases: [
          {
            id: 'pur_1',
            paidAt: '2026-01-05T12:00:00.000Z',
            seriesId: 'ser_1',
            seriesTitle: 'Night Ferry',
            episodeId: null,
            episodeTitle: null,
            currency: 'EUR',
            amount: 6_000,
            commissionBps: 1_000,
            commission: 500,
            payout: 4_500,
            tax,
            refunded: 0,
            status: 'paid',
            disputeState: null,
          },
        ],
      },
    },
  });
}

describe('tax shown apart in the dashboard', () => {
  it('analytics: a tax card and a tax column, in English', async () => {
    analytics(50);
    open('/analytics?range=all', 'en');
    const card = (await screen.findByText('Tax collected')).closest('.kpi')!;
    expect(plain(card.textContent!)).toBe(
      'Tax collected€0.50Included in the prices buyers paid; the platform pays it to the tax authorities, it is not part of your payout',
    );
    const days = screen.getByRole('table', { name: 'Days with sales (UTC)' });
    expect(
      within(days)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toEqual(['Day', 'Sales', 'Gross', 'Tax', 'Commission', 'Payout']);
    expect(plain(within(days).getAllByRole('row')[1]!.textContent!)).toContain('€2.99€0.50€0.24€2.25');
    const episodes = screen.getByRole('table', { name: 'Per episode, EUR' });
    expect(
      within(episodes)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toContain('Tax');
    expect(plain(within(episodes).getAllByRole('row').at(-1)!.textContent!)).toContain('€2.99€0.50€0.24€2.25');
  });

  it('analytics in French, and none of it where no tax was collected', async () => {
    analytics(50);
    const { unmount } = open('/analytics?range=all', 'fr');
    const card = (await screen.findByText('Taxes collectées')).closest('.kpi')!;
    expect(plain(card.textContent!)).toBe(
      'Taxes collectées0,50 €Incluses dans les prix payés par les acheteurs ; la plateforme les reverse au fisc, elles ne font pas partie de vos revenus',
    );
    expect(card.textContent).toContain('acheteurs\u202f;');
    const days = screen.getByRole('table', { name: 'Jours avec des ventes (UTC)' });
    expect(
      within(days)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toContain('Taxes');
    unmount();
    localStorage.clear();

    analytics(0);
    open('/analytics?range=all', 'en');
    await screen.findByText('Gross sales');
    expect(screen.queryByText('Tax collected')).toBeNull();
    const untaxed = await screen.findByRole('table', { name: 'Days with sales (UTC)' });
    expect(
      within(untaxed)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).not.toContain('Tax');
  });

  it('payouts: the statement’s and the purchases’ tax, in English and French', async () => {
    payouts(1_000);
    const en = open('/payouts', 'en');
    const table = await screen.findByRole('table', { name: /^Newest first/ });
    expect(
      within(table)
        .getAllByRole('columnheader')
        .map((h) => h.textContent),
    ).toContain('Tax');
    expect(screen.getByText(/^Prices include tax where it applies: the platform collects it/)).toBeTruthy();
    const row = within(table).getAllByRole('row')[1]!;
    expect(row.querySelector('td[data-label="Tax"]')!.textContent).toBe('€10.00');
    fireEvent.click(within(row).getByRole('button', { name: 'Purchases' }));
    const purchase = (await screen.findByRole('rowheader', { name: 'Night Ferry — whole series' })).closest('tr')!;
    expect(plain(purchase.textContent!)).toContain('€60.00€10.0010%€5.00€45.00');
    en.unmount();
    localStorage.clear();

    payouts(1_000);
    open('/payouts', 'fr');
    const frTable = await screen.findByRole('table', { name: /^Les plus récents d’abord/ });
    const frRow = within(frTable).getAllByRole('row')[1]!;
    expect(plain(frRow.querySelector('td[data-label="Taxes"]')!.textContent!)).toBe('10,00 €');
    expect(screen.getByText(/^Les prix incluent les taxes applicables\s: la plateforme/)).toBeTruthy();
  });
});
