import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { checkGrant } from '../access/grants.js';
import type { AppEnv } from '../lib/context.js';
import { ApiError, errorBody } from '../lib/errors.js';
import { episodeIdParam } from '../lib/params.js';
import { findEpisodeMedia } from './queries.js';
import { parseRange } from './range.js';

export const playbackRoutes = new Hono<AppEnv>()
  /**
   * Streams an episode's video to the holder of a playback grant, honouring `Range` so players can seek.
   * The grant is the capability (a `<video>` element cannot send a bearer token); it lives minutes and
   * names its viewer, and a signed-in caller may only use grants issued to them.
   */
  .get(
    '/media/:id',
    episodeIdParam,
    validator('query', (q) => ({ grant: typeof q['grant'] === 'string' ? q['grant'] : '' })),
    async (c) => {
      const { id } = c.req.valid('param');
      const grant = await checkGrant(c.env.SIGNING_SECRET, c.req.valid('query').grant, id);
      if (!grant) throw new ApiError(403, 'invalid_grant', 'This playback link is invalid or has expired');
      const viewer = c.var.session?.user.id;
      if (viewer && grant.viewerId !== 'anonymous' && grant.viewerId !== viewer) {
        throw new ApiError(403, 'invalid_grant', 'This playback link was issued to someone else');
      }
      const episode = await findEpisodeMedia(c.env.DB, id);
      if (!episode?.media_key || !episode.media_size) {
        throw new ApiError(404, 'media_not_uploaded', 'No video file has been uploaded for this episode yet');
      }
      const size = episode.media_size;
      const range = parseRange(c.req.header('Range'), size);
      if (range === 'unsatisfiable') {
        c.header('Content-Range', `bytes */${size}`);
        return c.json(errorBody('range_not_satisfiable', `The file is ${size} bytes long`), 416);
      }
      const object = await c.env.MEDIA.get(
        episode.media_key,
        range ? { range: { offset: range.start, length: range.end - range.start + 1 } } : undefined,
      );
      if (!object)
        throw new ApiError(404, 'media_not_uploaded', 'No video file has been uploaded for this episode yet');
      const headers = new Headers({
        'Content-Type': episode.media_content_type ?? 'application/octet-stream',
        'Accept-Ranges': 'bytes',
        'Content-Length': String(range ? range.end - range.start + 1 : size),
        ETag: object.httpEtag,
        'Cache-Control': 'private, max-age=300',
        'Cross-Origin-Resource-Policy': 'cross-origin',
        'X-Content-Type-Options': 'nosniff',
      });
      if (range) headers.set('Content-Range', `bytes ${range.start}-${range.end}/${size}`);
      return new Response(object.body, { status: range ? 206 : 200, headers });
    },
  );
