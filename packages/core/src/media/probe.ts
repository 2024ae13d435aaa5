/**
 * Establishes how long a video really plays, from the media itself, without loading the file: MP4 (ISO BMFF) from
 * its tracks' sample tables, edit lists and fragments, WebM (Matroska) from its clusters and Cues. The header's
 * own duration is only a claim: a file whose header and media disagree by more than {@link MAX_HEADER_DRIFT_SECONDS}
 * is refused. Works over ranged reads under {@link MEDIA_LIMITS}, so it can judge a multi-GB object in R2 (the
 * worker) or a `File` before it is uploaded (the dashboard) at a cost an attacker cannot raise.
 *
 * @example
 * const result = await checkEpisodeVideo(source); // { ok: true, container: 'mp4', durationSeconds: 754, … }
 */
import { MAX_EPISODE_SECONDS } from '../limits.js';
import { formatDuration } from '../time.js';
import { probeMp4 } from './mp4.js';
import {
  ascii,
  type ByteSource,
  MEDIA_LIMITS,
  MediaReader,
  type MediaLimits,
  type ProbeFailureCode,
  ProbeRefusal,
  type ProbeStats,
  refuse,
  u32,
} from './reader.js';
import { probeWebm } from './webm.js';

export { bytesSource, CHUNK_BYTES, MEDIA_LIMITS } from './reader.js';
export type { ByteSource, MediaLimits, ProbeFailureCode, ProbeStats } from './reader.js';

/** How far (seconds) the header's duration may be from the media's before the file is refused. */
export const MAX_HEADER_DRIFT_SECONDS = 1;

export type ProbeResult =
  | {
      ok: true;
      container: 'mp4' | 'webm';
      /** The media's own length: what the file plays. */
      durationSeconds: number;
      /** What the header states, or null when it states nothing. */
      headerSeconds: number | null;
      stats: ProbeStats;
    }
  | { ok: false; code: ProbeFailureCode; message: string; details?: Record<string, number>; stats: ProbeStats };

const EBML_MAGIC = 0x1a45dfa3;

export async function probeVideo(src: ByteSource, limits: MediaLimits = MEDIA_LIMITS): Promise<ProbeResult> {
  const r = new MediaReader(src, limits);
  try {
    const head = src.size >= 8 ? await r.peek(0, 16) : new Uint8Array(0);
    const parse =
      head.length >= 8 && ascii(head, 4, 4) === 'ftyp'
        ? probeMp4
        : head.length >= 4 && u32(head, 0) === EBML_MAGIC
          ? probeWebm
          : null;
    if (!parse) throw refuse('unsupported_media', 'This file is not an MP4 or WebM video');
    const timeline = await parse(r);
    const { mediaSeconds, headerSeconds } = timeline;
    if (!(mediaSeconds > 0) || !Number.isFinite(mediaSeconds)) {
      throw refuse('duration_unknown', 'The length of this video cannot be established from its media');
    }
    if (headerSeconds !== null && Math.abs(headerSeconds - mediaSeconds) > MAX_HEADER_DRIFT_SECONDS) {
      throw refuse(
        'duration_mismatch',
        `This video's header says it lasts ${clock(headerSeconds)}, but its media lasts ${clock(mediaSeconds)}`,
        { headerSeconds: round3(headerSeconds), mediaSeconds: round3(mediaSeconds) },
      );
    }
    return { ok: true, container: timeline.container, durationSeconds: mediaSeconds, headerSeconds, stats: r.stats };
  } catch (err) {
    if (!(err instanceof ProbeRefusal)) throw err;
    return {
      ok: false,
      code: err.code,
      message: err.message,
      ...(err.details && { details: err.details }),
      stats: r.stats,
    };
  }
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;
/** m:ss for a length in seconds that may be far from whole (or far over an hour). */
const clock = (seconds: number) => formatDuration(Math.round(Math.min(seconds, 1e9)));

export const EPISODE_VIDEO_TYPES = { mp4: 'video/mp4', webm: 'video/webm' } as const;

export type EpisodeVideoCheck =
  | {
      ok: true;
      container: 'mp4' | 'webm';
      contentType: (typeof EPISODE_VIDEO_TYPES)['mp4' | 'webm'];
      durationSeconds: number;
      stats: ProbeStats;
    }
  | {
      ok: false;
      code: ProbeFailureCode | 'episode_too_long';
      message: string;
      details?: Record<string, number>;
      stats: ProbeStats;
    };

/**
 * Whether a file may be an episode's video: a supported video whose media lasts at most 20 minutes. Its duration
 * is the media's, rounded to the nearest second (at least 1). The worker judges every upload with it; the dashboard
 * asks it first, so a file the worker would refuse is refused before it is sent.
 */
export async function checkEpisodeVideo(
  src: ByteSource,
  limits: MediaLimits = MEDIA_LIMITS,
): Promise<EpisodeVideoCheck> {
  const probe = await probeVideo(src, limits);
  if (!probe.ok) return probe;
  const seconds = Math.max(1, Math.round(probe.durationSeconds));
  if (seconds > MAX_EPISODE_SECONDS) {
    return {
      ok: false,
      code: 'episode_too_long',
      message: `This video lasts ${formatDuration(seconds)}; an episode lasts at most ${MAX_EPISODE_SECONDS / 60} minutes`,
      details: { durationSeconds: seconds },
      stats: probe.stats,
    };
  }
  return {
    ok: true,
    container: probe.container,
    contentType: EPISODE_VIDEO_TYPES[probe.container],
    durationSeconds: seconds,
    stats: probe.stats,
  };
}
