import { fireEvent, render, screen, waitFor, within } from '@testing-library/preact';
import jsQR from 'jsqr';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../src/app.js';
import { sourceOf, INVALID_SOURCE } from '../src/components/links/SourcePicker.js';
import { isSource, qrFileName, storefrontLink } from '../src/lib/links.js';
import { qrMatrix, qrPath, qrSvgFile } from '../src/lib/qr.js';
import { mockApi } from './support/mock-api.js';
import { ownerEpisode, ownerSeries } from './support/owner-series.js';

const creator = {
  id: 'cr_1',
  handle: 'night.tv',
  displayName: 'Night',
  status: 'approved' as const,
  statusMeaning: 'Approved',
  createdAt: '2026-01-01T00:00:00.000Z',
  statusChangedAt: '2026-01-01T00:00:00.000Z',
  verifiedBy: null,
};
const me = {
  user: { id: 'usr_1', email: 'night@example.test', createdAt: '2026-01-01T00:00:00.000Z', isAdmin: false },
  creator,
};

const episode = (number: number, extra: Record<string, unknown> = {}) =>
  ownerEpisode(number, { title: `Crossing ${number}`, price: number === 1 ? null : 299, free: number === 1, ...extra });
const series = ownerSeries({ episodes: [episode(1), episode(2, { hasVideo: false })] });

function open(path: string) {
  history.replaceState(null, '', `/dashboard${path}`);
  return render(<App />);
}

/**
 * Reads a rendered QR code back as a scanner would: the SVG's modules are painted into pixels (4 per module)
 * and handed to a real QR decoder, so the test fails if the drawing does not encode the text.
 */
function decodeSvg(svg: SVGElement | Element): string | null {
  const size = Number(svg.getAttribute('viewBox')!.split(' ')[2]);
  const d = svg.querySelector('path')!.getAttribute('d')!;
  const dark = Array.from({ length: size }, () => new Array<boolean>(size).fill(false));
  for (const [, x, y, w] of d.matchAll(/M(\d+),(\d+)h(\d+)v1h-\d+z/g)) {
    for (let i = 0; i < Number(w); i++) dark[Number(y)]![Number(x) + i] = true;
  }
  const scale = 4;
  const side = size * scale;
  const pixels = new Uint8ClampedArray(side * side * 4);
  for (let py = 0; py < side; py++) {
    for (let px = 0; px < side; px++) {
      const v = dark[Math.floor(py / scale)]![Math.floor(px / scale)] ? 0 : 255;
      pixels.set([v, v, v, 255], (py * side + px) * 4);
    }
  }
  return jsQR(pixels, side, side)?.data ?? null;
}

const stubClipboard = (writeText: (text: string) => Promise<void>) =>
  Object.defineProperty(navigator, 'clipboard', { value: { writeText: vi.fn(writeText) }, configurable: true });

describe('storefront links', () => {
  it('builds the profile, series and episode addresses, with ?src= only when a source is given', () => {
    const origin = 'https://series.example';
    expect(storefrontLink(origin, { handle: 'night' })).toBe('https://series.example/@night');
    expect(storefrontLink(origin, { handle: 'night' }, 'bio')).toBe('https://series.example/@night?src=bio');
    expect(storefrontLink(origin, { handle: 'night.tv', slug: 'night-ferry' }, 'video')).toBe(
      'https://series.example/@night.tv/night-ferry?src=video',
    );
    expect(
      storefrontLink(origin, { handle: 'night', slug: 'ser_aaaaaaaaaaaaaaaaaaaa', episode: 12 }, 'my_story-2'),
    ).toBe('https://series.example/@night/ser_aaaaaaaaaaaaaaaaaaaa/12?src=my_story-2');
    // A path on the origin never leaks in, and a segment cannot add a segment or a query of its own.
    expect(storefrontLink('http://localhost:8787/dashboard/series', { handle: 'night' })).toBe(
      'http://localhost:8787/@night',
    );
    expect(storefrontLink(origin, { handle: 'night', slug: 'a/b?src=x#y' })).toBe(
      'https://series.example/@night/a%2Fb%3Fsrc%3Dx%23y',
    );
  });

  it('accepts the API’s source words only, lower-casing what is typed', () => {
    for (const ok of ['bio', 'video', 'a', '0day', 'my_story-2', 'x'.repeat(24)]) expect(isSource(ok), ok).toBe(true);
    for (const bad of ['', '-bio', '_x', 'bio!', 'two words', 'x'.repeat(25), 'été'])
      expect(isSource(bad), bad).toBe(false);
    expect(sourceOf('none', 'ignored')).toEqual({ source: null, error: null });
    expect(sourceOf('video', '')).toEqual({ source: 'video', error: null });
    expect(sourceOf('other', '  NewsLetter ')).toEqual({ source: 'newsletter', error: null });
    expect(sourceOf('other', '')).toEqual({ source: null, error: null });
    expect(sourceOf('other', 'news letter')).toEqual({ source: null, error: INVALID_SOURCE });
    expect(qrFileName({ handle: 'night.tv', slug: 'night-ferry', episode: 2 }, 'bio')).toBe(
      'qr-night_tv-night-ferry-2-bio',
    );
    expect(qrFileName({ handle: 'night' }, null)).toBe('qr-night');
  });

  it('draws QR codes that decode to the link, in the SVG file too', () => {
    for (const text of [
      'http://localhost:8787/@seriesdemo',
      `https://series.example/@night/${'a'.repeat(60)}/80?src=${'x'.repeat(24)}`,
    ]) {
      const matrix = qrMatrix(text);
      const svg = new DOMParser().parseFromString(qrSvgFile(matrix), 'image/svg+xml').documentElement;
      expect(decodeSvg(svg)).toBe(text);
      // The quiet zone: four light modules on every side.
      expect(matrix.dark.slice(0, 4).flat().some(Boolean)).toBe(false);
      expect(
        matrix.dark
          .map((row) => row.slice(-4))
          .flat()
          .some(Boolean),
      ).toBe(false);
    }
    expect(qrPath(qrMatrix('a'))).not.toBe(qrPath(qrMatrix('b')));
  });
});

