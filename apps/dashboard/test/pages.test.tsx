import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../src/app.js';
import { apiError, mockApi, type Call } from './support/mock-api.js';

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
  user: { id: 'usr_1', email: 'night@example.test', createdAt: '2026-01-01T00:00:00.000Z', isAdmin: false },
  creator,
};

const series = {
  id: 'ser_aaaaaaaaaaaaaaaaaaaa',
  title: 'Night <b>Ferry</b>',
  description: '',
  coverUrl: null,
  currency: 'USD',
  bundlePrice: 499,
  status: 'published',
  episodeCount: 2,
  priceRange: { min: 299, max: 299 },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  publishedAt: '2026-01-01T00:00:00.000Z',
  episodes: [],
};

const money = { sales: 0, gross: 0, refunded: 0, commission: 0, payout: 0 };
const episodeRows = [
  {
    kind: 'episode',
    seriesId: series.id,
    seriesTitle: series.title,
    episodeId: 'ep_1',
    number: 1,
    title: 'Trailer',
    free: true,
    currency: 'USD',
    ...money,
  },
  {
    kind: 'episode',
    seriesId: series.id,
    seriesTitle: series.title,
    episodeId: 'ep_2',
    number: 2,
    title: '<img src=x onerror=alert(1)>',
    free: false,
    currency: 'USD',
    ...money,
    sales: 3,
    gross: 897,
    payout: 897,
  },
];

/** Opens the app at one of its addresses, which live under /dashboard as the worker serves them. */
function open(path: string) {
  history.replaceState(null, '', `/dashboard${path}`);
  return render(<App />);
}

