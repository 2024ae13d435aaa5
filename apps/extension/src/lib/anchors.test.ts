import { anchorSetSchema, type AnchorSet } from '@series/core';
import { readFileSync } from 'node:fs';
import { Window as HappyWindow } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import {
  allOfFirstMatch,
  BUILT_IN_ANCHORS,
  effectiveAnchors,
  findAnchor,
  handleIn,
  readHandle,
  readItem,
  showsHandle,
  videoIdIn,
} from './anchors';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), 'utf8');

function documentWith(html: string, url = 'https://www.tiktok.com/@seriesdemo') {
  const win = new HappyWindow({ url });
  win.document.write(html);
  return win.document as unknown as Document;
}

const profile = { kind: 'profile', handle: 'seriesdemo' } as const;
const video = { kind: 'video', handle: 'seriesdemo', videoId: '7300000000000000002' } as const;

describe('the built-in anchors', () => {
  it('are a valid anchors document (the schema the server validates with)', () => {
    expect(anchorSetSchema.safeParse(BUILT_IN_ANCHORS).success).toBe(true);
  });
});

describe('reading handles and video ids', () => {
  it('reads a handle from links and from text, lower-cased, and nothing from a display name', () => {
    expect(handleIn('/@SeriesDemo')).toBe('seriesdemo');
    expect(handleIn('/@seriesdemo/video/7300000000000000002?lang=en')).toBe('seriesdemo');
    expect(handleIn('https://www.tiktok.com/@seriesdemo')).toBe('seriesdemo');
    expect(handleIn(' @Series.Demo ')).toBe('series.demo');
    for (const none of ['Series Demo', 'https://evil.example/@seriesdemo', '/tag/series', '/@', '@ends.', ''])
      expect(handleIn(none), none).toBeNull();
  });

  it('reads a video id from a video link or the end of a player wrapper id', () => {
    expect(videoIdIn('/@seriesdemo/video/7300000000000000002')).toBe('7300000000000000002');
    expect(videoIdIn('xgwrapper-0-7300000000000000002')).toBe('7300000000000000002');
    expect(videoIdIn('xgwrapper-12-')).toBeNull();
    expect(videoIdIn('xgwrapper-3')).toBeNull();
  });
});

describe('the profile page', () => {
  it('reads whose profile the DOM shows, and anchors the shelf after the bio', () => {
    const doc = documentWith(fixture('profile.html'));
    expect(readHandle(doc, BUILT_IN_ANCHORS.profile.identity)).toBe('seriesdemo');
    expect(findAnchor(profile, BUILT_IN_ANCHORS, doc)?.getAttribute('data-e2e')).toBe('user-bio');
  });

  it('anchors the same way when the title shows the display name and the subtitle the handle', () => {
    const doc = documentWith(fixture('profile-display-name.html'));
    expect(doc.querySelector('[data-e2e="user-title"]')?.textContent).toBe('Series Demo');
    expect(showsHandle(doc, BUILT_IN_ANCHORS.profile.identity, 'seriesdemo')).toBe(true);
    expect(findAnchor(profile, BUILT_IN_ANCHORS, doc)?.getAttribute('data-e2e')).toBe('user-bio');
    // Still never into another handle's profile.
    expect(findAnchor({ kind: 'profile', handle: 'someoneelse' }, BUILT_IN_ANCHORS, doc)).toBeNull();
  });

  it('falls back to the names when the bio is missing, and to nothing (floating panel) without anchors', () => {
    const doc = documentWith(fixture('profile.html'));
    doc.querySelector('[data-e2e="user-bio"]')!.remove();
    expect(findAnchor(profile, BUILT_IN_ANCHORS, doc)?.getAttribute('data-e2e')).toBe('user-subtitle');
    for (const el of doc.querySelectorAll('[data-e2e]')) el.removeAttribute('data-e2e');
    expect(findAnchor(profile, BUILT_IN_ANCHORS, doc)).toBeNull();
  });

  it('never anchors into another handle’s profile still on screen after an in-app navigation', () => {
    const doc = documentWith(fixture('profile.html'), 'https://www.tiktok.com/@someoneelse');
    expect(findAnchor({ kind: 'profile', handle: 'someoneelse' }, BUILT_IN_ANCHORS, doc)).toBeNull();
  });

  it('ignores class names entirely', () => {
    const doc = documentWith(fixture('profile.html'));
    for (const el of doc.querySelectorAll('[class]')) el.setAttribute('class', 'css-renamed-in-next-release');
    expect(findAnchor(profile, BUILT_IN_ANCHORS, doc)?.getAttribute('data-e2e')).toBe('user-bio');
  });
});

