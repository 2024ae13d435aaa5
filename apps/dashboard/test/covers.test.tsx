import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { CATALOGUES } from '@series/core';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { COVER_RATIO, coverCrop, coverFileProblem, cropsVertically, THUMB_SIZE } from '../src/lib/images.js';
import type { OwnerEpisode, OwnerSeries } from '../src/lib/types.js';
import { CoverUpload } from '../src/pages/SeriesDetail/CoverUpload.js';
import { FramePicker } from '../src/pages/SeriesDetail/FramePicker.js';

const series = {
  id: 'ser_aaaaaaaaaaaaaaaaaaaa',
  slug: 'night-ferry',
  title: 'Night Ferry',
  description: '',
  coverUrl: null,
  coverThumb: null,
  review: null,
  revision: null,
  takenDown: null,
  currency: 'USD',
  bundlePrice: null,
  status: 'draft',
  episodeCount: 0,
  priceRange: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  publishedAt: null,
  episodes: [],
  warnings: [],
} as unknown as OwnerSeries;

interface Sent {
  method: string;
  path: string;
  form: FormData | null;
}

/** The browser's drawing and the network, as the components use them. */
function stubBrowser(reply: (sent: Sent) => { status: number; body: unknown }) {
  const sent: Sent[] = [];
  const draws: unknown[][] = [];
  const canvases: { width: number; height: number }[] = [];
  vi.stubGlobal(
    'createImageBitmap',
    vi.fn(async () => ({ width: 1200, height: 900, close() {} })),
  );
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockImplementation(function (this: HTMLCanvasElement) {
    canvases.push({ width: this.width, height: this.height });
    return { drawImage: (...args: unknown[]) => draws.push(args), imageSmoothingQuality: 'low' } as never;
  });
  vi.spyOn(HTMLCanvasElement.prototype, 'toBlob').mockImplementation(function (
    this: HTMLCanvasElement,
    done: BlobCallback,
    type?: string,
  ) {
    // A thumbnail-sized canvas makes a small file, a cover a larger one.
    const size = this.width <= THUMB_SIZE.width ? 900 : 60_000;
    done(new Blob([new Uint8Array(size)], { type: type ?? 'image/png' }));
  });
  vi.stubGlobal(
    'fetch',
    vi.fn(async (input: string, init?: RequestInit) => {
      const s = {
        method: init?.method ?? 'GET',
        path: new URL(input, 'http://x').pathname,
        form: null as FormData | null,
      };
      if (init?.body instanceof FormData) s.form = init.body;
      if (s.path === '/v1/texts/dashboard') {
        // The dashboard's texts, as the worker serves them (the dashboard.* slice of the catalogue).
        const lang = new URL(input, 'http://x').searchParams.get('lang') === 'fr' ? 'fr' : 'en';
        const messages = Object.fromEntries(
          Object.entries(CATALOGUES[lang]).filter(([k]) => k.startsWith('dashboard.')),
        );
        return new Response(JSON.stringify({ locale: lang, messages }), {
          headers: { 'content-type': 'application/json' },
        });
      }
      sent.push(s);
      const { status, body } = reply(s);
      return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
    }),
  );
  return { sent, draws, canvases };
}

const pick = (label: RegExp | string, file: File) =>
  fireEvent.change(Object.assign(screen.getByLabelText(label), { files: [file] }) as unknown as HTMLInputElement);

