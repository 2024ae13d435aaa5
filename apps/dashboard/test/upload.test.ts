import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { ApiFailure } from '../src/lib/api.js';
import {
  checkVideoFile,
  missingParts,
  partRange,
  rememberedUpload,
  uploadEpisodeMedia,
  type UploadProgress,
} from '../src/lib/upload.js';
import { apiError, mockApi } from './support/mock-api.js';

const EPISODE = 'ep_0123456789abcdefghij';
const UPLOAD = 'upl_0123456789abcdefghij';

/** The worker's test videos: real files, read in the browser before any upload. */
const fixture = (name: string) => new Uint8Array(readFileSync(resolve('../worker/test/fixtures', name)));
const CLIP = fixture('clip-3s.webm');
const SIZE = CLIP.length;
const PART = 8192;
/** The 3-second clip, in three parts of the API's size: 1 = 0..8191, 2 = 8192..16383, 3 = the rest. */
const file = (bytes: Uint8Array<ArrayBuffer> = CLIP, name = 'clip.webm') =>
  new File([bytes], name, { type: 'video/webm', lastModified: 42 });
const part = (n: number) => [...CLIP.subarray((n - 1) * PART, Math.min(SIZE, n * PART))];
const partSize = (n: number) => part(n).length;

const uploadView = (parts: number[], status = 'open') => ({
  upload: {
    id: UPLOAD,
    episodeId: EPISODE,
    size: SIZE,
    partSize: PART,
    partCount: 3,
    status,
    failureCode: null,
    parts: parts.map((n) => ({ partNumber: n, size: partSize(n) })),
    createdAt: '2026-01-01T00:00:00.000Z',
  },
});

interface SentPart {
  url: string;
  bytes: number[];
}

/** XMLHttpRequest stand-in: records each part PUT and answers from `reply` (status, or 'drop' for a network error). */
function mockXhr(reply: (n: number, attempt: number) => number | 'drop' = () => 200) {
  const sent: SentPart[] = [];
  const attempts = new Map<number, number>();
  class FakeXhr {
    status = 0;
    responseText = '';
    upload: { onprogress: ((e: { loaded: number }) => void) | null } = { onprogress: null };
    onload: (() => void) | null = null;
    onerror: (() => void) | null = null;
    onabort: (() => void) | null = null;
    private url = '';
    open(_method: string, url: string) {
      this.url = url;
    }
    setRequestHeader() {}
    getResponseHeader() {
      return null;
    }
    withCredentials = false;
    abort() {
      this.onabort?.();
    }
    async send(body: Blob) {
      const n = Number(this.url.split('/').pop());
      const attempt = (attempts.get(n) ?? 0) + 1;
      attempts.set(n, attempt);
      const bytes = [...new Uint8Array(await body.arrayBuffer())];
      const outcome = reply(n, attempt);
      if (outcome === 'drop') return this.onerror?.();
      this.upload.onprogress?.({ loaded: bytes.length });
      sent.push({ url: this.url, bytes });
      this.status = outcome;
      this.responseText = JSON.stringify(
        outcome === 200 ? { partNumber: n, size: bytes.length } : apiError('internal', 'oops'),
      );
      this.onload?.();
    }
  }
  vi.stubGlobal('XMLHttpRequest', FakeXhr);
  return sent;
}

describe('part arithmetic', () => {
  it('cuts equal parts and a shorter last one, and lists what is missing', () => {
    const u = uploadView([2]).upload;
    expect([1, 2, 3].map((n) => partRange(u, n))).toEqual([
      [0, 8192],
      [8192, 16384],
      [16384, SIZE],
    ]);
    expect(missingParts(u)).toEqual([1, 3]);
  });
});

