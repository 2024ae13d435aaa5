import { describe, expect, it } from 'vitest';
import {
  anchorPathSchema,
  anchorSelectorSchema,
  anchorSetSchema,
  anchorsDocumentSchema,
  publishAnchorsSchema,
  type AnchorSet,
} from './anchors.js';

const set: AnchorSet = {
  format: 1,
  pages: { feed: ['/', '/foryou'], search: ['/search/*'] },
  profile: { identity: [{ selector: '[data-e2e="user-title"]' }], anchors: ['[data-e2e="user-bio"]'] },
  video: {
    scope: ['[role="dialog"]'],
    identity: [{ selector: 'a[data-e2e="browse-username"]', attribute: 'href' }],
    anchors: ['[data-e2e="browse-video-desc"]'],
  },
  feed: {
    items: ['article[id^="one-column-item-"]'],
    author: [{ selector: 'a[href^="/@"]:not([data-e2e="video-desc"] a)', attribute: 'href' }],
    video: [{ selector: '[id^="xgwrapper-"]', attribute: 'id' }],
    anchors: ['[data-e2e="video-desc"]'],
  },
  search: {
    items: ['[data-e2e="search_top-item"]'],
    author: [{ selector: 'a[href*="/video/"]', attribute: 'href' }],
    video: [{ selector: 'a', attribute: 'href' }],
    anchors: ['p'],
  },
};

describe('the anchors document', () => {
  it('accepts a whole set, and the document the worker serves around it', () => {
    expect(anchorSetSchema.parse(set)).toEqual(set);
    expect(publishAnchorsSchema.parse({ anchors: set, expectedVersion: 0 })).toEqual({
      anchors: set,
      expectedVersion: 0,
    });
    expect(
      anchorsDocumentSchema.parse({ version: 3, publishedAt: '2026-12-01T10:00:00.000Z', anchors: set }).version,
    ).toBe(3);
  });

  it('keeps selectors data: no braces, semicolons, backslashes or control characters, at most 200 characters', () => {
    for (const good of [
      '[data-e2e="user-bio"]',
      'article > div:has(video)',
      'a[href^="/@"]:not([data-e2e="video-desc"] a)',
      '  trimmed  ',
    ]) {
      expect(anchorSelectorSchema.safeParse(good).success, good).toBe(true);
    }
    for (const bad of ['', '   ', 'a { color: red }', 'a; b', 'a[title="\\""]', 'a\nb', 'x'.repeat(201)]) {
      expect(anchorSelectorSchema.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('reads only named attributes, and paths as plain paths (optionally ending in /*)', () => {
    const reader = (attribute: string) =>
      anchorSetSchema.safeParse({ ...set, feed: { ...set.feed, author: [{ selector: 'a', attribute }] } }).success;
    expect(reader('href')).toBe(true);
    expect(reader('data-video-id')).toBe(true);
    for (const bad of ['onclick=x', 'Href', 'a b', '']) expect(reader(bad), bad).toBe(false);
    for (const good of ['/', '/foryou', '/search/*', '/en'])
      expect(anchorPathSchema.safeParse(good).success, good).toBe(true);
    for (const bad of ['foryou', '/for you', 'https://evil.example/', '/a*', '/ForYou', '/../x?y'])
      expect(anchorPathSchema.safeParse(bad).success, bad).toBe(false);
  });

  it('refuses unknown keys, empty or long lists, and any other format', () => {
    expect(anchorSetSchema.safeParse({ ...set, format: 2 }).success).toBe(false);
    expect(anchorSetSchema.safeParse({ ...set, extra: true }).success).toBe(false);
    expect(anchorSetSchema.safeParse({ ...set, profile: { ...set.profile, anchors: [] } }).success).toBe(false);
    expect(
      anchorSetSchema.safeParse({ ...set, profile: { ...set.profile, anchors: Array(9).fill('p') } }).success,
    ).toBe(false);
    expect(publishAnchorsSchema.safeParse({ anchors: set, expectedVersion: 1.5 }).success).toBe(false);
  });
});