describe('the 3:4 crop', () => {
  it('takes the largest 3:4 part of the picture, placed along its long side', () => {
    expect(coverCrop(1200, 900)).toEqual({ x: 263, y: 0, width: 675, height: 900 });
    expect(coverCrop(1200, 900, 0)).toMatchObject({ x: 0 });
    expect(coverCrop(1200, 900, 1)).toMatchObject({ x: 525 });
    expect(coverCrop(900, 2000, 0.5)).toEqual({ x: 0, y: 400, width: 900, height: 1200 });
    expect(coverCrop(300, 400)).toEqual({ x: 0, y: 0, width: 300, height: 400 });
    for (const [w, h] of [
      [1920, 1080],
      [1080, 1920],
      [640, 640],
    ] as const) {
      const r = coverCrop(w, h, 0.3);
      expect(Math.abs(r.width / r.height - COVER_RATIO)).toBeLessThan(0.01);
      expect(r.x + r.width).toBeLessThanOrEqual(w);
      expect(r.y + r.height).toBeLessThanOrEqual(h);
    }
    expect(cropsVertically(900, 2000)).toBe(true);
    expect(cropsVertically(1200, 900)).toBe(false);
  });

  it('refuses what is not a PNG, JPEG or WebP before anything is sent', () => {
    expect(coverFileProblem({ type: 'image/gif', size: 10 })).toBe('wrongType');
    expect(coverFileProblem({ type: 'image/svg+xml', size: 10 })).toBe('wrongType');
    expect(coverFileProblem({ type: 'image/jpeg', size: 5_000_000 })).toBeNull();
    expect(coverFileProblem({ type: 'image/png', size: 50 * 1024 * 1024 })).toBe('tooBig');
  });
});