describe('uploadEpisodeMedia', () => {
  it('starts a multipart upload, sends every part with progress, completes and forgets it', async () => {
    const calls = mockApi({
      [`POST /v1/episodes/${EPISODE}/uploads`]: { status: 201, body: uploadView([]) },
      [`POST /v1/uploads/${UPLOAD}/complete`]: { status: 200, body: uploadView([1, 2, 3], 'completed') },
    });
    const sent = mockXhr();
    const progress: UploadProgress[] = [];
    const done = await uploadEpisodeMedia(EPISODE, file(), { onProgress: (p) => progress.push(p) });
    expect(done.status).toBe('completed');
    expect(calls.find((c) => c.path.endsWith('/uploads'))?.body).toEqual({ size: SIZE });
    expect(sent.map((s) => [new URL(s.url).pathname, s.bytes])).toEqual([
      [`/v1/uploads/${UPLOAD}/parts/1`, part(1)],
      [`/v1/uploads/${UPLOAD}/parts/2`, part(2)],
      [`/v1/uploads/${UPLOAD}/parts/3`, part(3)],
    ]);
    const sentBytes = progress.map((p) => p.sent);
    expect(sentBytes).toEqual([...sentBytes].sort((a, b) => a - b));
    // Read in the browser first (3 s), then sent, then verified by the worker.
    expect(progress[0]).toEqual({ sent: 0, total: SIZE, phase: 'checking' });
    expect(progress.at(-1)).toEqual({ sent: SIZE, total: SIZE, phase: 'verifying', durationSeconds: 3 });
    expect(rememberedUpload(EPISODE)).toBeNull();
  });

  it('resumes after a reload: the same file sends only the parts the API has not received', async () => {
    localStorage.setItem(
      `series:upload:${EPISODE}`,
      JSON.stringify({ uploadId: UPLOAD, name: 'clip.webm', size: SIZE, lastModified: 42 }),
    );
    const calls = mockApi({
      [`GET /v1/uploads/${UPLOAD}`]: { status: 200, body: uploadView([1, 3]) },
      [`POST /v1/uploads/${UPLOAD}/complete`]: { status: 200, body: uploadView([1, 2, 3], 'completed') },
    });
    const sent = mockXhr();
    const progress: UploadProgress[] = [];
    await uploadEpisodeMedia(EPISODE, file(), { onProgress: (p) => progress.push(p) });
    expect(sent.map((s) => s.bytes)).toEqual([part(2)]);
    expect(progress[1]).toEqual({
      sent: partSize(1) + partSize(3),
      total: SIZE,
      phase: 'uploading',
      durationSeconds: 3,
    });
    expect(calls.some((c) => c.method === 'POST' && c.path.endsWith('/uploads'))).toBe(false);
  });

  it('starts afresh for a different file, even with an interrupted upload remembered', async () => {
    localStorage.setItem(
      `series:upload:${EPISODE}`,
      JSON.stringify({ uploadId: UPLOAD, name: 'other.webm', size: SIZE, lastModified: 42 }),
    );
    const calls = mockApi({
      [`POST /v1/episodes/${EPISODE}/uploads`]: { status: 201, body: uploadView([]) },
      [`POST /v1/uploads/${UPLOAD}/complete`]: { status: 200, body: uploadView([1, 2, 3], 'completed') },
    });
    mockXhr();
    await uploadEpisodeMedia(EPISODE, file(), { onProgress: () => {} });
    expect(calls.map((c) => `${c.method} ${c.path}`)[0]).toBe(`POST /v1/episodes/${EPISODE}/uploads`);
  });

  it('retries a part whose connection dropped, and can be paused and resumed later', async () => {
    mockApi({
      [`POST /v1/episodes/${EPISODE}/uploads`]: { status: 201, body: uploadView([]) },
      [`GET /v1/uploads/${UPLOAD}`]: { status: 200, body: uploadView([1, 2]) },
      [`POST /v1/uploads/${UPLOAD}/complete`]: { status: 200, body: uploadView([1, 2, 3], 'completed') },
    });
    const sent = mockXhr((n, attempt) => (n === 2 && attempt === 1 ? 'drop' : 200));
    const pause = new AbortController();
    const progress: UploadProgress[] = [];
    const first = uploadEpisodeMedia(EPISODE, file(), {
      signal: pause.signal,
      onProgress: (p) => {
        progress.push(p);
        // Pause once part 2 is through (after its retry).
        if (p.sent === 2 * PART) pause.abort(new DOMException('Paused', 'AbortError'));
      },
    });
    await expect(first).rejects.toThrow('Paused');
    expect(sent.map((s) => s.bytes.length)).toEqual([PART, PART]);
    expect(rememberedUpload(EPISODE)?.uploadId).toBe(UPLOAD);

    await uploadEpisodeMedia(EPISODE, file(), { onProgress: () => {} });
    expect(sent.map((s) => s.bytes)).toEqual([part(1), part(2), part(3)]);
    expect(rememberedUpload(EPISODE)).toBeNull();
  }, 10_000);

  it('passes on the API’s refusal of the file (too long) and forgets the rejected upload', async () => {
    mockApi({
      [`POST /v1/episodes/${EPISODE}/uploads`]: { status: 201, body: uploadView([]) },
      [`POST /v1/uploads/${UPLOAD}/complete`]: {
        status: 422,
        body: apiError('episode_too_long', 'The video lasts 20:01; an episode lasts at most 20 minutes'),
      },
    });
    mockXhr();
    const failure = await uploadEpisodeMedia(EPISODE, file(), { onProgress: () => {} }).catch((err: unknown) => err);
    expect(failure).toBeInstanceOf(ApiFailure);
    expect(failure).toMatchObject({
      code: 'episode_too_long',
      message: 'The video lasts 20:01; an episode lasts at most 20 minutes',
    });
    expect(rememberedUpload(EPISODE)).toBeNull();
  });
});

