import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../src/app.js';
import { mockApi, type Call } from './support/mock-api.js';

const admin = {
  user: { id: 'usr_admin', email: 'admin@example.test', createdAt: '2026-01-01T00:00:00.000Z', isAdmin: true },
  creator: null,
};
const SERIES = 'ser_aaaaaaaaaaaaaaaaaaaa';
const EPISODE = 'ep_bbbbbbbbbbbbbbbbbbbb';
const queueItem = {
  series: {
    id: SERIES,
    title: 'Night Ferry',
    description: 'Across the bay.',
    coverUrl: null,
    currency: 'USD',
    bundlePrice: 499,
    status: 'draft',
    creator: { handle: 'night', displayName: 'Night' },
    review: { state: 'pending', reason: null, submittedAt: '2026-12-01T10:00:00.000Z', reviewedAt: null },
    revision: null,
    takenDown: null,
  },
  asks: ['series'],
  waitingSince: '2026-12-01T10:00:00.000Z',
  episodes: [
    {
      id: EPISODE,
      number: 1,
      title: 'Departure',
      durationSeconds: 75,
      price: 199,
      review: null,
      hasVideo: true,
      playbackUrl: `http://localhost/v1/media/${EPISODE}?grant=g`,
    },
  ],
};
const report = {
  id: 'rpt_cccccccccccccccccccc',
  target: { kind: 'review', id: 'rev_dddddddddddddddddddd' },
  seriesId: SERIES,
  reason: 'hateful',
  text: 'Insults the actors',
  createdAt: '2026-12-01T11:00:00.000Z',
  resolution: null,
  resolvedAt: null,
  note: null,
  series: { id: SERIES, title: 'Night Ferry', handle: 'night', live: true, takenDown: false },
  episode: null,
  review: { stars: 1, text: 'Awful people', removed: false },
};

function open(routes: Record<string, unknown>, locale: 'en' | 'fr' = 'en') {
  localStorage.setItem('series.dashboard.locale', locale);
  const calls = mockApi({ 'GET /v1/me': { status: 200, body: admin }, ...(routes as object) });
  history.replaceState(null, '', '/dashboard/moderation');
  render(<App />);
  return calls;
}

afterEach(() => localStorage.clear());

describe('moderation page', () => {
  it('turns review on, shows what waits with its price and video, rejects only with a reason, approves', async () => {
    let on = false;
    let items = [queueItem];
    const calls = open({
      'GET /v1/admin/settings/review': () => ({ status: 200, body: { reviewRequired: on, updatedAt: null } }),
      'PUT /v1/admin/settings/review': (call: Call) => {
        on = (call.body as { reviewRequired: boolean }).reviewRequired;
        return { status: 200, body: { reviewRequired: on, updatedAt: null } };
      },
      'GET /v1/admin/review-queue': () => ({ status: 200, body: { items } }),
      'GET /v1/admin/reports': { status: 200, body: { reports: [] } },
      [`POST /v1/admin/review-queue/series/${SERIES}/reject`]: { status: 200, body: {} },
      [`POST /v1/admin/review-queue/series/${SERIES}/approve`]: () => {
        items = [];
        return { status: 200, body: {} };
      },
    });
    await screen.findByText('Off: creators publish at once.');
    fireEvent.click(screen.getByRole('button', { name: 'Turn review on' }));
    await screen.findByRole('button', { name: 'Turn review off' });
    expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ reviewRequired: true });

    const entry = (await screen.findByRole('heading', { name: /Night Ferry/ })).closest('li')!;
    expect(within(entry).getByText('Buy all: $4.99')).toBeTruthy();
    expect(within(entry).getByText('Departure').parentElement!.textContent).toContain('$1.99');
    expect(entry.querySelector('video')!.getAttribute('src')).toBe(`http://localhost/v1/media/${EPISODE}?grant=g`);

    const form = within(entry).getByRole('form', { name: 'Night Ferry' });
    fireEvent.click(within(form).getByRole('button', { name: 'Reject' }));
    await within(form).findByText('Say why: the creator reads it.');
    expect(calls.some((c) => c.path.endsWith('/reject'))).toBe(false);
    fireEvent.input(within(form).getByLabelText('Reason (the creator reads it)'), {
      target: { value: 'The cover shows a phone number.' },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Reject' }));
    await waitFor(() => expect(calls.some((c) => c.path.endsWith('/reject'))).toBe(true));
    expect(calls.find((c) => c.path.endsWith('/reject'))!.body).toEqual({ reason: 'The cover shows a phone number.' });
    const again = within((await screen.findByRole('heading', { name: /Night Ferry/ })).closest('li')!);
    fireEvent.click(again.getByRole('form', { name: 'Night Ferry' }).querySelector('button[value=approve]')!);
    await screen.findByText('Nothing waits for review.');
  });

  it('in French, handles a report: removes the reported review', async () => {
    let reports = [report];
    const calls = open(
      {
        'GET /v1/admin/settings/review': { status: 200, body: { reviewRequired: true, updatedAt: null } },
        'GET /v1/admin/review-queue': { status: 200, body: { items: [] } },
        'GET /v1/admin/reports': () => ({ status: 200, body: { reports } }),
        [`POST /v1/admin/reports/${report.id}/resolve`]: () => {
          reports = [];
          return { status: 200, body: { report: { ...report, resolution: 'review_removed' } } };
        },
      },
      'fr',
    );
    const item = (await screen.findByText(/^Un avis noté 1\/5 sur . Night Ferry ./)).closest('li')!;
    expect(item.textContent).toContain('Motif\u202f: Haine ou harcèlement');
    fireEvent.click(within(item).getByRole('button', { name: 'Retirer l’avis' }));
    await screen.findByText('Aucun signalement ouvert.');
    expect(calls.find((c) => c.path.endsWith('/resolve'))!.body).toEqual({ action: 'remove_review', note: '' });
  });
});

