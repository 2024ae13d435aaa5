import { readFileSync } from 'node:fs';
import { Window as HappyWindow } from 'happy-dom';
import { describe, expect, it } from 'vitest';
import { findAnchor, readShownHandle } from './anchors';

const fixture = (name: string) => readFileSync(new URL(`../../test/fixtures/${name}`, import.meta.url), 'utf8');

function windowWith(html: string, url = 'https://www.tiktok.com/@seriesdemo') {
  const win = new HappyWindow({ url });
  win.document.write(html);
  return win as unknown as Window & typeof globalThis;
}

describe('DOM readers on the profile page', () => {
  it('reads whose profile the DOM shows', () => {
    expect(readShownHandle('profile', windowWith(fixture('profile.html')))).toBe('seriesdemo');
  });

  it('anchors the shelf after the bio', () => {
    const win = windowWith(fixture('profile.html'));
    const anchor = findAnchor({ kind: 'profile', handle: 'seriesdemo' }, win);
    expect(anchor?.getAttribute('data-e2e')).toBe('user-bio');
  });

  it('falls back to the names when the bio is missing, and to nothing (floating panel) without anchors', () => {
    const win = windowWith(fixture('profile.html'));
    win.document.querySelector('[data-e2e="user-bio"]')!.remove();
    expect(findAnchor({ kind: 'profile', handle: 'seriesdemo' }, win)?.getAttribute('data-e2e')).toBe('user-subtitle');
    for (const el of win.document.querySelectorAll('[data-e2e]')) el.removeAttribute('data-e2e');
    expect(findAnchor({ kind: 'profile', handle: 'seriesdemo' }, win)).toBeNull();
  });

  it('never anchors into another handle’s profile still on screen after an in-app navigation', () => {
    const win = windowWith(fixture('profile.html'), 'https://www.tiktok.com/@someoneelse');
    expect(findAnchor({ kind: 'profile', handle: 'someoneelse' }, win)).toBeNull();
  });

  it('ignores class names entirely', () => {
    const win = windowWith(fixture('profile.html'));
    for (const el of win.document.querySelectorAll('[class]')) el.setAttribute('class', 'css-renamed-in-next-release');
    expect(findAnchor({ kind: 'profile', handle: 'seriesdemo' }, win)?.getAttribute('data-e2e')).toBe('user-bio');
  });
});

describe('DOM readers on the video page', () => {
  const page = { kind: 'video', handle: 'seriesdemo', videoId: '7300000000000000002' } as const;

  it('reads the author and anchors after the caption', () => {
    const win = windowWith(fixture('video.html'), 'https://www.tiktok.com/@seriesdemo/video/7300000000000000002');
    expect(readShownHandle('video', win)).toBe('seriesdemo');
    expect(findAnchor(page, win)?.getAttribute('data-e2e')).toBe('browse-video-desc');
  });

  it('falls back to the author line without a caption', () => {
    const win = windowWith(fixture('video.html'));
    win.document.querySelector('[data-e2e="browse-video-desc"]')!.remove();
    expect(findAnchor(page, win)?.getAttribute('data-e2e')).toBe('browse-username');
  });

  it('does not anchor into another author’s video', () => {
    const win = windowWith(fixture('video.html'));
    expect(findAnchor({ ...page, handle: 'someoneelse' }, win)).toBeNull();
  });

  it('anchors when the page shows no author at all', () => {
    const win = windowWith('<div data-e2e="video-desc">caption</div>');
    expect(readShownHandle('video', win)).toBeNull();
    expect(findAnchor(page, win)?.getAttribute('data-e2e')).toBe('video-desc');
  });
});
