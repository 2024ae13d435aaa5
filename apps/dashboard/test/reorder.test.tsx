import { act, fireEvent, render, screen, waitFor } from '@testing-library/preact';
import { describe, expect, it } from 'vitest';
import { dropIndex, edgeScroll, keyTarget, moveItem } from '../src/lib/reorder.js';
import { EpisodeList } from '../src/pages/SeriesDetail/EpisodeList.js';
import type { OwnerEpisode } from '../src/lib/types.js';
import { apiError, mockApi } from './support/mock-api.js';

const episodes = (n: number): OwnerEpisode[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `ep_${String(i + 1).padStart(16, '0')}`,
    seriesId: 'ser_aaaaaaaaaaaaaaaaaaaa',
    number: i + 1,
    title: `Part ${i + 1}`,
    durationSeconds: 60,
    price: 199,
    videoId: null,
    releaseAt: null,
    released: true,
    hasVideo: false,
    thumbnailUrl: null,
    videoVerified: false,
    review: null,
    media: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    updatedAt: '2026-01-01T00:00:00.000Z',
  })) as unknown as OwnerEpisode[];

const titles = () => [...document.querySelectorAll('.episode-title')].map((e) => e.textContent);
const handle = (title: string) => screen.getByRole('button', { name: new RegExp(`^Move “${title}”, position`) });
const live = () => document.querySelector('[aria-live="assertive"]')!.textContent;
/** The list's texts arrived (the dashboard fetches them in its language). */
const ready = () => screen.findAllByRole('button', { name: /^Move “.*”, position \d+ of \d+$/ });

describe('reorder rules', () => {
  it('moves an item from one index to another, clamped to the list', () => {
    expect(moveItem(['a', 'b', 'c', 'd'], 3, 0)).toEqual(['d', 'a', 'b', 'c']);
    expect(moveItem(['a', 'b', 'c', 'd'], 0, 2)).toEqual(['b', 'c', 'a', 'd']);
    expect(moveItem(['a', 'b', 'c'], 1, 99)).toEqual(['a', 'c', 'b']);
    expect(moveItem(['a', 'b', 'c'], 1, -5)).toEqual(['b', 'a', 'c']);
  });

  it('drops where the pointer is among the other items, as they stood when the drag began', () => {
    const middles = [50, 150, 250, 350];
    expect(dropIndex(middles, 3, 0)).toBe(0);
    expect(dropIndex(middles, 3, 160)).toBe(2);
    expect(dropIndex(middles, 0, 260)).toBe(2);
    expect(dropIndex(middles, 0, 9999)).toBe(3);
  });

  it('maps keys to places: arrows by one, Page keys by ten, Home and End to the ends; others do nothing', () => {
    expect(keyTarget('ArrowUp', 5, 80)).toBe(4);
    expect(keyTarget('ArrowDown', 79, 80)).toBe(79);
    expect(keyTarget('PageUp', 5, 80)).toBe(0);
    expect(keyTarget('PageDown', 75, 80)).toBe(79);
    expect(keyTarget('Home', 79, 80)).toBe(0);
    expect(keyTarget('End', 0, 80)).toBe(79);
    expect(keyTarget('a', 3, 80)).toBeNull();
  });

  it('scrolls the page near the window edges only, faster closer to them', () => {
    expect(edgeScroll(400, 800)).toBe(0);
    expect(edgeScroll(0, 800)).toBe(-24);
    expect(edgeScroll(60, 800)).toBeLessThan(0);
    expect(edgeScroll(60, 800)).toBeGreaterThan(-24);
    expect(edgeScroll(800, 800)).toBe(24);
  });
});