describe('the app shell', () => {
  it('shows an error with a retry, never a blank page, when the API is down; then recovers', async () => {
    let up = false;
    mockApi({
      'GET /v1/me': () => (up ? { status: 401, body: apiError('unauthorized', 'Sign in first') } : 'network-error'),
    });
    open('/analytics');
    await screen.findByText('The Series API is unreachable');
    up = true;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByRole('form', { name: 'Sign in' });
  });

  it('signs in with the API’s own messages, then opens the page that was asked for', async () => {
    let signedIn = false;
    const calls = mockApi({
      'GET /v1/me': () =>
        signedIn ? { status: 200, body: me } : { status: 401, body: apiError('unauthorized', 'Sign in first') },
      'POST /v1/auth/login': (call) => {
        if ((call.body as { password: string }).password !== 'right password') {
          return { status: 401, body: apiError('invalid_credentials', 'Wrong email or password') };
        }
        signedIn = true;
        return { status: 200, body: { user: me.user, token: 't', expiresAt: '2026-02-01T00:00:00.000Z' } };
      },
      'GET /v1/payouts': {
        status: 200,
        body: { currentMonth: '2026-03', thresholds: { USD: 5000, JPY: 7500 }, balances: [], statements: [] },
      },
      'GET /v1/me/series': { status: 200, body: { series: [{ ...series, currency: 'JPY' }] } },
    });
    open('/payouts');
    const form = await screen.findByRole('form', { name: 'Sign in' });
    fireEvent.click(within(form).getByRole('button', { name: 'Sign in' }));
    expect(within(form).getByText('Enter a valid email address')).toBeTruthy();
    fireEvent.input(within(form).getByLabelText('Email'), { target: { value: 'night@example.test' } });
    fireEvent.input(within(form).getByLabelText('Password'), { target: { value: 'wrong' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Sign in' }));
    await within(form).findByText('Wrong email or password');
    fireEvent.input(within(form).getByLabelText('Password'), { target: { value: 'right password' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Sign in' }));
    await screen.findByRole('heading', { name: 'Payouts' });
    await screen.findByText('No earnings yet');
    // The threshold of the creator's own currency.
    expect(screen.getByText(/paid once your balance reaches/).textContent).toContain('¥7,500');
    expect(calls.filter((c: Call) => c.path === '/v1/auth/login')).toHaveLength(2);
  });
});

describe('payment account (Stripe Connect)', () => {
  const payouts = { currentMonth: '2026-03', thresholds: { USD: 5000 }, balances: [], statements: [] };
  it('in Stripe mode, sends the creator to Stripe onboarding and comes back to this page', async () => {
    const assign = vi.spyOn(window.location, 'assign').mockImplementation(() => {});
    const calls = mockApi({
      'GET /v1/me': { status: 200, body: me },
      'GET /v1/payouts': { status: 200, body: payouts },
      'GET /v1/me/series': { status: 200, body: { series: [] } },
      'GET /v1/me/stripe': {
        status: 200,
        body: { stripe: { mode: 'stripe', accountId: null, chargesEnabled: false, canSell: false } },
      },
      'POST /v1/me/stripe/onboarding': {
        status: 200,
        body: {
          url: 'https://connect.stripe.test/setup/acct_1',
          stripe: { mode: 'stripe', accountId: 'acct_1', chargesEnabled: false, canSell: false },
        },
      },
    });
    open('/payouts');
    fireEvent.click(await screen.findByRole('button', { name: 'Connect with Stripe' }));
    await waitFor(() => expect(assign).toHaveBeenCalledWith('https://connect.stripe.test/setup/acct_1'));
    const sent = calls.find((c: Call) => c.path === '/v1/me/stripe/onboarding')?.body as { returnUrl: string };
    expect(new URL(sent.returnUrl).pathname).toBe('/dashboard/payouts');
    assign.mockRestore();
  });

  it('in test mode, says there is nothing to connect', async () => {
    mockApi({
      'GET /v1/me': { status: 200, body: me },
      'GET /v1/payouts': { status: 200, body: payouts },
      'GET /v1/me/series': { status: 200, body: { series: [] } },
      'GET /v1/me/stripe': {
        status: 200,
        body: { stripe: { mode: 'test', accountId: null, chargesEnabled: false, canSell: true } },
      },
    });
    open('/payouts');
    await screen.findByText(/Payments run in test mode/);
    expect(screen.queryByRole('button', { name: 'Connect with Stripe' })).toBeNull();
  });
});

describe('navigation', () => {
  it('moves between pages under /dashboard without reloading', async () => {
    mockApi({
      'GET /v1/me': { status: 200, body: me },
      'GET /v1/me/series': { status: 200, body: { series: [series] } },
    });
    open('/');
    await screen.findByRole('heading', { name: 'Overview' });
    fireEvent.click(within(screen.getByRole('navigation', { name: 'Main' })).getByRole('link', { name: 'Series' }));
    await screen.findByRole('heading', { name: 'Series' });
    expect(location.pathname).toBe('/dashboard/series');
    expect(screen.getByRole('link', { name: 'Series', current: 'page' })).toBeTruthy();
    const link = await screen.findByRole('link', { name: 'Night <b>Ferry</b>' });
    expect(link.getAttribute('href')).toBe(`/dashboard/series/${series.id}`);
  });
});

describe('an expired session', () => {
  it('goes back to the sign-in page when any request answers 401', async () => {
    mockApi({
      'GET /v1/me': { status: 200, body: me },
      'GET /v1/me/series': { status: 401, body: apiError('unauthorized', 'Sign in first') },
    });
    open('/series');
    await screen.findByRole('form', { name: 'Sign in' });
  });
});

describe('analytics page', () => {
  const sources = [
    { source: 'bio', views: 40, checkouts: 4, purchases: 3 },
    { source: null, views: 12, checkouts: 1, purchases: 0 },
    { source: 'video', views: 0, checkouts: 1, purchases: 1 },
  ];
  const sourceDays = [
    { day: '2026-03-08', source: 'bio', views: 30, checkouts: 3, purchases: 2 },
    { day: '2026-03-09', ...sources[0]!, views: 10, checkouts: 1, purchases: 1 },
    { day: '2026-03-09', ...sources[1]! },
    { day: '2026-03-09', ...sources[2]! },
  ];
  function mockAnalytics(funnelSources = { sources, sourceDays }) {
    return mockApi({
      'GET /v1/me': { status: 200, body: me },
      'GET /v1/me/series': { status: 200, body: { series: [series] } },
      'GET /v1/analytics/summary': {
        status: 200,
        body: {
          range: { from: null, to: '2026-03-10' },
          currentCommissionBps: 0,
          totals: [{ currency: 'USD', ...money, sales: 3, gross: 897, payout: 897, buyers: 2 }],
        },
      },
      'GET /v1/analytics/episodes': {
        status: 200,
        body: { range: { from: null, to: '2026-03-10' }, rows: episodeRows },
      },
      'GET /v1/analytics/daily': {
        status: 200,
        body: {
          range: { from: null, to: '2026-03-10' },
          rows: [{ day: '2026-03-09', currency: 'USD', ...money, sales: 3, gross: 897, payout: 897 }],
        },
      },
      'GET /v1/analytics/funnel': {
        status: 200,
        body: {
          range: { from: null, to: '2026-03-10' },
          rows: [
            {
              kind: 'episode',
              seriesId: series.id,
              episodeId: 'ep_1',
              title: 'Trailer',
              views: 0,
              checkouts: 0,
              purchases: 0,
            },
            {
              kind: 'episode',
              seriesId: series.id,
              episodeId: 'ep_2',
              title: 'x',
              views: 40,
              checkouts: 4,
              purchases: 3,
            },
          ],
          ...funnelSources,
        },
      },
    });
  }

  it('shows KPI cards, the funnel and a table with the same numbers; creator text stays text', async () => {
    const calls = mockAnalytics();
    const view = open('/analytics?range=all');
    await screen.findByText('Gross sales');
    const kpi = (name: string | RegExp) =>
      screen.getByText(name, { selector: 'dt' }).closest('.kpi')!.querySelector('dd')!.textContent;
    expect(kpi('Gross sales')).toBe('$8.97');
    expect(kpi('Your payout (100%)')).toBe('$8.97');
    expect(kpi('Platform commission')).toBe('$0.00');
    expect(kpi('Purchases')).toBe('3');
    expect(kpi('Unique buyers')).toBe('2');
    const table = screen.getByRole('table', { name: 'Per episode, USD' });
    const row = within(table).getByRole('rowheader', { name: '<img src=x onerror=alert(1)>' }).closest('tr')!;
    expect([...row.querySelectorAll('td')].map((td) => td.textContent)).toEqual([
      '2',
      '40',
      '4',
      '3',
      '$8.97',
      '$0.00',
      '$8.97',
    ]);
    // Creator-provided text is rendered as text, never as markup.
    expect(view.container.querySelector('img')).toBeNull();
    expect(view.container.querySelector('b')).toBeNull();
    expect(screen.getByText('Night <b>Ferry</b>', { selector: 'option' })).toBeTruthy();
    expect(screen.getByText('(75% of the step before)', { exact: false })).toBeTruthy();
    // "All time": no `from` in the query; the currency is the series'.
    const summary = calls.find((c) => c.path === '/v1/analytics/summary')!;
    expect(summary.query.get('from')).toBeNull();
    expect(summary.query.get('currency')).toBe('USD');
  });

  it('shows the storefront funnel per link source, for the chosen period and series, with a CSV of its days', async () => {
    const calls = mockAnalytics();
    const saved: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => (saved.push(blob as Blob), 'blob:csv'));
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    open(`/analytics?range=7d&series=${series.id}`);
    const table = await screen.findByRole('table', { name: 'Storefront visits by source' });
    const cells = (name: string) =>
      [...within(table).getByRole('rowheader', { name }).closest('tr')!.querySelectorAll('td')].map(
        (td) => td.textContent,
      );
    expect(cells('bio')).toEqual(['40', '4', '3', '7.5%']);
    expect(cells('(no source)')).toEqual(['12', '1', '0', '0%']);
    // No views: no rate, rather than a division by zero.
    expect(cells('video')).toEqual(['0', '1', '1', '—']);
    expect(cells('Total')).toEqual(['52', '6', '4', '7.7%']);
    // The page's filters apply: the funnel is asked for the chosen series and period.
    const funnel = calls.filter((c) => c.path === '/v1/analytics/funnel').at(-1)!;
    expect(funnel.query.get('seriesId')).toBe(series.id);
    expect(funnel.query.get('from')).toMatch(/^\d{4}-\d{2}-\d{2}$/);

    fireEvent.click(screen.getByRole('button', { name: 'Export sources CSV' }));
    const csv = (await saved[0]!.text()).replace(/^\uFEFF/, '');
    expect(csv.split('\r\n')).toEqual([
      'Day (UTC),Source,Page views,Checkouts,Purchases,View to purchase',
      '2026-03-08,bio,30,3,2,0.0667',
      '2026-03-09,bio,10,1,1,0.1',
      '2026-03-09,(no source),12,1,0,0',
      '2026-03-09,video,0,1,1,',
      '',
    ]);
  });

  it('says when no storefront visit came in', async () => {
    mockAnalytics({ sources: [], sourceDays: [] });
    open('/analytics?range=all');
    await screen.findByText('No storefront visits in this period');
    expect(screen.queryByRole('table', { name: 'Storefront visits by source' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Export sources CSV' })).toBeNull();
  });

  it('asks the API again for another period, and says when there is nothing to measure', async () => {
    const calls = mockAnalytics();
    open('/analytics?range=all');
    await screen.findByText('Gross sales');
    fireEvent.click(screen.getByLabelText('7 days'));
    await waitFor(() =>
      expect(
        calls
          .filter((c) => c.path === '/v1/analytics/daily')
          .at(-1)
          ?.query.get('from'),
      ).toMatch(/^\d{4}-\d{2}-\d{2}$/),
    );
  });

  it('shows an empty state for a creator without series', async () => {
    mockApi({ 'GET /v1/me': { status: 200, body: me }, 'GET /v1/me/series': { status: 200, body: { series: [] } } });
    open('/analytics');
    await screen.findByText('Nothing to measure yet');
  });

  it('shows the API’s error with a retry when figures cannot be loaded', async () => {
    mockApi({
      'GET /v1/me': { status: 200, body: me },
      'GET /v1/me/series': {
        status: 500,
        body: apiError('internal', 'Something went wrong on our side; nothing was changed'),
      },
    });
    open('/analytics');
    await screen.findByText('Something went wrong on our side; nothing was changed');
    expect(screen.getByRole('button', { name: 'Try again' })).toBeTruthy();
  });
});

describe('admin page', () => {
  it('records a due payout and shows it in the audit log', async () => {
    const admin = { user: { ...me.user, email: 'admin@example.test', isAdmin: true }, creator: null };
    let paid = false;
    const due = {
      handle: 'night',
      displayName: 'Night',
      creatorStatus: 'approved',
      month: '2026-10',
      currency: 'USD',
      ...money,
      sales: 3,
      gross: 5_497,
      payout: 5_497,
      carriedIn: 0,
      balance: 5_497,
      threshold: 5_000,
      status: 'due',
      paidAmount: null,
      paidAt: null,
    };
    const calls = mockApi({
      'GET /v1/me': { status: 200, body: admin },
      'GET /v1/admin/creators': {
        status: 200,
        body: {
          creators: [],
          criteria: { minFollowers: 10_000, minVideos: 0, autoApprove: false, requireVerification: false },
        },
      },
      'GET /v1/admin/verification': {
        status: 200,
        body: {
          settings: {
            minFollowers: 10_000,
            minVideos: 0,
            autoApprove: false,
            requireVerification: false,
            updatedAt: null,
          },
        },
      },
      'GET /v1/admin/commission': { status: 200, body: { bps: 0, history: [] } },
      'GET /v1/admin/payouts': () => ({
        status: 200,
        body: { currentMonth: '2026-11', statements: paid ? [] : [due] },
      }),
      'POST /v1/admin/payouts': () => {
        paid = true;
        return {
          status: 201,
          body: {
            recorded: true,
            statement: { ...due, status: 'paid', paidAmount: 5_497, paidAt: '2026-11-02T10:00:00.000Z' },
          },
        };
      },
      'GET /v1/admin/audit': () => ({
        status: 200,
        body: {
          entries: paid
            ? [
                {
                  action: 'payout.record',
                  target: 'night',
                  detail: { month: '2026-10', currency: 'USD', amount: 5_497 },
                  actor: 'admin@example.test',
                  at: '2026-11-02T10:00:00.000Z',
                },
              ]
            : [],
        },
      }),
    });
    vi.stubGlobal('confirm', () => true);
    open('/admin');
    await screen.findByText('Nobody is waiting for approval');
    await screen.findByText('No admin actions yet');
    const row = (await screen.findByText('@night', { exact: false, selector: 'th' })).closest('tr')!;
    expect(row.textContent).toContain('October 2026');
    expect(row.textContent).toContain('$54.97');
    fireEvent.click(within(row).getByRole('button', { name: 'Record payout' }));
    await screen.findByText('No payouts are due');
    expect(calls.find((c) => c.method === 'POST')?.body).toEqual({
      handle: 'night',
      month: '2026-10',
      currency: 'USD',
    });
    const entry = (await screen.findByRole('rowheader', { name: 'Recorded payout' })).closest('tr')!;
    expect(entry.textContent).toContain('$54.97 for October 2026');
  });
});

describe('payouts page', () => {
  it('shows balances and monthly statements with their status, and a month’s purchases with their rate', async () => {
    const statement = (month: string, status: string, payout: number, carriedIn = 0) => ({
      month,
      currency: 'USD',
      ...money,
      sales: 1,
      gross: payout,
      payout,
      carriedIn,
      balance: carriedIn + payout,
      threshold: 5000,
      status,
      paidAmount: status === 'paid' ? carriedIn + payout : null,
      paidAt: status === 'paid' ? '2026-02-15T10:00:00.000Z' : null,
    });
    const calls = mockApi({
      'GET /v1/me': { status: 200, body: me },
      'GET /v1/me/series': { status: 200, body: { series: [series] } },
      'GET /v1/payouts': {
        status: 200,
        body: {
          currentMonth: '2026-03',
          thresholds: { USD: 5000 },
          balances: [{ currency: 'USD', earned: 12_299, paid: 6_000, pending: 6_299, due: 0, threshold: 5000 }],
          statements: [
            statement('2026-03', 'open', 299),
            statement('2026-02', 'carried_over', 1_000, 0),
            statement('2026-01', 'paid', 6_000),
          ],
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
              seriesId: series.id,
              seriesTitle: 'Night Ferry',
              episodeId: null,
              episodeTitle: null,
              currency: 'USD',
              amount: 6_000,
              commissionBps: 1_000,
              commission: 600,
              payout: 5_400,
              refunded: 0,
              status: 'paid',
              disputeState: null,
            },
          ],
        },
      },
    });
    open('/payouts');
    await screen.findByText('Earned to date');
    expect(screen.getByText('Earned to date').closest('.kpi')!.querySelector('dd')!.textContent).toBe('$122.99');
    expect(screen.getByText('Paid monthly once the balance reaches $50.00.')).toBeTruthy();
    const rows = screen.getAllByRole('row').slice(1);
    expect(rows.map((r) => r.querySelector('th')!.textContent)).toEqual([
      'March 2026 USD',
      'February 2026 USD',
      'January 2026 USD',
    ]);
    expect(rows.map((r) => r.querySelector('.badge')!.textContent)).toEqual(['Open', 'Carried over', 'Paid']);
    fireEvent.click(within(rows[2]!).getByRole('button', { name: 'Purchases' }));
    const purchase = await screen.findByRole('rowheader', { name: 'Night Ferry — whole series' });
    expect([...purchase.closest('tr')!.querySelectorAll('td')].map((td) => td.textContent)).toEqual([
      'Jan 5, 2026, 12:00 PM',
      '$60.00',
      '10%',
      '$6.00',
      '$54.00',
      'Completed',
      // The refund form, folded under its summary.
      expect.stringMatching(/^Refund…/),
    ]);
    expect(calls.at(-1)!.query.toString()).toBe('month=2026-01&currency=USD');
  });

  it('refunds part of a sale from its row: too much is refused in words, then it says how much went back', async () => {
    const calls = mockApi({
      'GET /v1/me': { status: 200, body: me },
      'GET /v1/me/series': { status: 200, body: { series: [] } },
      'GET /v1/texts/dashboard': {
        status: 200,
        body: {
          locale: 'en',
          messages: {
            'dashboard.refunds.sale': 'Refund this sale',
            'dashboard.refunds.amount': 'Amount to refund',
            'dashboard.refunds.amountHint': 'At most {amount}: what is left of the sale.',
            'dashboard.refunds.keepAccess': 'The buyer keeps access (a goodwill refund)',
            'dashboard.refunds.keepAccessHint': 'Without it, a refund in full removes access.',
            'dashboard.refunds.submit': 'Refund {amount}',
            'dashboard.refunds.done': '{amount} refunded.',
            'dashboard.error.refund_exceeds_remaining': 'That is more than is left to refund of this sale.',
          },
        },
      },
      'GET /v1/payouts': {
        status: 200,
        body: {
          currentMonth: '2026-03',
          thresholds: { USD: 5000 },
          balances: [{ currency: 'USD', earned: 6_000, paid: 0, pending: 6_000, due: 0, threshold: 5000 }],
          statements: [
            {
              month: '2026-03',
              currency: 'USD',
              sales: 1,
              gross: 6_000,
              refunded: 0,
              commission: 0,
              payout: 6_000,
              carriedIn: 0,
              balance: 6_000,
              threshold: 5000,
              status: 'open',
              paidAmount: null,
              paidAt: null,
            },
          ],
        },
      },
      'GET /v1/payouts/purchases': {
        status: 200,
        body: {
          month: '2026-03',
          truncated: false,
          purchases: [
            {
              id: 'pur_refundable000000001',
              paidAt: '2026-03-02T12:00:00.000Z',
              seriesId: 'ser_x',
              seriesTitle: 'Night Ferry',
              episodeId: null,
              episodeTitle: null,
              currency: 'USD',
              amount: 6_000,
              commissionBps: 0,
              commission: 0,
              payout: 6_000,
              refunded: 0,
              status: 'paid',
              disputeState: null,
            },
          ],
        },
      },
      'POST /v1/sales/pur_refundable000000001/refunds': (call) =>
        (call.body as { amount: number }).amount > 6_000
          ? { status: 409, body: apiError('refund_exceeds_remaining', 'At most 6000 is left') }
          : {
              status: 201,
              body: { refund: { id: 're_1', amount: 1_500, failed: false, keepAccess: false }, purchase: {} },
            },
    });
    open('/payouts');
    const row = (await screen.findAllByRole('row')).slice(1)[0]!;
    fireEvent.click(within(row).getByRole('button', { name: 'Purchases' }));
    fireEvent.click(await screen.findByText('Refund…'));
    const amount = await screen.findByLabelText('Amount to refund');
    expect((amount as HTMLInputElement).value).toBe('60.00');
    // In full, the buyer may keep access; partial refunds always do.
    expect(screen.getByLabelText('The buyer keeps access (a goodwill refund)')).toBeTruthy();
    fireEvent.input(amount, { target: { value: '75' } });
    fireEvent.click(screen.getByRole('button', { name: 'Refund $75.00' }));
    expect(await screen.findByText('That is more than is left to refund of this sale.')).toBeTruthy();
    fireEvent.input(amount, { target: { value: '15' } });
    expect(screen.queryByLabelText('The buyer keeps access (a goodwill refund)')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Refund $15.00' }));
    expect(await screen.findByText('$15.00 refunded.')).toBeTruthy();
    const posts = calls.filter((c) => c.method === 'POST');
    expect(posts.map((c) => c.body)).toEqual([
      { amount: 7_500, keepAccess: false },
      { amount: 1_500, keepAccess: false },
    ]);
  });
});

describe('Continue with TikTok', () => {
  it('is offered on the sign-in page, back to the page that was asked for', async () => {
    mockApi({ 'GET /v1/me': { status: 401, body: apiError('unauthorized', 'Sign in first') } });
    open('/payouts');
    const link = (await screen.findByText('Continue with TikTok')).closest('a')!;
    const href = new URL(link.getAttribute('href')!, 'http://localhost');
    expect(href.pathname).toBe('/v1/auth/tiktok/start');
    expect(href.searchParams.get('intent')).toBe('signin');
    expect(href.searchParams.get('returnTo')).toBe('/dashboard/payouts');
  });

  it('asks an account made with TikTok for its email address, with an optional password', async () => {
    let added = false;
    const tiktokOnly = { user: { ...me.user, email: null, emailVerified: false }, creator: null, endedClaim: null };
    const calls = mockApi({
      'GET /v1/me': () => ({
        status: 200,
        body: added ? { ...tiktokOnly, user: { ...tiktokOnly.user, email: 'jo@example.test' } } : tiktokOnly,
      }),
      'POST /v1/me/credentials': (call) => {
        if ((call.body as { email: string }).email === 'taken@example.test') {
          return {
            status: 409,
            body: apiError('email_taken', 'Another account uses this address', [
              { path: 'email', message: 'Another account uses this address' },
            ]),
          };
        }
        added = true;
        return { status: 200, body: { email: 'jo@example.test', emailVerified: false, password: false } };
      },
      'GET /v1/me/tiktok': { status: 200, body: { configured: true, account: null } },
      'GET /v1/commission': { status: 200, body: { bps: 1000, history: [] } },
    });
    open('/');
    const form = await screen.findByRole('form', { name: 'Add your email address' });
    expect(screen.getByText('Signed in with TikTok')).toBeTruthy();
    fireEvent.input(within(form).getByLabelText('Email'), { target: { value: 'taken@example.test' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add email' }));
    await within(form).findByText('Another account uses this address');
    fireEvent.input(within(form).getByLabelText('Email'), { target: { value: 'jo@example.test' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Add email' }));
    await waitFor(() => expect(screen.queryByRole('form', { name: 'Add your email address' })).toBeNull());
    expect(calls.filter((c) => c.path === '/v1/me/credentials').at(-1)!.body).toEqual({ email: 'jo@example.test' });
  });
});

describe('handle claims that end', () => {
  it('an admin rejects a pending claim from the creators list', async () => {
    const admin = { user: { ...me.user, email: 'admin@example.test', isAdmin: true }, creator: null };
    let rejected = false;
    const pending = {
      ...creator,
      handle: 'squatter',
      displayName: 'Not Night',
      status: 'pending' as const,
      email: 'squatter@example.test',
      tiktok: null,
      meetsCriteria: false,
      bioCode: null,
    };
    const calls = mockApi({
      'GET /v1/me': { status: 200, body: admin },
      'GET /v1/admin/creators': () => ({
        status: 200,
        body: {
          creators: rejected ? [] : [pending],
          criteria: { minFollowers: 10_000, minVideos: 0, autoApprove: false, requireVerification: false },
        },
      }),
      'GET /v1/admin/verification': {
        status: 200,
        body: {
          settings: {
            minFollowers: 10_000,
            minVideos: 0,
            autoApprove: false,
            requireVerification: false,
            updatedAt: null,
          },
        },
      },
      'POST /v1/admin/creators/squatter/reject': () => {
        rejected = true;
        return { status: 200, body: { creator: { ...pending, status: 'rejected' } } };
      },
      'GET /v1/admin/commission': { status: 200, body: { bps: 0, history: [] } },
      'GET /v1/admin/payouts': { status: 200, body: { currentMonth: '2026-11', statements: [] } },
      'GET /v1/admin/audit': { status: 200, body: { entries: [] } },
    });
    const confirm = vi.fn(() => true);
    vi.stubGlobal('confirm', confirm);
    open('/admin');
    const row = (await screen.findByText('@squatter', { selector: 'th' })).closest('tr')!;
    expect(within(row).getByRole('button', { name: 'Approve' })).toBeTruthy();
    fireEvent.click(within(row).getByRole('button', { name: 'Reject' }));
    await screen.findByText('Nobody is waiting for approval');
    expect(confirm).toHaveBeenCalledWith(expect.stringContaining('@squatter'));
    expect(calls.some((c) => c.method === 'POST' && c.path === '/v1/admin/creators/squatter/reject')).toBe(true);
  });

  it("shows the admin each claim's TikTok facts against the criteria, and confirms a bio code seen in the bio", async () => {
    const admin = { user: { ...me.user, email: 'admin@example.test', isAdmin: true }, creator: null };
    let confirmed = false;
    const big = {
      ...creator,
      id: 'cr_big',
      handle: 'lumen.studio',
      status: 'pending' as const,
      verifiedBy: 'tiktok' as const,
      email: null,
      tiktok: {
        username: 'lumen.studio',
        followerCount: 125_400,
        videoCount: 12,
        isVerified: true,
        checkedAt: '2026-11-02T10:00:00.000Z',
      },
      meetsCriteria: true,
      bioCode: null,
    };
    const typed = {
      ...creator,
      id: 'cr_typed',
      handle: 'typed',
      status: 'pending' as const,
      verifiedBy: null,
      email: 'typed@example.test',
      tiktok: null,
      meetsCriteria: false,
      bioCode: { code: 'SERIES-7KQ4M2XP', givenAt: '2026-11-02T10:00:00.000Z' },
    };
    const calls = mockApi({
      'GET /v1/me': { status: 200, body: admin },
      'GET /v1/admin/creators': () => ({
        status: 200,
        body: {
          creators: [big, confirmed ? { ...typed, verifiedBy: 'bio_code', bioCode: null } : typed],
          criteria: { minFollowers: 10_000, minVideos: 0, autoApprove: true, requireVerification: false },
        },
      }),
      'POST /v1/admin/creators/typed/confirm-bio-code': () => {
        confirmed = true;
        return { status: 200, body: { creator: { ...typed, verifiedBy: 'bio_code' } } };
      },
      'GET /v1/admin/verification': {
        status: 200,
        body: {
          settings: {
            minFollowers: 10_000,
            minVideos: 0,
            autoApprove: true,
            requireVerification: false,
            updatedAt: null,
          },
        },
      },
      'GET /v1/admin/commission': { status: 200, body: { bps: 0, history: [] } },
      'GET /v1/admin/payouts': { status: 200, body: { currentMonth: '2026-11', statements: [] } },
      'GET /v1/admin/audit': { status: 200, body: { entries: [] } },
    });
    const prompt = vi.fn(() => 'series-7kq4m2xp');
    vi.stubGlobal('prompt', prompt);
    open('/admin');
    const bigRow = (await screen.findByText('@lumen.studio', { selector: 'th' })).closest('tr')!;
    expect(bigRow.textContent).toContain('125,400 followers');
    expect(bigRow.textContent).toContain('12 videos');
    expect(bigRow.textContent).toContain('Meets the criteria');
    expect(bigRow.textContent).toContain('none (TikTok sign-in)');
    expect(screen.getByTestId('criteria').textContent).toContain('at least 10,000 followers');
    const typedRow = screen.getByText('@typed', { selector: 'th' }).closest('tr')!;
    expect(typedRow.textContent).toContain('Unverified');
    expect(typedRow.textContent).toContain('SERIES-7KQ4M2XP');
    fireEvent.click(within(typedRow).getByRole('button', { name: 'Confirm bio code' }));
    await waitFor(() => expect(confirmed).toBe(true));
    const sent = calls.find((c) => c.path === '/v1/admin/creators/typed/confirm-bio-code')!;
    expect(sent.body).toEqual({ code: 'series-7kq4m2xp' });
    expect(prompt).toHaveBeenCalledWith(expect.stringContaining('SERIES-7KQ4M2XP'));
    await waitFor(() =>
      expect(screen.getByText('@typed', { selector: 'th' }).closest('tr')!.textContent).toContain('Bio code'),
    );
  });

  it('tells the owner of an expired claim what happened, with the form to claim again', async () => {
    mockApi({
      'GET /v1/me': {
        status: 200,
        body: {
          ...me,
          creator: null,
          endedClaim: {
            handle: 'night',
            status: 'expired',
            statusMeaning: 'Expired: …',
            endedAt: '2026-02-01T00:00:00.000Z',
          },
        },
      },
    });
    open('/');
    const card = (await screen.findByRole('heading', { name: 'Your claim of @night' })).closest('.card')!;
    expect(card.textContent).toContain('Expired');
    expect(card.textContent).toContain('within 30 days');
    expect(card.textContent).toContain('claim the handle again');
    expect(await screen.findByRole('heading', { name: 'Claim your video-site handle' })).toBeTruthy();
  });
});