describe('the creator’s series page', () => {
  it('says the series was not approved and why, lists its ratings and posts a reply once', async () => {
    const creatorMe = {
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
    const series = {
      id: SERIES,
      slug: 'night-ferry',
      title: 'Night Ferry',
      description: '',
      coverUrl: null,
      coverThumb: null,
      review: { state: 'rejected', reason: 'The cover shows a phone number.', submittedAt: null, reviewedAt: null },
      revision: null,
      takenDown: null,
      currency: 'USD',
      bundlePrice: null,
      status: 'draft',
      episodeCount: 1,
      priceRange: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      publishedAt: null,
      warnings: [],
      sold: false,
      episodes: [
        {
          id: EPISODE,
          number: 1,
          title: 'Departure',
          durationSeconds: 75,
          price: 199,
          sale: null,
          free: false,
          videoId: null,
          releaseAt: null,
          released: true,
          hasVideo: true,
          thumbnailUrl: null,
          review: { state: 'rejected', reason: 'Wrong video' },
          seriesId: SERIES,
          videoVerified: false,
          media: { contentType: 'video/mp4', size: 1000, uploadedAt: '2026-12-01T10:00:00.000Z' },
          sold: false,
          createdAt: '2026-01-01T00:00:00.000Z',
          updatedAt: '2026-01-01T00:00:00.000Z',
        },
      ],
    };
    let replied = false;
    const rated = () => ({
      id: 'rev_dddddddddddddddddddd',
      seriesId: SERIES,
      stars: 4,
      text: 'Loved it',
      createdAt: '2026-12-01T11:00:00.000Z',
      editedAt: null,
      reply: replied ? { text: 'Thank you!', createdAt: '2026-12-01T12:00:00.000Z' } : null,
      counts: true,
    });
    const calls = mockApi({
      'GET /v1/me': { status: 200, body: creatorMe },
      [`GET /v1/me/series/${SERIES}`]: { status: 200, body: { series } },
      [`GET /v1/me/series/${SERIES}/reviews`]: () => ({
        status: 200,
        body: { rating: { average: 4, count: 1 }, reviews: [rated()] },
      }),
      'POST /v1/reviews/rev_dddddddddddddddddddd/reply': () => {
        replied = true;
        return { status: 201, body: { review: rated() } };
      },
    });
    localStorage.setItem('series.dashboard.locale', 'en');
    history.replaceState(null, '', `/dashboard/series/${SERIES}`);
    render(<App />);
    await screen.findByText('Not approved: The cover shows a phone number. Change it and publish again.');
    expect(await screen.findByText('Not approved: Wrong video')).toBeTruthy();
    const ratings = (await screen.findByRole('heading', { name: 'Ratings' })).closest('div')!;
    await within(ratings).findByText('4 out of 5 · ratings that count: 1');
    expect(within(ratings).getByText('Loved it')).toBeTruthy();
    fireEvent.input(within(ratings).getByLabelText('Your public reply (one per rating)'), {
      target: { value: 'Thank you!' },
    });
    fireEvent.click(within(ratings).getByRole('button', { name: 'Post the reply' }));
    await within(ratings).findByText('Your reply: Thank you!');
    expect(calls.find((c) => c.path.endsWith('/reply'))!.body).toEqual({ text: 'Thank you!' });
    expect(within(ratings).queryByRole('button', { name: 'Post the reply' })).toBeNull();
  });
});
