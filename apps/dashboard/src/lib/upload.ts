import type { ByteSource } from '@series/core/media';
import { api, ApiFailure, checkBody, request } from './api.js';
import type { UploadView } from './types.js';

/**
 * Resumable episode video uploads over the worker's multipart API: the file goes in fixed-size parts
 * (`partSize` from the API), each retried on its own, so a dropped connection costs one part, not the file.
 * The open upload is remembered per episode in localStorage: choosing the same file again, even after a
 * reload, sends only the parts the API has not received (`GET /v1/uploads/:id`). Before any of that, the file is
 * read in the browser by the worker's own probe, so a file the worker would refuse is refused before it is sent.
 */

export interface UploadProgress {
  sent: number;
  total: number;
  /**
   * `checking`: the browser is reading the file's duration; `verifying`: every byte arrived and the worker is
   * reading it in turn (it stays the judge).
   */
  phase: 'checking' | 'uploading' | 'verifying';
  /** How long the file plays, as read in the browser (once checked). */
  durationSeconds?: number;
}

/** A file read by ranges, the way the probe reads an R2 object in the worker. */
export function fileSource(file: Blob): ByteSource {
  return {
    size: file.size,
    read: async (offset, length) => new Uint8Array(await file.slice(offset, offset + length).arrayBuffer()),
  };
}

/**
 * Reads how long the video plays with the worker's own probe (`checkEpisodeVideo`, loaded on first use), locally:
 * a 21-minute file, a file that is not a video, one whose header lies or that is too complex to check, is refused
 * here with the worker's code and message ({@link ApiFailure}, status 422) before a byte is sent.
 */
export async function checkVideoFile(file: Blob): Promise<{ durationSeconds: number; contentType: string }> {
  const { checkEpisodeVideo } = await import('@series/core/media');
  let check: Awaited<ReturnType<typeof checkEpisodeVideo>>;
  try {
    check = await checkEpisodeVideo(fileSource(file));
  } catch {
    // The browser could not read the file (moved, changed or deleted since it was chosen).
    throw new ApiFailure(0, 'file_unreadable', 'This file could not be read; choose it again');
  }
  if (!check.ok) throw new ApiFailure(422, check.code, check.message, [], check.details ?? {});
  return { durationSeconds: check.durationSeconds, contentType: check.contentType };
}

export interface RememberedUpload {
  uploadId: string;
  name: string;
  size: number;
  lastModified: number;
}

const storageKey = (episodeId: string) => `series:upload:${episodeId}`;

/** The interrupted upload of this episode, if any (to offer a resume). */
export function rememberedUpload(episodeId: string): RememberedUpload | null {
  try {
    const raw = localStorage.getItem(storageKey(episodeId));
    return raw ? (JSON.parse(raw) as RememberedUpload) : null;
  } catch {
    return null;
  }
}

function remember(episodeId: string, file: File, uploadId: string) {
  const value: RememberedUpload = { uploadId, name: file.name, size: file.size, lastModified: file.lastModified };
  try {
    localStorage.setItem(storageKey(episodeId), JSON.stringify(value));
  } catch {
    // Private mode or a full storage: the upload still works, it just cannot resume after a reload.
  }
}

export function forgetUpload(episodeId: string) {
  try {
    localStorage.removeItem(storageKey(episodeId));
  } catch {
    // Nothing to forget.
  }
}

/**
 * Path parameters of the `/v1/uploads/:id…` routes. The worker's param validator also returns the part
 * number, so its type asks for one even on routes without it.
 */
const uploadParam = (id: string) => ({ id, partNumber: undefined });

const sameFile = (r: RememberedUpload, f: File) =>
  r.name === f.name && r.size === f.size && r.lastModified === f.lastModified;

/** The bytes of part `n` (1-based): every part is `partSize` long except the last. */
export function partRange(upload: Pick<UploadView, 'size' | 'partSize' | 'partCount'>, n: number): [number, number] {
  const start = (n - 1) * upload.partSize;
  return [start, n < upload.partCount ? start + upload.partSize : upload.size];
}

/** Parts still to send, given the ones the API has. */
export function missingParts(upload: Pick<UploadView, 'partCount' | 'parts'>): number[] {
  const have = new Set(upload.parts.map((p) => p.partNumber));
  return Array.from({ length: upload.partCount }, (_, i) => i + 1).filter((n) => !have.has(n));
}

