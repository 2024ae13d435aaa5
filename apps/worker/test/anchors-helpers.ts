import type { AnchorSet } from '@series/core';
import { admin, call } from './helpers';

/** A valid anchors document body, shaped like the extension's built-in set (apps/extension/src/lib/anchors.ts). */
export const exampleAnchors: AnchorSet = {
  format: 1,
  pages: { feed: ['/', '/foryou'], search: ['/search/*'] },
  profile: { identity: [{ selector: '[data-e2e="user-title"]' }], anchors: ['[data-e2e="user-bio"]'] },
  video: {
    scope: ['[role="dialog"]:has([data-e2e="browse-username"])'],
    identity: [{ selector: 'a[data-e2e="browse-username"]', attribute: 'href' }],
    anchors: ['[data-e2e="browse-video-desc"]'],
  },
  feed: {
    items: ['article[data-e2e="recommend-list-item-container"]'],
    author: [{ selector: 'a[href^="/@"]', attribute: 'href' }],
    video: [{ selector: '[id^="xgwrapper-"]', attribute: 'id' }],
    anchors: ['[data-e2e="video-desc"]'],
  },
  search: {
    items: ['[data-e2e="search_top-item"]'],
    author: [{ selector: 'a[href*="/video/"]', attribute: 'href' }],
    video: [{ selector: 'a[href*="/video/"]', attribute: 'href' }],
    anchors: ['[data-e2e="search-card-video-caption"]'],
  },
};

/** Publishes `anchors` as an admin; returns the answer. */
export async function publishAnchors(anchors: unknown = exampleAnchors, extra: Record<string, unknown> = {}) {
  return call('PUT', '/v1/admin/extension/anchors', { token: await admin(), body: { anchors, ...extra } });
}
