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
const SERIES = 'ser_aaaaaaaaaaaaaaaaaaaa';
const ferry = {
  id: SERIES,
  title: 'Night Ferry',
  currency: 'USD',
  bundlePrice: 499,
  episodes: [
    { id: 'ep_aaaaaaaaaaaaaaaaaaa1', number: 1, title: 'Trailer', price: null },
    { id: 'ep_aaaaaaaaaaaaaaaaaaa2', number: 2, title: 'Crossing', price: 299 },
  ],
};
const live = {
  id: 'dsc_aaaaaaaaaaaaaaaaaaaa',
  seriesId: SERIES,
  scope: 'episodes',
  episodeId: null,
  kind: 'percent',
  value: 50,
  startsAt: '2026-12-01T00:00:00.000Z',
  endsAt: '2026-12-13T00:00:00.000Z',
  status: 'live',
  createdAt: '2026-12-01T00:00:00.000Z',
};

function open(routes: Record<string, unknown>) {
  localStorage.setItem('series.dashboard.locale', 'en');
  const calls = mockApi({
    'GET /v1/me': { status: 200, body: me },
    'GET /v1/me/series': { status: 200, body: { series: [ferry] } },
    'GET /v1/texts/dashboard': { status: 200, body: { locale: 'en', messages: pick('en', ['dashboard.']) } },
    ...(routes as object),
  });
  history.replaceState(null, '', '/dashboard/discounts');
  render(<App />);
  return calls;
}

afterEach(() => localStorage.clear());

describe('discounts page', () => {
  it('lists a series’ discounts, ends a live one, and adds one on an episode at an amount off', async () => {
    let ended = false;
    const calls = open({
      [`GET /v1/series/${SERIES}/discounts`]: () => ({
        status: 200,
        body: { discounts: [ended ? { ...live, status: 'ended' } : live] },
      }),
      'DELETE /v1/discounts/dsc_aaaaaaaaaaaaaaaaaaaa': () => (
        (ended = true),
        { status: 200, body: { discount: { ...live, status: 'ended' }, deleted: false } }
      ),
      [`POST /v1/series/${SERIES}/discounts`]: (call: Call) =>
        (call.body as { value: number }).value > 10_000
          ? { status: 409, body: apiError('too_many_discounts', 'At most 20') }
          : { status: 201, body: { discount: live } },
    });
    await screen.findByRole('heading', { name: 'Discounts', level: 1 });
    const item = (await screen.findByText('50% off')).closest('li')!;
    expect(item.textContent).toContain('Every episode');
    expect(item.textContent).toContain('Live now');
    fireEvent.click(within(item).getByRole('button', { name: 'End now' }));
    await waitFor(() => expect(screen.getByText('Ended')).toBeTruthy());
    expect(calls.some((c) => c.method === 'DELETE' && c.path === '/v1/discounts/dsc_aaaaaaaaaaaaaaaaaaaa')).toBe(true);

    // The free trailer is not offered; the whole series is (it has a buy-all price).
    const on = screen.getByLabelText('On') as HTMLSelectElement;
    expect([...on.options].map((o) => o.textContent)).toEqual([
      'Every episode',
      'The whole series (buy all)',
      'Episode 2: Crossing',
    ]);
    fireEvent.change(on, { target: { value: 'episode:ep_aaaaaaaaaaaaaaaaaaa2' } });
    fireEvent.click(screen.getByLabelText('An amount off'));
    fireEvent.input(await screen.findByLabelText('Amount off (USD)'), { target: { value: '1.00' } });
    fireEvent.input(screen.getByLabelText('Starts (UTC)'), { target: { value: '2026-12-10T09:00' } });
    fireEvent.input(screen.getByLabelText('Ends (UTC)'), { target: { value: '2026-12-12T23:59' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add discount' }));
    await waitFor(() => expect(calls.some((c) => c.method === 'POST')).toBe(true));
    expect(calls.find((c) => c.method === 'POST')!.body).toEqual({
      scope: 'episode',
      episodeId: 'ep_aaaaaaaaaaaaaaaaaaa2',
      kind: 'fixed',
      value: 100,
      startsAt: '2026-12-10T09:00:00.000Z',
      endsAt: '2026-12-12T23:59:00.000Z',
    });
    // Added: the form is ready for the next one.
    await waitFor(() => expect((screen.getByLabelText('Amount off (USD)') as HTMLInputElement).value).toBe(''));
    // A refusal is said in words.
    fireEvent.input(screen.getByLabelText('Amount off (USD)'), { target: { value: '200.00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add discount' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'This series has the most discounts allowed (20 not ended).',
    );
  });
});
