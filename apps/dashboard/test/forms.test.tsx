import { checkPrice, episodeCreateSchema, seriesCreateSchema } from '@series/core';
import { fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it, vi } from 'vitest';
import { SeriesForm } from '../src/components/SeriesForm.js';
import { ClaimHandleForm } from '../src/pages/Home/ClaimHandleForm.js';
import { EpisodeForm, videoIdFromInput } from '../src/pages/SeriesDetail/EpisodeForm.js';
import { CommissionPanel, bpsFromPercentInput } from '../src/pages/Admin/CommissionPanel.js';
import { apiError, mockApi } from './support/mock-api.js';
import type { OwnerEpisode, OwnerSeries } from '../src/lib/types.js';

const type = (label: string | RegExp, value: string) =>
  fireEvent.input(screen.getByLabelText(label), { target: { value } });
const submit = (name: string | RegExp) => fireEvent.click(screen.getByRole('button', { name }));
/** The message shown under a field (tied to it by aria-describedby). */
function errorOf(label: string | RegExp): string | null {
  const input = screen.getByLabelText(label);
  const ids = input.getAttribute('aria-describedby')?.split(' ') ?? [];
  const error = ids.find((id) => id.endsWith('-error'));
  return error ? (document.getElementById(error)?.textContent ?? null) : null;
}

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

describe('EpisodeForm: the API’s rules and messages before sending', () => {
  it('shows the API’s messages for a missing title, a price out of bounds, a fractional cent, too long, a bad video id', async () => {
    const onCreate = vi.fn(async () => {});
    mockApi({}); // the form's texts, as the worker serves them
    render(<EpisodeForm currency="USD" onCreate={onCreate} />);
    await screen.findByLabelText('Title'); // its texts arrived
    type(/^Price/, '0.50');
    type('Duration (m:ss)', '20:01');
    type('Linked video (optional)', 'abc');
    submit('Add episode');
    expect(errorOf('Title')).toBe('Title is required');
    expect(errorOf(/^Price/)).toBe('Price must be between $0.99 and $189.99');
    expect(errorOf('Duration (m:ss)')).toBe('An episode lasts at most 20 minutes');
    expect(errorOf('Linked video (optional)')).toBe('Video id must be the numeric id from the video URL');
    type(/^Price/, '2.999');
    submit('Add episode');
    expect(errorOf(/^Price/)).toBe('Price must be a whole number of minor units (cents)');
    type(/^Price/, '-3');
    submit('Add episode');
    expect(errorOf(/^Price/)).toBe('Price must not be negative');
    expect(onCreate).not.toHaveBeenCalled();

    // The messages are the core's, i.e. the API's (it validates with the same schema and price check).
    const api = episodeCreateSchema.safeParse({ title: '', durationSeconds: 1201, price: 50, videoId: 'abc' });
    expect(api.error?.issues.map((i) => i.message)).toEqual(
      expect.arrayContaining([
        'Title is required',
        'An episode lasts at most 20 minutes',
        'Video id must be the numeric id from the video URL',
      ]),
    );
    expect(checkPrice(50, 'USD')).toBe('Price must be between $0.99 and $189.99');
  });

  it('sends minor units, seconds and the id from a pasted video URL, then clears itself for the next one', async () => {
    const onCreate = vi.fn(async () => {});
    mockApi({}); // the form's texts, as the worker serves them
    render(<EpisodeForm currency="USD" onCreate={onCreate} />);
    await screen.findByLabelText('Title'); // its texts arrived
    type('Title', '  Open Water ');
    type(/^Price/, '2,99');
    type('Duration (m:ss)', '7:30');
    type('Linked video (optional)', 'https://www.tiktok.com/@seriesdemo/video/7300000000000000002?lang=en');
    submit('Add episode');
    await waitFor(() => expect(onCreate).toHaveBeenCalledOnce());
    expect(onCreate).toHaveBeenCalledWith(
      {
        title: '  Open Water ',
        durationSeconds: 450,
        price: 299,
        videoId: '7300000000000000002',
        releaseAt: null,
      },
      // No video chosen on the form.
      null,
    );
    await waitFor(() => expect((screen.getByLabelText('Title') as HTMLInputElement).value).toBe(''));
  });

  it('makes a free episode with price null, and uses the currency’s own bounds (JPY has no decimals)', async () => {
    const onCreate = vi.fn(async () => {});
    mockApi({}); // the form's texts, as the worker serves them
    render(<EpisodeForm currency="JPY" onCreate={onCreate} />);
    await screen.findByLabelText('Title'); // its texts arrived
    type('Title', 'Trailer');
    type(/^Price/, '100');
    type('Duration (m:ss)', '45');
    submit('Add episode');
    expect(errorOf(/^Price/)).toBe('Price must be between ¥150 and ¥28,000');
    type(/^Price/, '150.5');
    submit('Add episode');
    expect(errorOf(/^Price/)).toBe('Price must be a whole number of minor units (cents)');
    fireEvent.click(screen.getByLabelText('Free episode'));
    submit('Add episode');
    await waitFor(() =>
      expect(onCreate).toHaveBeenCalledWith(
        {
          title: 'Trailer',
          durationSeconds: 45,
          price: null,
          videoId: null,
          releaseAt: null,
        },
        null,
      ),
    );
  });

  it('edits by sending only what changed, and shows what the API still refuses on its field', async () => {
    const onUpdate = vi.fn(async (patch: unknown) => {
      if ((patch as { videoId?: string }).videoId) {
        const { ApiFailure } = await import('../src/lib/api.js');
        throw new ApiFailure(409, 'video_already_linked', 'This video is already linked to another episode');
      }
    });
    mockApi({}); // the form's texts, as the worker serves them
    render(<EpisodeForm currency="USD" existing={episode} onUpdate={onUpdate} />);
    await screen.findByLabelText('Title'); // its texts arrived
    expect((screen.getByLabelText(/^Price/) as HTMLInputElement).value).toBe('2.99');
    expect((screen.getByLabelText('Duration (m:ss)') as HTMLInputElement).value).toBe('7:30');
    submit('Save episode');
    expect(screen.getByRole('alert').textContent).toBe('Nothing to update');
    type(/^Price/, '3.49');
    submit('Save episode');
    await waitFor(() => expect(onUpdate).toHaveBeenLastCalledWith({ price: 349 }));
    type('Linked video (optional)', '7300000000000000001');
    submit('Save episode');
    await screen.findByText('This video is already linked to another episode');
  });

  it('reads a video id from a URL or digits', () => {
    expect(videoIdFromInput(' 123 ')).toBe('123');
    expect(videoIdFromInput('https://www.tiktok.com/@a/video/987654321')).toBe('987654321');
    expect(videoIdFromInput('')).toBeNull();
  });
});

