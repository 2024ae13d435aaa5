import { describe, expect, it, vi } from 'vitest';
import { ApiFailure } from '../src/lib/api.js';
import {
  missingParts,
  partRange,
  rememberedUpload,
  uploadEpisodeMedia,
  type UploadProgress,
} from '../src/lib/upload.js';
import { apiError, mockApi } from './support/mock-api.js';

const EPISODE = 'ep_0123456789abcdefghij';
const UPLOAD = 'upl_0123456789abcdefghij';

/** A 10-byte file in 4-byte parts: 1 = bytes 0..3, 2 = 4..7, 3 = 8..9. */
const file = () =>
  new File([new Uint8Array([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])], 'clip.webm', { type: 'video/webm', lastModified: 42 });

const uploadView = (parts: number[], status = 'open') => ({
  upload: {
    id: UPLOAD,
    episodeId: EPISODE,
    size: 10,
    partSize: 4,
    partCount: 3,
    status,
    failureCode: null,
    parts: parts.map((n) => ({ partNumber: n, size: n === 3 ? 2 : 4 })),
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
      [0, 4],
      [4, 8],
      [8, 10],
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
    expect(calls.find((c) => c.path.endsWith('/uploads'))?.body).toEqual({ size: 10 });
    expect(sent.map((s) => [new URL(s.url).pathname, s.bytes])).toEqual([
      [`/v1/uploads/${UPLOAD}/parts/1`, [0, 1, 2, 3]],
      [`/v1/uploads/${UPLOAD}/parts/2`, [4, 5, 6, 7]],
      [`/v1/uploads/${UPLOAD}/parts/3`, [8, 9]],
    ]);
    const sentBytes = progress.map((p) => p.sent);
    expect(sentBytes).toEqual([...sentBytes].sort((a, b) => a - b));
    expect(progress.at(-1)).toEqual({ sent: 10, total: 10, phase: 'verifying' });
    expect(rememberedUpload(EPISODE)).toBeNull();
  });

  it('resumes after a reload: the same file sends only the parts the API has not received', async () => {
    localStorage.setItem(
      `series:upload:${EPISODE}`,
      JSON.stringify({ uploadId: UPLOAD, name: 'clip.webm', size: 10, lastModified: 42 }),
    );
    const calls = mockApi({
      [`GET /v1/uploads/${UPLOAD}`]: { status: 200, body: uploadView([1, 3]) },
      [`POST /v1/uploads/${UPLOAD}/complete`]: { status: 200, body: uploadView([1, 2, 3], 'completed') },
    });
    const sent = mockXhr();
    const progress: UploadProgress[] = [];
    await uploadEpisodeMedia(EPISODE, file(), { onProgress: (p) => progress.push(p) });
    expect(sent.map((s) => s.bytes)).toEqual([[4, 5, 6, 7]]);
    expect(progress[0]).toEqual({ sent: 6, total: 10, phase: 'uploading' });
    expect(calls.some((c) => c.method === 'POST' && c.path.endsWith('/uploads'))).toBe(false);
  });

  it('starts afresh for a different file, even with an interrupted upload remembered', async () => {
    localStorage.setItem(
      `series:upload:${EPISODE}`,
      JSON.stringify({ uploadId: UPLOAD, name: 'other.webm', size: 10, lastModified: 42 }),
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
        if (p.sent === 8) pause.abort(new DOMException('Paused', 'AbortError'));
      },
    });
    await expect(first).rejects.toThrow('Paused');
    expect(sent.map((s) => s.bytes.length)).toEqual([4, 4]);
    expect(rememberedUpload(EPISODE)?.uploadId).toBe(UPLOAD);

    await uploadEpisodeMedia(EPISODE, file(), { onProgress: () => {} });
    expect(sent.map((s) => s.bytes)).toEqual([
      [0, 1, 2, 3],
      [4, 5, 6, 7],
      [8, 9],
    ]);
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
