import { pick } from '@series/core';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../src/app.js';
import { apiError, mockApi, type Call } from './support/mock-api.js';

const me = {
  user: { id: 'usr_1', email: 'night@example.test', createdAt: '2026-01-01T00:00:00.000Z', isAdmin: false },
  creator: {
    id: 'cr_1',
    handle: 'night',
    displayName: 'Night',
    status: 'approved',
    statusMeaning: 'approved',
    createdAt: '2026-01-01T00:00:00.000Z',
    statusChangedAt: '2026-01-01T00:00:00.000Z',
  },
};
const ferry = { id: 'ser_aaaaaaaaaaaaaaaaaaaa', title: 'Night Ferry', currency: 'USD', status: 'published' };
const code = (fields: Record<string, unknown>) => ({
  id: 'pc_aaaaaaaaaaaaaaaaaaaa',
  code: 'LAUNCH-25',
  seriesId: ferry.id,
  kind: 'percent',
  value: 25,
  expiresAt: null,
  maxRedemptions: 100,
  paused: false,
  status: 'active',
  redemptions: 2,
  openCheckouts: 1,
  gross: 448,
  discounted: 150,
  createdAt: '2026-01-01T00:00:00.000Z',
  ...fields,
});

function open(routes: Record<string, unknown>, locale: 'en' | 'fr' = 'en') {
  localStorage.setItem('series.dashboard.locale', locale);
  const calls = mockApi({
    'GET /v1/me': { status: 200, body: me },
    'GET /v1/me/series': { status: 200, body: { series: [ferry] } },
    'GET /v1/texts/dashboard': (call: Call) => {
      const lang = call.query.get('lang') === 'fr' ? 'fr' : 'en';
      return { status: 200, body: { locale: lang, messages: pick(lang, ['dashboard.']) } };
    },
    ...(routes as object),
  });
  history.replaceState(null, '', '/dashboard/promo-codes');
  render(<App />);
  return calls;
}

afterEach(() => localStorage.clear());

describe('promo codes page', () => {
  it('lists each code with its uses and what it brought, pauses one, and shows its sales', async () => {
    let paused = false;
    const calls = open({
      'GET /v1/me/promo-codes': () => ({
        status: 200,
        body: { promoCodes: [code(paused ? { paused: true, status: 'paused' } : {})] },
      }),
      'PATCH /v1/me/promo-codes/pc_aaaaaaaaaaaaaaaaaaaa': (call: Call) => {
        paused = (call.body as { paused: boolean }).paused;
        return { status: 200, body: { promoCode: code({ paused, status: paused ? 'paused' : 'active' }) } };
      },
      'GET /v1/me/promo-codes/pc_aaaaaaaaaaaaaaaaaaaa/redemptions': {
        status: 200,
        body: {
          promoCode: code({}),
          redemptions: [
            {
              purchaseId: 'pur_1',
              seriesId: ferry.id,
              episodeId: 'ep_1',
              title: 'Night Ferry — Part 2',
              listAmount: 299,
              discounted: 75,
              amount: 224,
              currency: 'USD',
              refunded: false,
              paidAt: '2026-02-03T10:00:00.000Z',
            },
          ],
        },
      },
    });
    await screen.findByRole('heading', { name: 'Promo codes', level: 1 });
    const item = (await screen.findByText('LAUNCH-25')).closest('li')!;
    expect(item.textContent).toContain('25% off · Night Ferry · at most 100 uses');
    expect(item.textContent).toContain('Used 2 times, 1 checkouts open with it · brought $4.48, took off $1.50');
    fireEvent.click(within(item).getByRole('button', { name: 'Pause' }));
    await waitFor(() => expect(screen.getByText('Paused: checkouts refuse it')).toBeTruthy());
    expect(calls.find((c) => c.method === 'PATCH')!.body).toEqual({ paused: true });
    const again = screen.getByText('LAUNCH-25').closest('li')!;
    fireEvent.click(within(again).getByRole('button', { name: 'See the sales' }));
    await screen.findByText(/Night Ferry — Part 2/);
    expect(again.textContent).toContain('list price $2.99, $0.75 off, paid $2.24');
  });

  it('creates a code for one series with an amount off in its currency, and shows the API’s refusal in words', async () => {
    let taken = false;
    const calls = open({
      'GET /v1/me/promo-codes': { status: 200, body: { promoCodes: [] } },
      'POST /v1/me/promo-codes': () =>
        taken
          ? { status: 409, body: apiError('promo_code_taken', 'You already have a code written so') }
          : ((taken = true), { status: 201, body: { promoCode: code({ code: 'FERRY1', kind: 'fixed', value: 150 }) } }),
    });
    await screen.findByText('You have no promo codes yet.');
    fireEvent.input(screen.getByLabelText('Code'), { target: { value: 'ferry1' } });
    fireEvent.change(screen.getByLabelText('For'), { target: { value: ferry.id } });
    fireEvent.click(screen.getByLabelText('An amount off'));
    fireEvent.input(await screen.findByLabelText('Amount off (USD)'), { target: { value: '1.50' } });
    fireEvent.input(screen.getByLabelText('Last day (UTC)'), { target: { value: '2026-12-31' } });
    fireEvent.input(screen.getByLabelText('Maximum uses'), { target: { value: '50' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create code' }));
    await screen.findByText(/Code FERRY1 is ready/);
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({
      code: 'ferry1',
      seriesId: ferry.id,
      kind: 'fixed',
      value: 150,
      expiresAt: '2026-12-31T23:59:59.999Z',
      maxRedemptions: 50,
    });
    fireEvent.input(screen.getByLabelText('Code'), { target: { value: 'ferry1' } });
    fireEvent.input(screen.getByLabelText('Amount off (USD)'), { target: { value: '1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create code' }));
    expect((await screen.findByRole('alert')).textContent).toBe('You already have a code written so.');
  });

  it('is in French when the dashboard is', async () => {
    open({ 'GET /v1/me/promo-codes': { status: 200, body: { promoCodes: [code({})] } } }, 'fr');
    await screen.findByRole('heading', { name: 'Codes promo', level: 1 });
    const item = (await screen.findByText('LAUNCH-25')).closest('li')!;
    expect(item.textContent).toContain('25\u202f% de réduction');
    expect(item.textContent).toContain('a rapporté 4,48\u00a0$US');
  });
});
