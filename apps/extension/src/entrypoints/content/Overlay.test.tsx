// @vitest-environment happy-dom
import { pick } from '@series/core';
import { render } from 'preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { EpisodeMatch, EpisodeView } from '../../lib/protocol';
import { setTexts } from '../../lib/texts';
import { Overlay, type OverlayActions, type OverlayView } from './Overlay';

const episode = (over: Partial<EpisodeView> = {}): EpisodeView => ({
  id: 'ep_demoLighthouse00002',
  number: 2,
  title: 'Footprints in the Salt',
  durationSeconds: 540,
  access: 'locked',
  price: '$1.99',
  released: true,
  releaseAt: null,
  hasVideo: true,
  ...over,
});
const match = (
  over: Partial<EpisodeView> = {},
  checkout: EpisodeMatch['checkout'] = { phase: 'none' },
): EpisodeMatch => ({
  creator: { handle: 'seriesdemo', displayName: 'Series Demo' },
  series: {
    id: 'ser_demoLighthouseKeeper',
    title: 'The Lighthouse Keeper',
    episodeCount: 5,
    bundlePrice: '$4.99',
    bundleCompletes: false,
  },
  episode: episode(over),
  checkout,
});
const actions = (): OverlayActions => ({
  openSeries: vi.fn(),
  unlock: vi.fn(),
  signIn: vi.fn(),
  retry: vi.fn(),
  dismiss: vi.fn(),
});

function show(view: OverlayView, locale: 'en' | 'fr' = 'en', a = actions()) {
  setTexts(locale, pick(locale, ['extension.']) as Record<string, string>);
  const root = document.createElement('div');
  document.body.append(root);
  render(<Overlay view={view} actions={a} />, root);
  const role = (r: string) => root.querySelector<HTMLElement>(`[data-role="${r}"]`);
  return { root, role, actions: a };
}

describe('the overlay', () => {
  afterEach(() => void (document.body.innerHTML = ''));

  it('offers Unlock on a locked episode, and Unlock is the one control that starts a checkout', () => {
    const { root, role, actions } = show({
      kind: 'episode',
      match: match(),
      signedIn: false,
      starting: false,
      compact: false,
    });
    expect(root.textContent).toContain('Episode 2 of The Lighthouse Keeper');
    expect(role('unlock')?.textContent).toBe('Unlock episode — $1.99');
    role('unlock')!.click();
    expect(actions.unlock).toHaveBeenCalledWith('ep_demoLighthouse00002');
    expect(root.textContent).toContain('You’re signed out. Bought it already?');
  });

  it('keeps the same button, aria-disabled and ignoring presses, while the checkout is under way', () => {
    const { role, actions } = show({
      kind: 'episode',
      match: match({}, { phase: 'open', purchaseId: 'pur_1' }),
      signedIn: true,
      starting: false,
      compact: true,
    });
    const button = role('unlock')!;
    expect(button.textContent).toBe('Waiting for payment…');
    expect(button.getAttribute('aria-disabled')).toBe('true');
    expect(button.hasAttribute('disabled')).toBe(false); // a disabled button would drop the focus
    button.click();
    expect(actions.unlock).not.toHaveBeenCalled();
    expect(role('checkout-status')?.getAttribute('role')).toBe('status');
  });

  it('shows "coming soon", and no Unlock, for an episode whose video is not uploaded yet', () => {
    const { role, actions } = show({
      kind: 'episode',
      match: match({ hasVideo: false }),
      signedIn: true,
      starting: false,
      compact: false,
    });
    expect(role('unlock')).toBeNull();
    expect(role('not-ready')?.textContent).toBe('Coming soon');
    expect(role('not-ready')?.getAttribute('aria-disabled')).toBe('true');
    role('not-ready')!.click();
    expect(actions.unlock).not.toHaveBeenCalled();
    expect(role('not-ready-note')?.textContent).toMatch(/not uploaded this episode’s video yet/);
  });

  it('offers Watch for an owned or free episode', () => {
    const { role, actions } = show({
      kind: 'episode',
      match: match({ access: 'owned' }),
      signedIn: true,
      starting: false,
      compact: true,
    });
    role('watch')!.click();
    expect(actions.openSeries).toHaveBeenCalledWith('ser_demoLighthouseKeeper', 'ep_demoLighthouse00002');
  });

  it('speaks French with French plurals, and says which language it speaks', () => {
    const { root, role } = show(
      { kind: 'episode', match: match(), signedIn: false, starting: false, compact: true },
      'fr',
    );
    expect(root.querySelector('section')?.getAttribute('lang')).toBe('fr');
    expect(root.textContent).toContain('Épisode 2 de The Lighthouse Keeper');
    expect(role('unlock')?.textContent).toBe('Débloquer $1.99');
    expect(role('series-link')?.textContent).toBe('Les 5 épisodes · tout acheter $4.99 →');
  });

  it('names every control (the error panel’s × included) and shows the extension’s own error text', () => {
    const { root } = show({
      kind: 'error',
      error: { code: 'api_unreachable', message: 'fetch failed', url: 'http://127.0.0.1:8787' },
      compact: false,
    });
    for (const control of root.querySelectorAll('button'))
      expect(control.getAttribute('aria-label') || control.textContent?.trim()).toBeTruthy();
    expect(root.querySelector('[data-role=dismiss]')?.getAttribute('aria-label')).toBe('Dismiss');
    expect(root.textContent).toContain('Series can’t reach its server at http://127.0.0.1:8787.');
    expect(root.textContent).not.toContain('fetch failed');
  });

  it('offers a creator’s series on a feed item whose own video is not an episode', () => {
    const a = actions();
    const { role } = show(
      {
        kind: 'creator',
        creator: {
          handle: 'seriesdemo',
          displayName: 'Series Demo',
          series: [{ id: 'ser_a', title: 'The Lighthouse Keeper', episodeCount: 5 }],
        },
      },
      'en',
      a,
    );
    expect(role('creator-series')?.textContent).toBe('Series by @seriesdemo');
    role('creator-series')!.click();
    expect(a.openSeries).toHaveBeenCalledWith('ser_a');
  });
});

describe("the profile shelf's verified mark", () => {
  afterEach(() => void (document.body.innerHTML = ''));
  const profile = (verified: 'tiktok' | 'bio_code' | null): OverlayView => ({
    kind: 'profile',
    data: {
      kind: 'profile',
      handle: 'seriesdemo',
      creator: { handle: 'seriesdemo', displayName: 'Series Demo', verified },
      shelf: [],
      offSale: [],
      signedIn: false,
    },
  });

  it('says how the creator was verified, in the page language, and nothing for an unverified one', () => {
    expect(show(profile('tiktok')).role('verified')?.textContent).toBe('✓ Verified creator');
    document.body.innerHTML = '';
    expect(show(profile('bio_code'), 'fr').role('verified')?.textContent).toBe('✓ Vérifié par code dans la bio');
    document.body.innerHTML = '';
    expect(show(profile(null)).role('verified')).toBeNull();
  });
});