describe('the video page and dialog', () => {
  it('reads the author from its link and anchors after the caption', () => {
    const doc = documentWith(fixture('video.html'), 'https://www.tiktok.com/@seriesdemo/video/7300000000000000002');
    expect(readHandle(doc, BUILT_IN_ANCHORS.video.identity)).toBe('seriesdemo');
    expect(findAnchor(video, BUILT_IN_ANCHORS, doc)?.getAttribute('data-e2e')).toBe('browse-video-desc');
  });

  it('reads the author from the link even when its text is the display name', () => {
    const doc = documentWith(fixture('video.html'));
    doc.querySelector('[data-e2e="browse-username-inner"]')!.textContent = 'Series Demo';
    expect(findAnchor(video, BUILT_IN_ANCHORS, doc)?.getAttribute('data-e2e')).toBe('browse-video-desc');
  });

  it('falls back to the author line without a caption', () => {
    const doc = documentWith(fixture('video.html'));
    doc.querySelector('[data-e2e="browse-video-desc"]')!.remove();
    expect(findAnchor(video, BUILT_IN_ANCHORS, doc)?.getAttribute('data-e2e')).toBe('browse-username');
  });

  it('does not anchor into another author’s video', () => {
    const doc = documentWith(fixture('video.html'));
    expect(findAnchor({ ...video, handle: 'someoneelse' }, BUILT_IN_ANCHORS, doc)).toBeNull();
  });

  it('anchors when the page shows no author at all', () => {
    const doc = documentWith('<div data-e2e="video-desc">caption</div>');
    expect(readHandle(doc, BUILT_IN_ANCHORS.video.identity)).toBeNull();
    expect(findAnchor(video, BUILT_IN_ANCHORS, doc)?.getAttribute('data-e2e')).toBe('video-desc');
  });

  it('opened from the feed, reads and anchors inside the dialog, not in the feed under it', () => {
    const feed = fixture('feed.html').replace('<body>', '<body>');
    const dialog = fixture('video.html').match(
      /<div class="css-1sg2lsz-DivBrowserModeContainer[\s\S]*?<\/div>\s*<\/div>\s*<\/div>/,
    )![0];
    const doc = documentWith(feed.replace('</body>', `<div role="dialog" aria-modal="true">${dialog}</div></body>`));
    const anchor = findAnchor(video, BUILT_IN_ANCHORS, doc);
    expect(anchor?.getAttribute('data-e2e')).toBe('browse-video-desc');
    expect(anchor?.closest('[role="dialog"]')).not.toBeNull();
    // Another author's video in the dialog: nothing, although the feed below shows this author.
    expect(findAnchor({ ...video, handle: 'someoneelse' }, BUILT_IN_ANCHORS, doc)).toBeNull();
  });
});

describe('feed items', () => {
  it('reads each item’s author (from links, not the caption’s @mentions) and video id', () => {
    const doc = documentWith(fixture('feed.html'), 'https://www.tiktok.com/foryou');
    const items = allOfFirstMatch(doc, BUILT_IN_ANCHORS.feed.items);
    expect(items).toHaveLength(3);
    expect(items.map((item) => readItem(item, BUILT_IN_ANCHORS.feed))).toEqual([
      { handle: 'seriesdemo', videoId: '7300000000000000002' },
      { handle: 'someoneelse', videoId: '7412345678901234567' },
      // An ad: no author, so nothing to show.
      null,
    ]);
  });

  it('reads the newer one-column items, with the author from the avatar link or a video link', () => {
    const doc = documentWith(fixture('feed-one-column.html'), 'https://www.tiktok.com/');
    const items = allOfFirstMatch(doc, BUILT_IN_ANCHORS.feed.items);
    expect(items.map((item) => item.getAttribute('data-scroll-index'))).toEqual(['0', '1']);
    expect(items.map((item) => readItem(item, BUILT_IN_ANCHORS.feed))).toEqual([
      { handle: 'seriesdemo', videoId: '7300000000000000003' },
      { handle: 'seriesdemo', videoId: '7311111111111111111' },
    ]);
  });

  it('reads a recycled item as the video it shows now', () => {
    const doc = documentWith(fixture('feed.html'), 'https://www.tiktok.com/foryou');
    const item = allOfFirstMatch(doc, BUILT_IN_ANCHORS.feed.items)[0]!;
    item.querySelector('[data-e2e="video-author-avatar"]')!.setAttribute('href', '/@someoneelse');
    item.querySelector('[id^="xgwrapper-"]')!.id = 'xgwrapper-7-7499999999999999999';
    expect(readItem(item, BUILT_IN_ANCHORS.feed)).toEqual({ handle: 'someoneelse', videoId: '7499999999999999999' });
  });
});