describe('SeriesForm', () => {
  it('checks title, cover URL and the whole-series price like the API, then sends the create body', async () => {
    const onCreate = vi.fn(async () => {});
    mockApi({}); // the form's texts, as the worker serves them
    render(<SeriesForm submitLabel="Create series" onCreate={onCreate} />);
    await screen.findByLabelText('Currency'); // its texts arrived
    type('Cover image URL', 'http://example.com/cover.jpg');
    fireEvent.change(screen.getByLabelText('Currency'), { target: { value: 'JPY' } });
    type(/^Whole-series price/, '100');
    submit('Create series');
    expect(errorOf('Title')).toBe('Title is required');
    expect(errorOf('Cover image URL')).toBe('Cover must be an https URL');
    expect(errorOf(/^Whole-series price/)).toBe('Price must be between ¥150 and ¥28,000');
    expect(
      seriesCreateSchema.safeParse({ title: 'x', currency: 'JPY', bundlePrice: 100 }).error?.issues[0]?.message,
    ).toBe('Price must be between ¥150 and ¥28,000');
    type('Title', 'Night Ferry');
    type('Cover image URL', 'https://example.com/cover.jpg');
    type(/^Whole-series price/, '1200');
    submit('Create series');
    await waitFor(() =>
      expect(onCreate).toHaveBeenCalledWith({
        title: 'Night Ferry',
        description: '',
        coverUrl: 'https://example.com/cover.jpg',
        currency: 'JPY',
        bundlePrice: 1200,
      }),
    );
  });

  it('edits with a PATCH of the changed fields only; the currency cannot change', async () => {
    const series = {
      id: 'ser_0123456789abcdefghij',
      slug: 'night-ferry',
      title: 'Night Ferry',
      description: '',
      coverUrl: null,
      coverThumb: null,
      review: null,
      revision: null,
      takenDown: null,
      currency: 'USD',
      bundlePrice: 499,
      status: 'draft',
      episodeCount: 0,
      priceRange: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      publishedAt: null,
      episodes: [],
      warnings: [],
      sold: false,
    } satisfies OwnerSeries;
    const onUpdate = vi.fn(async () => {});
    mockApi({}); // the form's texts, as the worker serves them
    render(<SeriesForm submitLabel="Save details" existing={series} onUpdate={onUpdate} />);
    await screen.findByLabelText('Currency'); // its texts arrived
    expect((screen.getByLabelText('Currency') as HTMLSelectElement).disabled).toBe(true);
    expect((screen.getByLabelText(/^Whole-series price/) as HTMLInputElement).value).toBe('4.99');
    type(/^Whole-series price/, '');
    type('Description', 'Three crossings.');
    submit('Save details');
    await waitFor(() => expect(onUpdate).toHaveBeenCalledWith({ description: 'Three crossings.', bundlePrice: null }));
    await screen.findByText('Saved');
  });
});

