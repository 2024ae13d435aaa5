import { describe, expect, it } from 'vitest';
import { BUILT_IN_ANCHORS } from './anchors';
import { pageKey, parsePageUrl, pathMatches, routeOf } from './page';

describe('parsePageUrl', () => {
  it('recognises profiles, lower-casing the handle', () => {
    expect(parsePageUrl('https://www.tiktok.com/@seriesdemo')).toEqual({ kind: 'profile', handle: 'seriesdemo' });
    expect(parsePageUrl('https://www.tiktok.com/@Series.Demo_1/?lang=en#top')).toEqual({
      kind: 'profile',
      handle: 'series.demo_1',
    });
  });

  it('recognises video pages', () => {
    expect(parsePageUrl('https://www.tiktok.com/@seriesdemo/video/7300000000000000002')).toEqual({
      kind: 'video',
      handle: 'seriesdemo',
      videoId: '7300000000000000002',
    });
    expect(
      parsePageUrl('https://www.tiktok.com/@SeriesDemo/video/7300000000000000002?is_from_webapp=1&sender_device=pc'),
    ).toEqual({
      kind: 'video',
      handle: 'seriesdemo',
      videoId: '7300000000000000002',
    });
  });

  it('ignores every other page, host and malformed URL', () => {
    for (const url of [
      'https://www.tiktok.com/',
      'https://www.tiktok.com/foryou',
      'https://www.tiktok.com/explore',
      'https://www.tiktok.com/tag/series',
      'https://www.tiktok.com/@seriesdemo/photo/7300000000000000002',
      'https://www.tiktok.com/@seriesdemo/video/',
      'https://www.tiktok.com/@seriesdemo/video/12ab',
      'https://www.tiktok.com/@seriesdemo/video/7300000000000000002/extra',
      'https://www.tiktok.com/@a',
      'https://www.tiktok.com/@ends.',
      'https://www.tiktok.com/@has%20space',
      'https://www.tiktok.com/@%E0%A4%A',
      'https://www.tiktok.com/seriesdemo',
      'http://www.tiktok.com/@seriesdemo',
      'https://evil.example/@seriesdemo',
      'https://tiktok.com.evil.example/@seriesdemo',
      'not a url',
    ]) {
      expect(parsePageUrl(url), url).toBeNull();
    }
  });

  it('keys pages so that different pages never share overlay data', () => {
    const a = parsePageUrl('https://www.tiktok.com/@seriesdemo/video/7300000000000000002')!;
    const b = parsePageUrl('https://www.tiktok.com/@seriesdemo/video/7300000000000000003')!;
    const c = parsePageUrl('https://www.tiktok.com/@seriesdemo?lang=de')!;
    expect(pageKey(a)).not.toBe(pageKey(b));
    expect(pageKey(c)).toBe(pageKey(parsePageUrl('https://www.tiktok.com/@SeriesDemo')!));
  });
});

describe('routeOf', () => {
  it('tells page overlays by the URL’s shape, feeds and search by the anchors’ page lists', () => {
    const route = (url: string) => routeOf(url, BUILT_IN_ANCHORS).kind;
    expect(route('https://www.tiktok.com/@seriesdemo')).toBe('page');
    expect(route('https://www.tiktok.com/@seriesdemo/video/7300000000000000002')).toBe('page');
    for (const feed of [
      'https://www.tiktok.com/',
      'https://www.tiktok.com/foryou',
      'https://www.tiktok.com/en/',
      'https://www.tiktok.com/following?lang=fr',
      'https://www.tiktok.com/explore',
    ]) {
      expect(route(feed), feed).toBe('feed');
    }
    expect(route('https://www.tiktok.com/search?q=lighthouse')).toBe('search');
    expect(route('https://www.tiktok.com/search/video?q=lighthouse')).toBe('search');
    for (const none of [
      'https://www.tiktok.com/tag/series',
      'https://www.tiktok.com/searching',
      'https://evil.example/foryou',
      'http://www.tiktok.com/foryou',
    ]) {
      expect(route(none), none).toBe('none');
    }
  });

  it('matches paths exactly, or a path and everything under it with /*', () => {
    expect(pathMatches('/foryou/', ['/foryou'])).toBe(true);
    expect(pathMatches('/ForYou', ['/foryou'])).toBe(true);
    expect(pathMatches('/foryou/x', ['/foryou'])).toBe(false);
    expect(pathMatches('/', ['/'])).toBe(true);
    expect(pathMatches('/search', ['/search/*'])).toBe(true);
    expect(pathMatches('/search/user', ['/search/*'])).toBe(true);
    expect(pathMatches('/searchx', ['/search/*'])).toBe(false);
  });
});