describe('CoverUpload', () => {
  beforeEach(() => localStorage.clear());

  it('previews the crop, moves it with the slider, and sends the cover and its 48 × 64 copy in one request', async () => {
    const { sent, draws } = stubBrowser(() => ({
      status: 200,
      body: { cover: { url: 'https://x/v1/images/a.webp' } },
    }));
    const onSaved = vi.fn();
    render(<CoverUpload series={series} onSaved={onSaved} />);
    await screen.findByText('Upload a cover');
    pick('Upload a cover', new File([new Uint8Array(10)], 'holiday.jpg', { type: 'image/jpeg' }));
    await screen.findByRole('img', { name: /Preview of the new cover/ });
    // Centred first: the 675 × 900 part of a 1200 × 900 photo starting at x = 263, drawn into the 150 × 200 preview.
    const previews = () => draws.filter((d) => d[7] === 150 && d[8] === 200).map((d) => d.slice(1, 5));
    await waitFor(() => expect(previews().at(-1)).toEqual([263, 0, 675, 900]));
    fireEvent.input(screen.getByLabelText('Crop position (left to right)'), { target: { value: '0' } });
    await waitFor(() => expect(previews().at(-1)).toEqual([0, 0, 675, 900]));
    expect(sent).toEqual([]);

    fireEvent.click(screen.getByRole('button', { name: 'Save cover' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(sent.map((s) => [s.method, s.path])).toEqual([['PUT', '/v1/series/ser_aaaaaaaaaaaaaaaaaaaa/cover']]);
    const image = sent[0]!.form!.get('image') as File;
    const thumbnail = sent[0]!.form!.get('thumbnail') as File;
    expect(image.type).toBe('image/webp');
    expect(thumbnail.size).toBeLessThanOrEqual(4096);
    // The cover is drawn from the chosen crop at 675 × 900 (the source's own size, under 1200 high).
    const coverDraw = draws.find((d) => d[7] === 675 && d[8] === 900);
    expect(coverDraw?.slice(1, 5)).toEqual([0, 0, 675, 900]);
    expect(draws.some((d) => d[7] === 48 && d[8] === 64)).toBe(true);
    expect(screen.getByRole('status').textContent).toBe('Cover saved.');
  });

  it('says no to a GIF without a request, and shows the API’s refusal beside the upload', async () => {
    const { sent } = stubBrowser(() => ({
      status: 422,
      body: {
        error: {
          code: 'corrupt_image',
          message: 'The image is damaged: its IDAT chunk fails its checksum',
          issues: [{ path: 'image', message: 'The image is damaged: its IDAT chunk fails its checksum' }],
        },
      },
    }));
    render(<CoverUpload series={series} onSaved={() => {}} />);
    await screen.findByText('Upload a cover');
    pick('Upload a cover', new File([new Uint8Array(10)], 'a.gif', { type: 'image/gif' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Choose a PNG, JPEG or WebP image.');
    expect(sent).toEqual([]);
    pick('Upload a cover', new File([new Uint8Array(10)], 'a.png', { type: 'image/png' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Save cover' }));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'The image is damaged: its IDAT chunk fails its checksum',
    );
    // Still cropping: the creator can try another position or file.
    expect(screen.getByRole('button', { name: 'Save cover' })).toBeTruthy();
  });

  it('shows the current cover and removes it', async () => {
    const { sent } = stubBrowser(() => ({ status: 200, body: { deleted: true } }));
    const onSaved = vi.fn();
    render(
      <CoverUpload series={{ ...series, coverUrl: 'https://x/v1/images/a.webp' } as OwnerSeries} onSaved={onSaved} />,
    );
    expect((await screen.findByRole('img', { name: 'Cover of Night Ferry' })).getAttribute('src')).toBe(
      'https://x/v1/images/a.webp',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Remove cover' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(sent.map((s) => [s.method, s.path])).toEqual([['DELETE', '/v1/series/ser_aaaaaaaaaaaaaaaaaaaa/cover']]);
  });
});

describe('FramePicker', () => {
  const episode = {
    id: 'ep_bbbbbbbbbbbbbbbbbbbb',
    number: 1,
    title: 'Departure',
    durationSeconds: 8,
    hasVideo: true,
    thumbnailUrl: null,
  } as unknown as OwnerEpisode;

  it('offers nothing before the video is uploaded', () => {
    stubBrowser(() => ({ status: 500, body: {} }));
    render(<FramePicker episode={{ ...episode, hasVideo: false }} onSaved={() => {}} />);
    expect(screen.queryByRole('button')).toBeNull();
  });

  it('plays the uploaded video, seeks with the slider and sends the frame drawn from it', async () => {
    const { sent, draws } = stubBrowser((s) =>
      s.path.endsWith('/access')
        ? { status: 200, body: { grant: 'g', playbackUrl: '/v1/media/ep_bbbbbbbbbbbbbbbbbbbb?grant=g' } }
        : { status: 200, body: { thumbnail: { url: '/v1/images/img_x.webp' } } },
    );
    const onSaved = vi.fn();
    render(<FramePicker episode={episode} onSaved={onSaved} />);
    fireEvent.click(await screen.findByRole('button', { name: 'Pick a thumbnail from the video' }));
    const video = (await screen.findByLabelText(/^Video of “Departure”/)) as HTMLVideoElement;
    expect(video.getAttribute('src')).toBe('/v1/media/ep_bbbbbbbbbbbbbbbbbbbb?grant=g');
    Object.defineProperty(video, 'videoWidth', { value: 1280 });
    Object.defineProperty(video, 'videoHeight', { value: 720 });
    fireEvent.input(screen.getByLabelText(/^Frame at/), { target: { value: '5.5' } });
    expect(video.currentTime).toBe(5.5);
    expect(screen.getByText('Frame at 0:05')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Use this frame' }));
    await waitFor(() => expect(onSaved).toHaveBeenCalled());
    expect(sent.map((s) => [s.method, s.path])).toEqual([
      ['GET', '/v1/episodes/ep_bbbbbbbbbbbbbbbbbbbb/access'],
      ['PUT', '/v1/episodes/ep_bbbbbbbbbbbbbbbbbbbb/thumbnail'],
    ]);
    // The whole frame, drawn at 640 × 360.
    expect(draws.at(-1)).toEqual([video, 0, 0, 1280, 720, 0, 0, 640, 360]);
    expect((sent[1]!.form!.get('image') as File).type).toBe('image/webp');
    expect(screen.getByRole('status').textContent).toBe('Thumbnail saved: the frame at 0:05.');
  });
});

describe('covers in French', () => {
  it('speaks the dashboard’s language, with a narrow no-break space before the colon', async () => {
    localStorage.setItem('series.dashboard.locale', 'fr');
    stubBrowser(() => ({ status: 200, body: {} }));
    render(<CoverUpload series={series} onSaved={() => {}} />);
    await screen.findByText('Envoyer une couverture');
    // (Read raw: the testing library's matchers fold U+202F into a plain space.)
    expect(document.getElementById(`cover-${series.id}-hint`)!.textContent).toMatch(
      /^PNG, JPEG ou WebP\. Vous placez ensuite son cadrage 3 × 4\u202f;/,
    );
    pick('Envoyer une couverture', new File([new Uint8Array(10)], 'a.gif', { type: 'image/gif' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Choisissez une image PNG, JPEG ou WebP.');
  });
});