async function resumeOrStart(episodeId: string, file: File): Promise<UploadView> {
  const previous = rememberedUpload(episodeId);
  if (previous && sameFile(previous, file)) {
    try {
      const { upload } = await request(() => api.v1.uploads[':id'].$get({ param: uploadParam(previous.uploadId) }));
      if (upload.status === 'open' || upload.status === 'completed') return upload;
    } catch (err) {
      if (err instanceof ApiFailure && err.unreachable) throw err;
      // Gone or no longer ours: start afresh.
    }
  }
  const { upload } = await request(() =>
    api.v1.episodes[':id'].uploads.$post({ param: { id: episodeId }, json: { size: file.size } }),
  );
  remember(episodeId, file, upload.id);
  return upload;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(signal.reason);
    });
  });

/** PUTs one part with XMLHttpRequest, the only browser API that reports upload progress. */
function putPart(url: string, body: Blob, onLoaded: (bytes: number) => void, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    xhr.upload.onprogress = (e) => onLoaded(e.loaded);
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      try {
        checkBody(xhr.status, body);
        resolve();
      } catch (err) {
        if (err instanceof ApiFailure && xhr.status === 429) {
          (err.details as { retryAfter?: number }).retryAfter = Number(xhr.getResponseHeader('Retry-After')) || 5;
        }
        reject(err);
      }
    };
    xhr.onerror = () => reject(new ApiFailure(0, 'network', 'The connection dropped while sending the video'));
    xhr.onabort = () => reject(signal?.reason ?? new DOMException('Upload paused', 'AbortError'));
    signal?.addEventListener('abort', () => xhr.abort());
    xhr.send(body);
  });
}

/** Sends one part, retrying what a retry can fix: a dropped connection, a busy server, a rate limit. */
async function sendPart(url: string, body: Blob, onLoaded: (bytes: number) => void, signal?: AbortSignal) {
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      await putPart(url, body, onLoaded, signal);
      return;
    } catch (err) {
      const retryable = err instanceof ApiFailure && (err.status === 0 || err.status === 429 || err.status >= 500);
      if (!retryable || attempt >= 4 || signal?.aborted) throw err;
      onLoaded(0);
      const retryAfter = (err.details as { retryAfter?: number }).retryAfter;
      await sleep(retryAfter ? retryAfter * 1000 : 1000 * 2 ** (attempt - 1), signal);
    }
  }
}

/**
 * Checks the file in the browser ({@link checkVideoFile}), then uploads (or resumes uploading) it and has the worker
 * verify and install it. Rejects with an AbortError when `signal` pauses it (resume by calling again with the same
 * file), or an {@link ApiFailure} carrying the reason, the browser's or the API's (`episode_too_long`,
 * `unsupported_media`, `duration_mismatch`, …).
 */
export async function uploadEpisodeMedia(
  episodeId: string,
  file: File,
  { onProgress: report, signal }: { onProgress: (p: UploadProgress) => void; signal?: AbortSignal },
): Promise<UploadView> {
  report({ sent: 0, total: file.size, phase: 'checking' });
  const { durationSeconds } = await checkVideoFile(file);
  signal?.throwIfAborted();
  const onProgress = (p: UploadProgress) => report({ ...p, durationSeconds });
  let upload = await resumeOrStart(episodeId, file);
  if (upload.status === 'completed') {
    forgetUpload(episodeId);
    return upload;
  }
  // Twice at most: the API may report parts missing at completion (e.g. one re-sent elsewhere failed).
  for (let round = 0; round < 2; round++) {
    const missing = missingParts(upload);
    let sent =
      upload.size - missing.reduce((n, part) => n + (partRange(upload, part)[1] - partRange(upload, part)[0]), 0);
    onProgress({ sent, total: upload.size, phase: 'uploading' });
    for (const n of missing) {
      const [start, end] = partRange(upload, n);
      const url = api.v1.uploads[':id'].parts[':partNumber'].$url({ param: { id: upload.id, partNumber: String(n) } });
      await sendPart(
        url.href,
        file.slice(start, end),
        (loaded) => onProgress({ sent: sent + loaded, total: upload.size, phase: 'uploading' }),
        signal,
      );
      sent += end - start;
      onProgress({ sent, total: upload.size, phase: 'uploading' });
    }
    onProgress({ sent: upload.size, total: upload.size, phase: 'verifying' });
    try {
      const { upload: done } = await request(() =>
        api.v1.uploads[':id'].complete.$post({ param: uploadParam(upload.id) }),
      );
      forgetUpload(episodeId);
      return done;
    } catch (err) {
      if (err instanceof ApiFailure && err.code === 'upload_incomplete' && round === 0) {
        upload = (await request(() => api.v1.uploads[':id'].$get({ param: uploadParam(upload.id) }))).upload;
        continue;
      }
      // Refused files are discarded by the worker: the next try starts a new upload.
      if (err instanceof ApiFailure && (err.status === 422 || err.code === 'upload_not_open')) forgetUpload(episodeId);
      throw err;
    }
  }
  throw new ApiFailure(409, 'upload_incomplete', 'Some parts did not arrive; choose the file again to resume');
}
