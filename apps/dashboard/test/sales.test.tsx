// What the dashboard says about selling: the commission in force (from the API, never fixed text) and what
// cannot be sold yet (the API's warnings on a series).
import { render, screen, within } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { App } from '../src/app.js';
import { apiError, mockApi } from './support/mock-api.js';
import { ownerEpisode, ownerSeries } from './support/owner-series.js';

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
const episode = ownerEpisode;
const series = ownerSeries({
  bundlePrice: 499,
  episodes: [episode(1), episode(2, { hasVideo: false })],
  warnings: [{ code: 'episode_not_ready', episodeId: 'ep_2', number: 2, title: 'Part 2' }],
});

function open(path: string) {
  history.replaceState(null, '', `/dashboard${path}`);
  return render(<App />);
}

describe('the commission in force', () => {
  it('the sign-in page says what creators keep at the rate an admin set', async () => {
    mockApi({
      'GET /v1/me': { status: 401, body: apiError('unauthorized', 'Sign in first') },
      'GET /v1/commission': { status: 200, body: { bps: 1250 } },
    });
    open('/');
    await screen.findByText(/You keep 87\.5% of every sale\./);
    expect(document.body.textContent).not.toContain('100%');
  });

  it('the sign-in page states no figure when the rate cannot be read', async () => {
    mockApi({
      'GET /v1/me': { status: 401, body: apiError('unauthorized', 'Sign in first') },
      'GET /v1/commission': 'network-error',
    });
    open('/');
    await screen.findByRole('form', { name: 'Sign in' });
    expect(document.body.textContent).toContain('Sell premium episodes of your series to your viewers.');
    expect(document.body.textContent).not.toContain('You keep');
  });

  it('the overview shows the current rate and what the creator keeps', async () => {
    mockApi({
      'GET /v1/me': { status: 200, body: me },
      'GET /v1/me/series': { status: 200, body: { series: [] } },
      'GET /v1/commission': { status: 200, body: { bps: 1250 } },
    });
    open('/');
    const line = await screen.findByTestId('commission');
    expect(line.textContent).toContain('Platform commission today: 12.5%. You keep 87.5% of each sale');
    expect(document.body.textContent).not.toContain('0% today');
  });
});

describe('what cannot be sold yet', () => {
  it('the series page lists the episodes without their video, as the API says', async () => {
    mockApi({
      'GET /v1/me': { status: 200, body: me },
      'GET /v1/me/series/ser_aaaaaaaaaaaaaaaaaaaa': { status: 200, body: { series } },
    });
    open('/series/ser_aaaaaaaaaaaaaaaaaaaa');
    const warning = await screen.findByText(/Not on sale until their video is uploaded/);
    const box = warning.closest('[role="status"]') as HTMLElement;
    expect(within(box).getByText(/episode 2 \(“Part 2”\)/)).toBeTruthy();
    expect(box.textContent).toContain('Viewers see them as “coming soon”');
    expect(box.textContent).not.toContain('Buy all');
  });

  it('says when "buy all" cannot be sold either, and nothing once everything can', async () => {
    mockApi({
      'GET /v1/me': { status: 200, body: me },
      'GET /v1/me/series/ser_aaaaaaaaaaaaaaaaaaaa': {
        status: 200,
        body: {
          series: {
            ...series,
            episodes: [episode(1, { hasVideo: false }), episode(2, { hasVideo: false })],
            warnings: [...series.warnings, { code: 'series_not_ready' }],
          },
        },
      },
    });
    const first = open('/series/ser_aaaaaaaaaaaaaaaaaaaa');
    await screen.findByText(/“Buy all” is not offered until at least one premium episode has its video/);
    first.unmount();
    mockApi({
      'GET /v1/me': { status: 200, body: me },
      'GET /v1/me/series/ser_aaaaaaaaaaaaaaaaaaaa': { status: 200, body: { series: { ...series, warnings: [] } } },
    });
    open('/series/ser_aaaaaaaaaaaaaaaaaaaa');
    await screen.findByRole('heading', { name: 'Night Ferry' });
    expect(screen.queryByText(/Not on sale until/)).toBeNull();
  });
});
