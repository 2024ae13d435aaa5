import { fireEvent, render, screen } from '@testing-library/preact';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { OwnerEpisode } from '../src/lib/types.js';
import { MediaUpload } from '../src/pages/SeriesDetail/MediaUpload.js';
import { mockApi } from './support/mock-api.js';

const episode: OwnerEpisode = {
  id: 'ep_0123456789abcdefghij',
  number: 2,
  title: 'Open Water',
  durationSeconds: 450,
  price: 299,
  free: false,
  videoId: null,
  releaseAt: null,
  released: true,
  hasVideo: false,
  thumbnailUrl: null,
  sold: false,
  videoVerified: false,
  review: null,
  seriesId: 'ser_0123456789abcdefghij',
  media: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
};

const choose = (name: string, bytes: Uint8Array<ArrayBuffer>) => {
  const input = screen.getByLabelText('Upload video') as HTMLInputElement;
  const file = new File([bytes], name, { type: name.endsWith('.webm') ? 'video/webm' : 'video/mp4' });
  Object.defineProperty(input, 'files', { value: [file], configurable: true });
  fireEvent.change(input);
};
const fixture = (name: string) => new Uint8Array(readFileSync(resolve('../worker/test/fixtures', name)));

describe('MediaUpload refuses in the browser what the worker would refuse', () => {
  it('a 21-minute video: the reason and what to do, and nothing sent', async () => {
    const calls = mockApi({});
    render(<MediaUpload episode={episode} onUploaded={() => {}} />);
    await screen.findByLabelText('Upload video'); // its texts arrived
    choose('long.webm', fixture('long-1201s.webm'));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe(
      'This video lasts 20:01; an episode lasts at most 20 minutes. Trim it to 20 minutes or less, then choose it again.',
    );
    expect(calls).toEqual([]);
    // The file can be chosen again (the button is back).
    expect(screen.getByLabelText('Upload video')).toBeTruthy();
  });

  it('a file that is not a video', async () => {
    const calls = mockApi({});
    render(<MediaUpload episode={episode} onUploaded={() => {}} />);
    await screen.findByLabelText('Upload video'); // its texts arrived
    choose('notes.mp4', new TextEncoder().encode('just some notes\n'.repeat(40)));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'This file is not an MP4 or WebM video. Choose an MP4 or WebM video.',
    );
    expect(calls).toEqual([]);
  });
});
