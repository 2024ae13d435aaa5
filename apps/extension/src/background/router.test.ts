import { describe, expect, it, vi } from 'vitest';
import { fail } from './api';
import { route, type Handlers } from './router';

const OWN_ID = 'abcdefghijklmnopabcdefghijklmnop';
const OWN_ORIGIN = `chrome-extension://${OWN_ID}/`;
const contentScript = { id: OWN_ID, url: 'https://www.tiktok.com/@seriesdemo' };
const popup = { id: OWN_ID, url: `${OWN_ORIGIN}popup.html` };

function handlers(): Handlers {
  const fn = () => vi.fn(async () => ({}) as never);
  return {
    ui: fn(),
    setLocale: fn(),
    page: fn(),
    anchors: fn(),
    feedItem: fn(),
    prefetch: fn(),
    badges: fn(),
    unlock: fn(),
    checkoutState: fn(),
    openPlayer: fn(),
    openSignIn: fn(),
    shown: fn(),
    session: fn(),
    signIn: fn(),
    signUp: fn(),
    signOut: fn(),
    library: fn(),
    setApiUrl: fn(),
    series: fn(),
    access: fn(),
  };
}

const called = (h: Handlers) =>
  Object.values(h).filter((f) => (f as ReturnType<typeof vi.fn>).mock.calls.length > 0).length;

describe('route', () => {
  it('hands a valid content-script message to its handler, parsed (handle normalised)', async () => {
    const h = handlers();
    const answer = await route(
      { type: 'page', page: { kind: 'profile', handle: '@SeriesDemo' } },
      contentScript,
      OWN_ID,
      OWN_ORIGIN,
      h,
    );
    expect(answer.ok).toBe(true);
    expect(h.page).toHaveBeenCalledWith({ type: 'page', page: { kind: 'profile', handle: 'seriesdemo' } });
  });

  it('refuses malformed messages before any handler runs', async () => {
    const h = handlers();
    for (const raw of [
      undefined,
      null,
      42,
      'page',
      { type: 'page' },
      { type: 'page', page: { kind: 'video', handle: 'x y', videoId: '1' } },
      { type: 'unlock', item: { episodeId: "ep_'; DROP TABLE" } },
      { type: 'unlock', item: { episodeId: 'ep_demoLighthouse00002' }, promoCode: 'X'.repeat(65) },
      { type: 'unlock', item: { episodeId: 'ep_demoLighthouse00002' }, promoCode: 42 },
      { type: 'shown', episodeIds: [] },
      { type: 'nope' },
    ]) {
      const answer = await route(raw, contentScript, OWN_ID, OWN_ORIGIN, h);
      expect(answer, JSON.stringify(raw)).toMatchObject({ ok: false, error: { code: 'invalid_message' } });
    }
    expect(called(h)).toBe(0);
  });

  it('keeps the account, library, grants and API address away from content scripts', async () => {
    const h = handlers();
    const privileged = [
      { type: 'signIn', email: 'viewer@series.test', password: 'series-demo-pass' },
      { type: 'signOut' },
      { type: 'session' },
      { type: 'library' },
      { type: 'access', episodeId: 'ep_demoLighthouse00002' },
      { type: 'setApiUrl', url: 'https://attacker.example' },
      { type: 'setLocale', locale: 'fr' },
    ];
    for (const raw of privileged) {
      expect(await route(raw, contentScript, OWN_ID, OWN_ORIGIN, h)).toMatchObject({
        ok: false,
        error: { code: 'forbidden' },
      });
    }
    expect(called(h)).toBe(0);
    for (const raw of privileged) expect((await route(raw, popup, OWN_ID, OWN_ORIGIN, h)).ok).toBe(true);
  });

  it('refuses senders that are not this extension', async () => {
    const h = handlers();
    const answer = await route(
      { type: 'session' },
      { id: 'someoneelse', url: 'chrome-extension://someoneelse/popup.html' },
      OWN_ID,
      OWN_ORIGIN,
      h,
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(called(h)).toBe(0);
  });

  it('answers a handler’s failure as an error, and hides unexpected exceptions', async () => {
    const h = handlers();
    h.page = vi.fn(async () => {
      throw fail('api_unreachable', 'down');
    });
    h.unlock = vi.fn(async () => {
      throw new TypeError('secret internals');
    });
    expect(
      await route(
        { type: 'page', page: { kind: 'profile', handle: 'seriesdemo' } },
        contentScript,
        OWN_ID,
        OWN_ORIGIN,
        h,
      ),
    ).toEqual({
      ok: false,
      error: { code: 'api_unreachable', message: 'down' },
    });
    vi.spyOn(console, 'error').mockImplementation(() => {});
    const answer = await route(
      { type: 'unlock', item: { episodeId: 'ep_demoLighthouse00002' } },
      contentScript,
      OWN_ID,
      OWN_ORIGIN,
      h,
    );
    expect(answer).toMatchObject({ ok: false, error: { code: 'api_error' } });
    expect(JSON.stringify(answer)).not.toContain('secret internals');
  });
});