describe('moving an episode in the list', () => {
  it('moves the 80th to the front by keyboard with one request, keeping the focus and announcing it', async () => {
    const { writes } = mockApiFor80();
    await ready();
    const last = handle('Part 80');
    last.focus();
    fireEvent.keyDown(last, { key: ' ' });
    expect(live()).toContain('Picked up “Part 80”, position 80 of 80');
    fireEvent.keyDown(handle('Part 80'), { key: 'Home' });
    expect(live()).toBe('“Part 80”, position 1 of 80.');
    expect(titles()[0]).toBe('Part 80');
    expect(writes()).toHaveLength(0);
    fireEvent.keyDown(handle('Part 80'), { key: ' ' });
    await waitFor(() => expect(live()).toBe('“Part 80” moved to position 1 of 80.'));
    expect(writes().map((c) => [c.method, c.path, c.body])).toEqual([
      ['PATCH', '/v1/episodes/ep_0000000000000080', { number: 1 }],
    ]);
    expect(titles().slice(0, 3)).toEqual(['Part 80', 'Part 1', 'Part 2']);
    expect(document.activeElement).toBe(handle('Part 80'));
    expect(handle('Part 80').getAttribute('aria-label')).toBe('Move “Part 80”, position 1 of 80');
  });

  it('Escape puts the episode back without a request', async () => {
    const { writes } = mockApiFor80();
    await ready();
    const h = handle('Part 3');
    h.focus();
    fireEvent.keyDown(h, { key: 'Enter' });
    fireEvent.keyDown(handle('Part 3'), { key: 'ArrowDown' });
    fireEvent.keyDown(handle('Part 3'), { key: 'ArrowDown' });
    expect(titles()[4]).toBe('Part 3');
    fireEvent.keyDown(handle('Part 3'), { key: 'Escape' });
    expect(titles()[2]).toBe('Part 3');
    expect(live()).toBe('Move cancelled: “Part 3” stays at position 3 of 80.');
    expect(writes()).toHaveLength(0);
  });

  it('drags the 80th to the front with the pointer: one request', async () => {
    const { writes } = mockApiFor80();
    await ready();
    // Rows 50 px tall from the top of the page.
    document.querySelectorAll('.episode').forEach((li, i) => {
      (li as HTMLElement).getBoundingClientRect = () => ({ top: i * 50, height: 50, bottom: i * 50 + 50 }) as DOMRect;
    });
    const h = handle('Part 80');
    fireEvent.pointerDown(h, { button: 0, pointerId: 1, clientY: 79 * 50 + 25 });
    fireEvent.pointerMove(h, { pointerId: 1, clientY: 500 });
    expect(titles().indexOf('Part 80')).toBe(10);
    fireEvent.pointerMove(h, { pointerId: 1, clientY: 5 });
    expect(titles()[0]).toBe('Part 80');
    fireEvent.pointerUp(h, { pointerId: 1, clientY: 5 });
    await waitFor(() => expect(writes()).toHaveLength(1));
    expect(writes()[0]!.body).toEqual({ number: 1 });
    await waitFor(() => expect(live()).toBe('“Part 80” moved to position 1 of 80.'));
    expect(document.activeElement).toBe(handle('Part 80'));
  });

  it('a refused move puts the order back and says why beside the episode', async () => {
    mockApi({
      'PATCH /v1/episodes/ep_0000000000000002': { status: 404, body: apiError('not_found', 'Episode not found') },
    });
    render(<EpisodeList episodes={episodes(3)} currency="USD" onChanged={() => {}} />);
    await ready();
    const h = handle('Part 2');
    h.focus();
    fireEvent.keyDown(h, { key: ' ' });
    fireEvent.keyDown(handle('Part 2'), { key: 'ArrowUp' });
    await act(async () => void fireEvent.keyDown(handle('Part 2'), { key: ' ' }));
    await screen.findByText('Not moved: Episode not found');
    expect(titles()).toEqual(['Part 1', 'Part 2', 'Part 3']);
    expect(live()).toBe('“Part 2” was not moved: Episode not found');
  });
});

describe('moving an episode, in French', () => {
  it('names the handle and announces the move in the dashboard’s language', async () => {
    localStorage.setItem('series.dashboard.locale', 'fr');
    mockApi({ 'PATCH /v1/episodes/ep_0000000000000003': { status: 200, body: {} } });
    render(<EpisodeList episodes={episodes(3)} currency="USD" onChanged={() => {}} />);
    const h = await screen.findByRole('button', { name: 'Déplacer «\u00a0Part 3\u00a0», position 3 sur 3' });
    h.focus();
    fireEvent.keyDown(h, { key: ' ' });
    fireEvent.keyDown(screen.getByRole('button', { name: /^Déplacer «.Part 3.»/ }), { key: 'Home' });
    fireEvent.keyDown(screen.getByRole('button', { name: /^Déplacer «.Part 3.»/ }), { key: ' ' });
    await waitFor(() => expect(live()).toBe('«\u00a0Part 3\u00a0» déplacé en position 1 sur 3.'));
  });
});

function mockApiFor80() {
  const list = episodes(80);
  const routes = Object.fromEntries(
    list.map((e) => [`PATCH /v1/episodes/${e.id}`, { status: 200, body: { episode: e } }]),
  );
  const calls = mockApi(routes);
  render(<EpisodeList episodes={list} currency="USD" onChanged={() => {}} />);
  // What the list sends (reads, such as its texts, aside).
  return { writes: () => calls.filter((c) => c.method !== 'GET') };
}
