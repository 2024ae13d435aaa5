import { Window as HappyWindow } from 'happy-dom';
import { describe, expect, it, vi } from 'vitest';
import { HISTORY_EVENT, watchNavigation } from './navigation';

function site() {
  return new HappyWindow({ url: 'https://www.tiktok.com/@seriesdemo' }) as unknown as Window & typeof globalThis;
}
const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('watchNavigation', () => {
  it('reports a pushState announced by the main-world hook at once, without waiting for a timer', () => {
    const win = site();
    const seen: string[] = [];
    watchNavigation((href) => seen.push(href), win);
    win.history.pushState({}, '', '/@seriesdemo/video/7300000000000000002');
    win.dispatchEvent(new win.Event(HISTORY_EVENT));
    expect(seen).toEqual(['https://www.tiktok.com/@seriesdemo/video/7300000000000000002']);
  });

  it('reports back/forward (popstate)', () => {
    const win = site();
    const onChange = vi.fn();
    watchNavigation(onChange, win);
    win.history.pushState({}, '', '/@other');
    win.dispatchEvent(new win.PopStateEvent('popstate'));
    expect(onChange).toHaveBeenCalledWith('https://www.tiktok.com/@other');
  });

  it('notices a URL change through the DOM mutations a single-page app makes when it navigates', async () => {
    const win = site();
    const onChange = vi.fn();
    watchNavigation(onChange, win);
    win.history.pushState({}, '', '/@other');
    win.document.body.append(win.document.createElement('div'));
    await tick();
    expect(onChange).toHaveBeenCalledWith('https://www.tiktok.com/@other');
  });

  it('reports each URL once however many signals announce it, and nothing when the URL did not change', async () => {
    const win = site();
    const onChange = vi.fn();
    watchNavigation(onChange, win);
    win.dispatchEvent(new win.Event(HISTORY_EVENT));
    win.history.pushState({}, '', '/@other');
    win.dispatchEvent(new win.Event(HISTORY_EVENT));
    win.dispatchEvent(new win.PopStateEvent('popstate'));
    win.document.body.append(win.document.createElement('div'));
    await tick();
    expect(onChange).toHaveBeenCalledTimes(1);
  });

  it('stops listening when stopped', async () => {
    const win = site();
    const onChange = vi.fn();
    const stop = watchNavigation(onChange, win);
    stop();
    win.history.pushState({}, '', '/@other');
    win.dispatchEvent(new win.Event(HISTORY_EVENT));
    win.document.body.append(win.document.createElement('div'));
    await tick();
    expect(onChange).not.toHaveBeenCalled();
  });
});
