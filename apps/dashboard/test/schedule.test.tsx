// Release times are typed and shown on the creator's clock: this file runs in Paris (UTC+1 in December).
process.env.TZ = 'Europe/Paris';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { readFileSync } from 'node:fs';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { fromLocalInput, releaseLabel, timeZone, titleFromFileName, toLocalInput } from '../src/lib/schedule.js';
import type { OwnerEpisode } from '../src/lib/types.js';
import { EpisodeForm } from '../src/pages/SeriesDetail/EpisodeForm.js';
import { EpisodeList } from '../src/pages/SeriesDetail/EpisodeList.js';
import { mockApi } from './support/mock-api.js';

const clip = readFileSync(`${process.cwd()}/../worker/test/fixtures/clip-3s.webm`);
const episode = {
  id: 'ep_0123456789abcdefghij',
  seriesId: 'ser_0123456789abcdefghij',
  number: 1,
  title: 'Departure',
  durationSeconds: 60,
  price: 199,
  free: false,
  videoId: null,
  releaseAt: '2099-12-12T17:00:00.000Z',
  released: false,
  hasVideo: false,
  thumbnailUrl: null,
  media: null,
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
} as unknown as OwnerEpisode;

describe('release times on the creator’s clock, stored in UTC', () => {
  it('turns a datetime-local value into the UTC instant and back', () => {
    expect(timeZone()).toBe('Europe/Paris');
    expect(fromLocalInput('2026-12-12T18:00')).toBe('2026-12-12T17:00:00.000Z');
    expect(fromLocalInput('2026-07-01T18:00')).toBe('2026-07-01T16:00:00.000Z');
    expect(toLocalInput('2026-12-12T17:00:00.000Z')).toBe('2026-12-12T18:00');
    expect(fromLocalInput('')).toBeNull();
    expect(fromLocalInput('2026-02-30T10:00')).toBeUndefined();
    expect(fromLocalInput('tomorrow')).toBeUndefined();
    expect(toLocalInput(null)).toBe('');
  });

  it('says "Out Fri 12 Dec, 18:00" until the release, and nothing after it', () => {
    const now = Date.parse('2025-12-01T00:00:00Z');
    expect(releaseLabel('2025-12-12T17:00:00Z', now, 'en-GB')).toBe('Out Fri 12 Dec, 18:00');
    expect(releaseLabel('2026-01-09T08:05:00Z', now, 'en-GB')).toBe('Out Fri 9 Jan 2026, 09:05');
    expect(releaseLabel('2025-11-30T17:00:00Z', now, 'en-GB')).toBeNull();
    expect(releaseLabel(null, now)).toBeNull();
  });

  it('titles an episode from its file name', () => {
    expect(titleFromFileName('the_lighthouse-keeper ep2.mp4')).toBe('The lighthouse keeper ep2');
    expect(titleFromFileName('Épisode 3.webm')).toBe('Épisode 3');
    expect(titleFromFileName('.mp4')).toBe('');
  });
});

/** The form's texts arrived (the dashboard fetches them in its language). */
const textsLoaded = () => screen.findByText(/^Drop the episode’s video here/);

