import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { App } from '../src/app.js';
import { apiError, mockApi } from './support/mock-api.js';

const creator = (status: 'approved' | 'pending' | 'suspended') => ({
  user: { id: 'usr_1', email: 'night@example.test', createdAt: '2026-01-01T00:00:00.000Z', isAdmin: false },
  creator: {
    id: 'cr_1',
    handle: 'night',
    displayName: 'Night',
    status,
    statusMeaning: status,
    createdAt: '2026-01-01T00:00:00.000Z',
    statusChangedAt: '2026-01-01T00:00:00.000Z',
  },
});
const episode = (n: number, sold: boolean) => ({
  id: `ep_${String(n).padStart(20, 'a')}`,
  number: n,
  title: `Part ${n}`,
  durationSeconds: 60,
  price: 299,
  free: false,
  videoId: null,
  releaseAt: null,
  released: true,
  hasVideo: true,
  thumbnailUrl: null,
  sold,
  seriesId: 'ser_aaaaaaaaaaaaaaaaaaaa',
  media: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
});
const series = (fields: Record<string, unknown>) => ({
  id: 'ser_aaaaaaaaaaaaaaaaaaaa',
  slug: 'night-ferry',
  title: 'Night Ferry',
  description: '',
  coverUrl: null,
  coverThumb: null,
  review: null,
  revision: null,
  takenDown: null,
  currency: 'USD',
  bundlePrice: null,
  status: 'draft',
  episodeCount: 2,
  priceRange: { min: 299, max: 299 },
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  publishedAt: null,
  episodes: [episode(1, false), episode(2, false)],
  warnings: [],
  sold: false,
  ...fields,
});

function open(me: unknown, s: unknown, extra: Record<string, unknown> = {}) {
  const calls = mockApi({
    'GET /v1/me': { status: 200, body: me },
    'GET /v1/me/series/ser_aaaaaaaaaaaaaaaaaaaa': { status: 200, body: { series: s } },
    ...(extra as object),
  });
  history.replaceState(null, '', '/dashboard/series/ser_aaaaaaaaaaaaaaaaaaaa');
  render(<App />);
  return calls;
}

const reasonOf = (button: HTMLElement) =>
  document.getElementById(button.getAttribute('aria-describedby') ?? '')?.textContent ?? null;

describe('say no before the click', () => {
  it('a bought episode’s Delete is disabled, with why beside it; an unsold one’s is not', async () => {
    open(creator('approved'), series({ episodes: [episode(1, true), episode(2, false)], sold: true }));
    await screen.findByRole('heading', { name: 'Night Ferry', level: 1 });
    const [first, second] = screen.getAllByRole('button', { name: 'Delete' }) as HTMLButtonElement[];
    expect(first!.disabled).toBe(true);
    await waitFor(() => expect(reasonOf(first!)).toBe('Bought by viewers: it stays (edit it instead).'));
    expect(second!.disabled).toBe(false);
    expect(reasonOf(second!)).toBeNull();
  });

  it('a series with buyers cannot be deleted, and says to unpublish it instead', async () => {
    open(creator('approved'), series({ sold: true }));
    const button = (await screen.findByRole('button', { name: 'Delete series' })) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    await waitFor(() =>
      expect(reasonOf(button)).toMatch(/^People bought from this series, so it stays: unpublish it instead/),
    );
  });

  it('Publish is disabled for a pending or suspended creator, and for an empty series, with the reason', async () => {
    open(creator('pending'), series({}));
    const publish = (await screen.findByRole('button', { name: 'Publish' })) as HTMLButtonElement;
    expect(publish.disabled).toBe(true);
    await waitFor(() => expect(reasonOf(publish)).toBe('You can publish once an admin approves your creator account.'));
  });

  it('an empty series says to add an episode before publishing', async () => {
    open(creator('approved'), series({ episodes: [], episodeCount: 0 }));
    const publish = (await screen.findByRole('button', { name: 'Publish' })) as HTMLButtonElement;
    expect(publish.disabled).toBe(true);
    await waitFor(() =>
      expect(reasonOf(publish)).toBe('Add an episode first: a series needs at least one to be published.'),
    );
  });

  it('a refusal shows beside the button that caused it', async () => {
    open(creator('approved'), series({}), {
      'POST /v1/series/ser_aaaaaaaaaaaaaaaaaaaa/publish': {
        status: 409,
        body: apiError('stripe_account_required', 'Connect a Stripe account before publishing paid episodes'),
      },
      'DELETE /v1/series/ser_aaaaaaaaaaaaaaaaaaaa': {
        status: 409,
        body: apiError('series_has_purchases', 'This series has buyers; unpublish it instead of deleting it'),
      },
    });
    const publish = (await screen.findByRole('button', { name: 'Publish' })) as HTMLButtonElement;
    expect(publish.disabled).toBe(false);
    fireEvent.click(publish);
    await waitFor(() => expect(reasonOf(publish)).toBe('Connect a Stripe account before publishing paid episodes'));
    globalThis.confirm = () => true;
    const remove = screen.getByRole('button', { name: 'Delete series' });
    fireEvent.click(remove);
    await waitFor(() => expect(reasonOf(remove)).toBe('This series has buyers; unpublish it instead of deleting it'));
    // In the danger zone, not at the top of the page.
    expect(remove.closest('.danger-zone')!.textContent).toContain('This series has buyers');
  });
});