describe('ClaimHandleForm', () => {
  it('checks the handle with the core rule, then shows the API’s refusal of a taken handle on the field', async () => {
    const calls = mockApi({
      'POST /v1/creators': { status: 409, body: apiError('handle_taken', '@seriesdemo has already been claimed') },
    });
    const onClaimed = vi.fn();
    render(<ClaimHandleForm onClaimed={onClaimed} />);
    await screen.findByLabelText('Handle'); // its texts arrived
    type('Handle', 'a');
    submit('Claim handle');
    expect(errorOf('Handle')).toBe('Handle must be 2-24 characters: letters, digits, underscores and periods');
    expect(errorOf('Display name')).toBe('Display name is required');
    type('Handle', 'night.');
    type('Display name', 'Night');
    submit('Claim handle');
    expect(errorOf('Handle')).toBe('Handle must not end with a period');
    expect(calls).toHaveLength(0);
    type('Handle', '@SeriesDemo');
    submit('Claim handle');
    await waitFor(() => expect(errorOf('Handle')).toBe('@seriesdemo has already been claimed'));
    // The raw input is sent; the API lower-cases and strips the @ itself.
    expect(calls[0]).toMatchObject({
      method: 'POST',
      path: '/v1/creators',
      body: { handle: '@SeriesDemo', displayName: 'Night' },
    });
    expect(onClaimed).not.toHaveBeenCalled();
  });
});

describe('CommissionPanel', () => {
  it('warns that a rate applies to future purchases only, validates it like the API and sends basis points', async () => {
    let bps = 0;
    const calls = mockApi({
      'GET /v1/admin/commission': () => ({
        status: 200,
        body: { bps, history: [{ bps, effectiveAt: '2026-01-01T00:00:00.000Z' }] },
      }),
      'PUT /v1/admin/commission': (call) => {
        bps = (call.body as { bps: number }).bps;
        return {
          status: 200,
          body: { bps, effectiveAt: '2026-02-01T00:00:00.000Z', appliesTo: 'purchases started from now on' },
        };
      },
    });
    const confirm = vi.fn((_message: string) => true);
    vi.stubGlobal('confirm', confirm);
    render(<CommissionPanel onChanged={() => {}} />);
    await screen.findByText(/future purchases only/);
    expect(screen.getByText(/creators receive/).textContent).toContain('100%');
    type('New commission (%)', '150');
    submit('Set commission');
    expect(errorOf('New commission (%)')).toBe('Commission must be at most 10000 basis points (100%)');
    type('New commission (%)', '12.345');
    submit('Set commission');
    expect(errorOf('New commission (%)')).toBe('Commission must be a whole number of basis points');
    type('New commission (%)', '12.5');
    submit('Set commission');
    await waitFor(() => expect(calls.find((c) => c.method === 'PUT')?.body).toEqual({ bps: 1250 }));
    expect(confirm.mock.calls[0]?.[0]).toContain('purchases started from now on');
    await screen.findByText('12.5%');
  });

  it('reads percentages as basis points', () => {
    expect(bpsFromPercentInput('0')).toBe(0);
    expect(bpsFromPercentInput('2,5')).toBe(250);
    expect(bpsFromPercentInput('100')).toBe(10_000);
    expect(bpsFromPercentInput('ten')).toBeNaN();
  });
});