describe('adding an episode with its release and its video', () => {
  beforeEach(() => void mockApi({}));

  it('sends the release in UTC, and the list says when it is out', async () => {
    const onCreate = vi.fn(async () => {});
    render(<EpisodeForm currency="USD" onCreate={onCreate} />);
    await textsLoaded();
    fireEvent.input(screen.getByLabelText('Title'), { target: { value: 'Departure' } });
    fireEvent.click(screen.getByLabelText('Free episode'));
    fireEvent.input(screen.getByLabelText('Duration (m:ss)'), { target: { value: '1:00' } });
    fireEvent.input(screen.getByLabelText('Release (optional, your time: Europe/Paris)'), {
      target: { value: '2099-12-12T18:00' },
    });
    fireEvent.submit(screen.getByRole('form', { name: 'New episode' }));
    await waitFor(() => expect(onCreate).toHaveBeenCalled());
    expect(onCreate).toHaveBeenCalledWith(
      { title: 'Departure', durationSeconds: 60, price: null, videoId: null, releaseAt: '2099-12-12T17:00:00.000Z' },
      null,
    );
  });

  it('says m:ss when the duration is not m:ss, never "seconds"', async () => {
    const onCreate = vi.fn(async () => {});
    render(<EpisodeForm currency="USD" onCreate={onCreate} />);
    await textsLoaded();
    fireEvent.input(screen.getByLabelText('Title'), { target: { value: 'Departure' } });
    fireEvent.click(screen.getByLabelText('Free episode'));
    fireEvent.input(screen.getByLabelText('Duration (m:ss)'), { target: { value: 'four minutes' } });
    fireEvent.submit(screen.getByRole('form', { name: 'New episode' }));
    await screen.findByText(/^Enter the duration as m:ss, for example 4:30/);
    fireEvent.input(screen.getByLabelText('Duration (m:ss)'), { target: { value: '' } });
    fireEvent.submit(screen.getByRole('form', { name: 'New episode' }));
    await screen.findByText(/^Enter the duration as m:ss/);
    expect(document.body.textContent).not.toContain('seconds');
    expect(onCreate).not.toHaveBeenCalled();
  });

  it('dropping a video reads its length and titles the episode from its name; the file goes along', async () => {
    const onCreate = vi.fn(async () => {});
    render(<EpisodeForm currency="USD" onCreate={onCreate} />);
    await textsLoaded();
    const file = new File([clip], 'night_ferry-departure.webm', { type: 'video/webm' });
    fireEvent.drop(screen.getByRole('form', { name: 'New episode' }), {
      dataTransfer: { files: [file], types: ['Files'] },
    });
    await screen.findByText(/\(read from the file\)/);
    const duration = screen.getByLabelText('Duration (m:ss)') as HTMLInputElement;
    expect(duration.value).toBe('0:03');
    expect(duration.readOnly).toBe(true);
    expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe('Night ferry departure');
    // The title stays editable.
    fireEvent.input(screen.getByLabelText('Title'), { target: { value: 'Departure' } });
    fireEvent.input(screen.getByLabelText(/^Price/), { target: { value: '1.99' } });
    fireEvent.submit(screen.getByRole('form', { name: 'New episode' }));
    await waitFor(() => expect(onCreate).toHaveBeenCalled());
    expect(onCreate).toHaveBeenCalledWith(
      { title: 'Departure', durationSeconds: 3, price: 199, videoId: null, releaseAt: null },
      file,
    );
  });

  it('a file that is not a video is refused on the duration field, with the worker’s reason', async () => {
    render(<EpisodeForm currency="USD" onCreate={async () => {}} />);
    await textsLoaded();
    const file = new File([new TextEncoder().encode('not a video at all')], 'notes.mp4', { type: 'video/mp4' });
    fireEvent.change(Object.assign(screen.getByLabelText('Choose a video'), { files: [file] }) as unknown as Element);
    await waitFor(() => expect(screen.getByLabelText('Duration (m:ss)').getAttribute('aria-invalid')).toBe('true'));
    expect((screen.getByLabelText('Duration (m:ss)') as HTMLInputElement).readOnly).toBe(false);
  });
});

describe('the episode form in French', () => {
  it('names the release field with the time zone, a narrow no-break space before the colon', async () => {
    localStorage.setItem('series.dashboard.locale', 'fr');
    mockApi({});
    render(<EpisodeForm currency="EUR" onCreate={async () => {}} />);
    await screen.findByText(/^Déposez ici la vidéo de l’épisode/);
    const field = document.getElementById('new-episode-release')!;
    expect(document.querySelector(`label[for="${field.id}"]`)!.textContent).toBe(
      'Sortie (facultatif, votre heure\u202f: Europe/Paris)',
    );
  });
});

describe('changing and clearing a release', () => {
  it('the list says "Out …" on the creator’s clock; the edit form clears it with one PATCH', async () => {
    const calls = mockApi({ 'PATCH /v1/episodes/ep_0123456789abcdefghij': { status: 200, body: { episode } } });
    render(<EpisodeList episodes={[episode]} currency="USD" onChanged={() => {}} />);
    await screen.findByText('Out Sat 12 Dec 2099, 18:00');
    fireEvent.click(screen.getByRole('button', { name: 'Edit' }));
    const field = (await screen.findByLabelText('Release (optional, your time: Europe/Paris)')) as HTMLInputElement;
    expect(field.value).toBe('2099-12-12T18:00');
    fireEvent.click(screen.getByRole('button', { name: 'Clear the release date' }));
    fireEvent.submit(screen.getByRole('form', { name: 'Edit episode 1' }));
    const patches = () => calls.filter((c) => c.method === 'PATCH');
    await waitFor(() => expect(patches()).toHaveLength(1));
    expect(patches()[0]!.body).toEqual({ releaseAt: null });
  });
});
