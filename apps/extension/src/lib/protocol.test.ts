import { describe, expect, it } from 'vitest';
import { apiUrlSchema, contentMessageSchema, extensionPageMessageSchema, sitePageSchema } from './protocol';

describe('contentMessageSchema', () => {
  it('accepts the messages a content script sends, normalising handles', () => {
    const page = contentMessageSchema.parse({ type: 'page', page: { kind: 'profile', handle: '@SeriesDemo' } });
    expect(page).toEqual({ type: 'page', page: { kind: 'profile', handle: 'seriesdemo' } });
    expect(
      contentMessageSchema.parse({
        type: 'page',
        page: { kind: 'video', handle: 'seriesdemo', videoId: '7300000000000000002' },
      }),
    ).toMatchObject({ page: { videoId: '7300000000000000002' } });
    expect(contentMessageSchema.parse({ type: 'unlock', item: { episodeId: 'ep_demoLighthouse00002' } }).type).toBe(
      'unlock',
    );
    expect(contentMessageSchema.parse({ type: 'unlock', item: { seriesId: 'ser_demoLighthouseKeeper' } }).type).toBe(
      'unlock',
    );
    expect(contentMessageSchema.parse({ type: 'shown', episodeIds: ['ep_demoLighthouse00002'] }).type).toBe('shown');
    expect(
      contentMessageSchema.parse({ type: 'openPlayer', target: { seriesId: 'ser_demoLighthouseKeeper' } }).type,
    ).toBe('openPlayer');
    expect(contentMessageSchema.parse({ type: 'openSignIn' }).type).toBe('openSignIn');
    expect(
      contentMessageSchema.parse({ type: 'checkoutState', item: { seriesId: 'ser_demoLighthouseKeeper' } }).type,
    ).toBe('checkoutState');
  });

  it('accepts the feed, search, anchors and texts messages, with at most a screenful of items each', () => {
    const item = { handle: '@SeriesDemo', videoId: '7300000000000000002' };
    expect(contentMessageSchema.parse({ type: 'feedItem', item })).toEqual({
      type: 'feedItem',
      item: { handle: 'seriesdemo', videoId: '7300000000000000002' },
    });
    // A feed item may show no video id (a photo post): its creator is still looked up.
    expect(contentMessageSchema.parse({ type: 'feedItem', item: { handle: 'seriesdemo', videoId: null } }).type).toBe(
      'feedItem',
    );
    expect(contentMessageSchema.parse({ type: 'prefetch', items: Array(10).fill(item) }).type).toBe('prefetch');
    expect(contentMessageSchema.safeParse({ type: 'prefetch', items: Array(11).fill(item) }).success).toBe(false);
    expect(contentMessageSchema.parse({ type: 'badges', items: Array(30).fill(item) }).type).toBe('badges');
    expect(contentMessageSchema.safeParse({ type: 'badges', items: Array(31).fill(item) }).success).toBe(false);
    // A badge is for a video: a card without one is not asked about.
    expect(
      contentMessageSchema.safeParse({ type: 'badges', items: [{ handle: 'seriesdemo', videoId: null }] }).success,
    ).toBe(false);
    expect(
      contentMessageSchema.safeParse({ type: 'feedItem', item: { handle: 'Series Demo', videoId: null } }).success,
    ).toBe(false);
    expect(contentMessageSchema.parse({ type: 'anchors' }).type).toBe('anchors');
    expect(contentMessageSchema.parse({ type: 'ui' }).type).toBe('ui');
  });

  it('refuses page-only messages: a content script cannot sign in, read the library or move the API', () => {
    for (const type of ['signIn', 'signOut', 'library', 'setApiUrl', 'access', 'series', 'session', 'setLocale']) {
      expect(contentMessageSchema.safeParse({ type }).success, type).toBe(false);
    }
    expect(contentMessageSchema.safeParse({ type: 'setApiUrl', url: 'https://evil.example' }).success).toBe(false);
  });

  it('refuses malformed ids, unknown fields and unknown types', () => {
    const bad = [
      null,
      'page',
      {},
      { type: 'nope' },
      { type: 'page', page: { kind: 'profile', handle: 'a' } },
      { type: 'page', page: { kind: 'video', handle: 'ok_name', videoId: '12ab' } },
      { type: 'page', page: { kind: 'profile', handle: 'ok_name' }, extra: 1 },
      { type: 'unlock', item: { episodeId: 'ser_demoLighthouseKeeper' } },
      { type: 'unlock', item: { episodeId: 'ep_demoLighthouse00002', seriesId: 'ser_demoLighthouseKeeper' } },
      { type: 'unlock', item: { price: 1 } },
      { type: 'shown', episodeIds: [] },
      { type: 'shown', episodeIds: Array.from({ length: 51 }, () => 'ep_demoLighthouse00002') },
      { type: 'openPlayer', target: { episodeId: 'ep_demoLighthouse00002' } },
    ];
    for (const message of bad)
      expect(contentMessageSchema.safeParse(message).success, JSON.stringify(message)).toBe(false);
  });
});

describe('extensionPageMessageSchema', () => {
  it('accepts sign-in, sign-up and settings from the extension pages', () => {
    expect(extensionPageMessageSchema.parse({ type: 'signIn', email: ' Viewer@Series.test ', password: 'x' })).toEqual({
      type: 'signIn',
      email: 'viewer@series.test',
      password: 'x',
    });
    expect(extensionPageMessageSchema.safeParse({ type: 'signUp', email: 'a@b.test', password: 'short' }).success).toBe(
      false,
    );
    expect(extensionPageMessageSchema.parse({ type: 'access', episodeId: 'ep_demoLighthouse00002' }).type).toBe(
      'access',
    );
    expect(
      extensionPageMessageSchema.parse({ type: 'page', page: { kind: 'profile', handle: 'seriesdemo' } }).type,
    ).toBe('page');
    // The language: one of ours, or null to follow the browser.
    expect(extensionPageMessageSchema.parse({ type: 'setLocale', locale: 'fr' })).toEqual({
      type: 'setLocale',
      locale: 'fr',
    });
    expect(extensionPageMessageSchema.parse({ type: 'setLocale', locale: null }).type).toBe('setLocale');
    expect(extensionPageMessageSchema.safeParse({ type: 'setLocale', locale: 'de' }).success).toBe(false);
  });
});

describe('apiUrlSchema', () => {
  it('normalises to an origin plus optional base path', () => {
    expect(apiUrlSchema.parse('http://127.0.0.1:8787/')).toBe('http://127.0.0.1:8787');
    expect(apiUrlSchema.parse('http://localhost:8787')).toBe('http://localhost:8787');
    expect(apiUrlSchema.parse(' https://api.example.com/series/ ')).toBe('https://api.example.com/series');
  });

  it('refuses plain http to another machine, other schemes and credentials', () => {
    for (const bad of [
      'http://api.example.com',
      'ftp://127.0.0.1',
      'javascript:alert(1)',
      'https://u:p@api.example.com',
      'https://a.example?x=1',
      'nonsense',
    ]) {
      expect(apiUrlSchema.safeParse(bad).success, bad).toBe(false);
    }
  });
});

describe('sitePageSchema', () => {
  it('only knows profiles and videos', () => {
    expect(sitePageSchema.safeParse({ kind: 'photo', handle: 'seriesdemo' }).success).toBe(false);
  });
});