describe('the links on the overview', () => {
  it('gives the profile link; Copy puts it on the clipboard and says so to screen readers', async () => {
    mockApi({
      'GET /v1/me': { status: 200, body: me },
      'GET /v1/me/series': { status: 200, body: { series: [series] } },
    });
    stubClipboard(async () => {});
    open('/');
    const input = (await screen.findByLabelText('Your page')) as HTMLInputElement;
    expect(input.readOnly).toBe(true);
    expect(input.value).toBe(`${location.origin}/@night.tv`);
    const status = document.getElementById(input.getAttribute('aria-describedby')!)!;
    expect(status.getAttribute('aria-live')).toBe('polite');
    expect(status.textContent).toBe('');

    fireEvent.click(screen.getByRole('button', { name: 'Copy link: Your page' }));
    await waitFor(() => expect(status.textContent).toBe('Copied'));
    expect(navigator.clipboard.writeText).toHaveBeenCalledWith(`${location.origin}/@night.tv`);
    // Copying again puts a new node in the live region, which screen readers announce again.
    const first = status.firstElementChild;
    fireEvent.click(screen.getByRole('button', { name: 'Copy link: Your page' }));
    await waitFor(() => expect(status.firstElementChild).not.toBe(first));
    expect(status.textContent).toBe('Copied');

    // Another source: the address changes, and the old "Copied" no longer stands.
    fireEvent.click(screen.getByLabelText('bio'));
    expect(input.value).toBe(`${location.origin}/@night.tv?src=bio`);
    expect(status.textContent).toBe('');
    expect(screen.getByRole('link', { name: 'Open Your page (new tab)' }).getAttribute('href')).toBe(
      `${location.origin}/@night.tv?src=bio`,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Copy link: Your page' }));
    await waitFor(() =>
      expect(navigator.clipboard.writeText).toHaveBeenLastCalledWith(`${location.origin}/@night.tv?src=bio`),
    );
  });

  it('without clipboard access, selects the link for the keyboard and says how to copy it', async () => {
    mockApi({ 'GET /v1/me': { status: 200, body: me }, 'GET /v1/me/series': { status: 200, body: { series: [] } } });
    stubClipboard(() => Promise.reject(new DOMException('Denied', 'NotAllowedError')));
    Object.defineProperty(document, 'execCommand', { value: vi.fn(() => false), configurable: true });
    open('/');
    const input = (await screen.findByLabelText('Your page')) as HTMLInputElement;
    fireEvent.click(screen.getByRole('button', { name: 'Copy link: Your page' }));
    await screen.findByText('Selected: press Ctrl+C (⌘C on a Mac) to copy');
    expect(document.activeElement).toBe(input);
    expect([input.selectionStart, input.selectionEnd]).toEqual([0, input.value.length]);
    Reflect.deleteProperty(document, 'execCommand');
  });

  it('takes a custom source word only when the API would, and the QR code follows the source', async () => {
    mockApi({ 'GET /v1/me': { status: 200, body: me }, 'GET /v1/me/series': { status: 200, body: { series: [] } } });
    open('/');
    const input = (await screen.findByLabelText('Your page')) as HTMLInputElement;
    fireEvent.click(screen.getByRole('button', { name: 'QR code: Your page' }));
    const qr = await screen.findByRole('img', { name: /^QR code of Your page/ });
    expect(decodeSvg(qr)).toBe(`${location.origin}/@night.tv`);

    fireEvent.click(screen.getByLabelText('Other…'));
    fireEvent.input(screen.getByLabelText('Source word'), { target: { value: 'News Letter' } });
    expect(screen.getByText(INVALID_SOURCE)).toBeTruthy();
    expect(screen.getByLabelText('Source word').getAttribute('aria-invalid')).toBe('true');
    expect(input.value).toBe(`${location.origin}/@night.tv`);
    fireEvent.input(screen.getByLabelText('Source word'), { target: { value: 'Newsletter' } });
    expect(screen.queryByText(INVALID_SOURCE)).toBeNull();
    expect(input.value).toBe(`${location.origin}/@night.tv?src=newsletter`);
    expect(decodeSvg(screen.getByRole('img', { name: /^QR code of Your page/ }))).toBe(
      `${location.origin}/@night.tv?src=newsletter`,
    );
  });

  it('says when the storefront does not show the creator yet', async () => {
    mockApi({
      'GET /v1/me': { status: 200, body: { ...me, creator: { ...creator, status: 'pending' } } },
      'GET /v1/me/series': { status: 200, body: { series: [] } },
    });
    open('/');
    await screen.findByText(/Your storefront opens once an admin approves your account/);
  });
});

describe('the links of a series', () => {
  it('gives the series link and one per episode by number, and says a draft’s links work once published', async () => {
    mockApi({
      'GET /v1/me': { status: 200, body: me },
      [`GET /v1/me/series/${series.id}`]: {
        status: 200,
        body: { series: { ...series, status: 'draft', publishedAt: null } },
      },
    });
    open(`/series/${series.id}`);
    const seriesLink = (await screen.findByLabelText('Series: Night Ferry')) as HTMLInputElement;
    expect(seriesLink.value).toBe(`${location.origin}/@night.tv/night-ferry`);
    expect(screen.getByText(/This series is a draft: its links work once you publish it/)).toBeTruthy();
    const more = screen.getByText('Links to each episode (2 episodes)').closest('details')!;
    const links = within(more as HTMLElement);
    expect((links.getByLabelText('Episode 1: Crossing 1') as HTMLInputElement).value).toBe(
      `${location.origin}/@night.tv/night-ferry/1`,
    );
    expect((links.getByLabelText('Episode 2: Crossing 2') as HTMLInputElement).value).toBe(
      `${location.origin}/@night.tv/night-ferry/2`,
    );
    expect(links.getByText(/No video yet/)).toBeTruthy();

    // One source for the whole group.
    fireEvent.click(screen.getByLabelText('video'));
    expect(seriesLink.value).toBe(`${location.origin}/@night.tv/night-ferry?src=video`);
    expect((links.getByLabelText('Episode 2: Crossing 2') as HTMLInputElement).value).toBe(
      `${location.origin}/@night.tv/night-ferry/2?src=video`,
    );
    fireEvent.click(links.getByRole('button', { name: 'QR code: Episode 2: Crossing 2' }));
    const qr = await screen.findByRole('img', { name: /^QR code of Episode 2/ });
    expect(decodeSvg(qr)).toBe(`${location.origin}/@night.tv/night-ferry/2?src=video`);
    expect(screen.getByRole('button', { name: /^Download PNG \(1,\d{3} × 1,\d{3} px\)$/ })).toBeTruthy();
  });

  it('saves the QR code as an SVG file that decodes to the link', async () => {
    mockApi({
      'GET /v1/me': { status: 200, body: me },
      [`GET /v1/me/series/${series.id}`]: { status: 200, body: { series } },
    });
    const saved: Blob[] = [];
    vi.spyOn(URL, 'createObjectURL').mockImplementation((blob) => (saved.push(blob as Blob), 'blob:qr'));
    const names: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      names.push(this.download);
    });
    open(`/series/${series.id}`);
    await screen.findByLabelText('Series: Night Ferry');
    expect(screen.queryByText(/This series is a draft/)).toBeNull();
    fireEvent.click(screen.getByLabelText('story'));
    fireEvent.click(screen.getByRole('button', { name: 'QR code: Series: Night Ferry' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Download SVG' }));
    expect(names).toEqual(['qr-night_tv-night-ferry-story.svg']);
    expect(saved[0]!.type).toBe('image/svg+xml');
    const svg = new DOMParser().parseFromString(await saved[0]!.text(), 'image/svg+xml').documentElement;
    expect(decodeSvg(svg)).toBe(`${location.origin}/@night.tv/night-ferry?src=story`);
  });
});