describe('search cards', () => {
  it('reads each card’s author and video from its link', () => {
    const doc = documentWith(fixture('search.html'), 'https://www.tiktok.com/search?q=lighthouse');
    const cards = allOfFirstMatch(doc, BUILT_IN_ANCHORS.search.items);
    expect(cards.map((card) => readItem(card, BUILT_IN_ANCHORS.search))).toEqual([
      { handle: 'seriesdemo', videoId: '7300000000000000002' },
      { handle: 'someoneelse', videoId: '7412345678901234567' },
    ]);
  });
});

describe('a served anchors document', () => {
  // The next release renames the profile's attributes; the served set knows, the built-in one does not.
  const renamed = (html: string) =>
    html
      .replaceAll('data-e2e="user-bio"', 'data-e2e="profile-bio"')
      .replaceAll('data-e2e="user-title"', 'data-e2e="profile-title"')
      .replaceAll('data-e2e="user-subtitle"', 'data-e2e="profile-subtitle"');
  const served: AnchorSet = {
    ...BUILT_IN_ANCHORS,
    pages: { feed: ['/discover'], search: ['/find/*'] },
    profile: {
      identity: [{ selector: '[data-e2e="profile-title"]' }, { selector: '[data-e2e=' }],
      anchors: ['[data-e2e="profile-bio"]', '[data-e2e="never-there"]'],
    },
  };

  it('is used where it matches, falling back to the built-in set selector by selector', () => {
    const doc = documentWith(renamed(fixture('profile.html')));
    expect(findAnchor(profile, BUILT_IN_ANCHORS, doc)).toBeNull();
    const anchors = effectiveAnchors(served, doc);
    expect(findAnchor(profile, anchors, doc)?.getAttribute('data-e2e')).toBe('profile-bio');
    // On the current markup, the served selectors match nothing and the built-in ones take over.
    const current = documentWith(fixture('profile.html'));
    expect(findAnchor(profile, effectiveAnchors(served, current), current)?.getAttribute('data-e2e')).toBe('user-bio');
  });

  it('drops the selectors this browser cannot parse, and never evaluates anything', () => {
    const doc = documentWith(fixture('profile.html'));
    const anchors = effectiveAnchors(served, doc);
    expect(anchors.profile.identity.map((r) => r.selector)).toEqual([
      '[data-e2e="profile-title"]',
      ...BUILT_IN_ANCHORS.profile.identity.map((r) => r.selector),
    ]);
    const hostile: AnchorSet = {
      ...served,
      profile: { identity: [{ selector: 'img[src=x onerror=alert(1)]' }], anchors: ['javascript:alert(1)'] },
    };
    const safe = effectiveAnchors(hostile, doc);
    expect(findAnchor(profile, safe, doc)?.getAttribute('data-e2e')).toBe('user-bio');
  });

  it('adds its page paths to the built-in ones', () => {
    const anchors = effectiveAnchors(served, documentWith(''));
    expect(anchors.pages.feed).toEqual(['/discover', ...BUILT_IN_ANCHORS.pages.feed]);
    expect(anchors.pages.search).toEqual(['/find/*', ...BUILT_IN_ANCHORS.pages.search]);
  });

  it('without one, the built-in set is used whole', () => {
    expect(effectiveAnchors(null, documentWith(''))).toBe(BUILT_IN_ANCHORS);
  });
});