describe('the file is read in the browser before anything is sent', () => {
  const refusal = (f: File) => uploadEpisodeMedia(EPISODE, f, { onProgress: () => {} }).catch((err: unknown) => err);

  it('a 21-minute video is refused with the worker’s own code and message, with no request at all', async () => {
    const calls = mockApi({});
    const sent = mockXhr();
    const failure = await refusal(file(fixture('long-1201s.mp4'), 'long.mp4'));
    expect(failure).toBeInstanceOf(ApiFailure);
    expect(failure).toMatchObject({
      status: 422,
      code: 'episode_too_long',
      message: 'This video lasts 20:01; an episode lasts at most 20 minutes',
      details: { durationSeconds: 1201 },
    });
    expect([calls, sent]).toEqual([[], []]);
  });

  it('a file that is not a video, a truncated one, and one whose header lies are refused the same way', async () => {
    const calls = mockApi({});
    const text = new TextEncoder().encode('not a video\n'.repeat(100));
    expect(await refusal(file(text, 'notes.mp4'))).toMatchObject({ code: 'unsupported_media' });
    expect(await refusal(file(CLIP.subarray(0, SIZE >> 1)))).toMatchObject({ code: 'truncated_media' });
    // The 3-second MP4 with its movie header claiming 60 s.
    const lying = fixture('clip-3s.mp4');
    const mvhd = new TextDecoder('latin1').decode(lying).indexOf('mvhd');
    const view = new DataView(lying.buffer);
    view.setUint32(mvhd + 20, 60 * view.getUint32(mvhd + 16));
    expect(await refusal(file(lying, 'clip.mp4'))).toMatchObject({
      code: 'duration_mismatch',
      details: { headerSeconds: 60, mediaSeconds: 3 },
    });
    expect(calls).toEqual([]);
  });

  it('checkVideoFile reads how long a real file plays, from a File, in a few reads', async () => {
    const f = file(fixture('exactly-1200s.mp4'), 'ep.mp4');
    const slice = vi.spyOn(f, 'slice');
    expect(await checkVideoFile(f)).toEqual({ durationSeconds: 1200, contentType: 'video/mp4' });
    expect(slice.mock.calls.length).toBeLessThanOrEqual(3);
    expect(await checkVideoFile(file(fixture('recorded-8s.webm')))).toEqual({
      durationSeconds: 8,
      contentType: 'video/webm',
    });
  });
});
