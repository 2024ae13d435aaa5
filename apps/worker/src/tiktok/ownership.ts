// What a creator's TikTok token proves about videos: the account's access, on demand, from the kept (sealed)
// refresh token; which videos are theirs (/v2/video/query/) and their recent ones (/v2/video/list/).
import { ApiError } from '../lib/errors.js';
import { listVideos, queryVideos, refreshAccess, TikTokFailure } from './client.js';
import { tiktokConfig, type TikTokConfig } from './config.js';
import { decryptToken, encryptToken } from './tokens.js';
import { dropRefreshToken, findTikTokAccountOfUser, storeRefreshToken, type TikTokAccountRow } from './queries.js';

export const notConfigured = () =>
  new ApiError(503, 'tiktok_not_configured', 'TikTok sign-in is not configured on this server');

export const reconnect = (why: string) =>
  new ApiError(409, 'tiktok_reconnect', `${why}: connect TikTok again from the dashboard (Connect TikTok)`);

/** A TikTok failure as the API says it: down is 503, an error JSON is the upstream's reason (never a token). */
export function tiktokProblem(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof TikTokFailure) {
    if (err.kind === 'unavailable') {
      return new ApiError(
        503,
        'tiktok_unavailable',
        'TikTok is not answering right now; nothing was changed. Try again in a minute',
      );
    }
    if (err.upstreamCode === 'scope_not_authorized') {
      return reconnect('TikTok did not give access to your videos (the video.list permission was not granted)');
    }
    if (err.upstreamCode === 'access_token_invalid' || err.upstreamCode === 'invalid_grant') {
      return reconnect('TikTok no longer accepts this connection');
    }
    return new ApiError(502, 'tiktok_error', `TikTok refused the request (${err.upstreamCode})`);
  }
  throw err;
}

/** A fresh access token for the user's connected account (null: no account connected), kept refresh token rotated. */
export async function accessFor(
  env: Env,
  userId: string,
): Promise<{ config: TikTokConfig; account: TikTokAccountRow; accessToken: string } | null> {
  const account = await findTikTokAccountOfUser(env.DB, userId);
  if (!account) return null;
  const config = tiktokConfig(env);
  if (!config) throw notConfigured();
  if (!account.refresh_token || (account.refresh_expires_at !== null && account.refresh_expires_at < Date.now())) {
    throw reconnect('Your TikTok connection has lapsed');
  }
  const refreshToken = await decryptToken(config.encryptionKey, account.refresh_token, account.open_id);
  if (!refreshToken) throw reconnect('Your TikTok connection can no longer be read');
  let grant;
  try {
    grant = await refreshAccess(config, refreshToken);
  } catch (err) {
    if (err instanceof TikTokFailure && err.kind === 'rejected') await dropRefreshToken(env.DB, account.open_id);
    throw tiktokProblem(err);
  }
  if (grant.openId !== account.open_id) throw reconnect('TikTok answered for another account');
  if (grant.refreshToken && grant.refreshToken !== refreshToken) {
    const expiresAt = grant.refreshExpiresIn ? Date.now() + grant.refreshExpiresIn * 1000 : null;
    await storeRefreshToken(
      env.DB,
      account.open_id,
      await encryptToken(config.encryptionKey, grant.refreshToken, account.open_id),
      expiresAt,
    );
  }
  return { config, account, accessToken: grant.accessToken };
}

/**
 * Whether a link of this video by this user is a verified one. A user without a connected TikTok account links
 * unverified (the fallback; such links never block anyone); a connected one may link only their own videos
 * (403 video_not_yours otherwise), and their link is verified.
 */
export async function verifyVideoLink(env: Env, userId: string, videoId: string): Promise<boolean> {
  const access = await accessFor(env, userId);
  if (!access) return false;
  let videos;
  try {
    videos = await queryVideos(access.config, access.accessToken, [videoId]);
  } catch (err) {
    throw tiktokProblem(err);
  }
  if (!videos.some((v) => v.id === videoId)) {
    const message = `Video ${videoId} is not one of @${access.account.username ?? 'your account'}'s videos on TikTok: link one of your own`;
    throw new ApiError(403, 'video_not_yours', message, { issues: [{ path: 'videoId', message }] });
  }
  return true;
}

/** Of these linked video ids, the ones TikTok says are the user's (for verifying links made before connecting). */
export async function ownVideosAmong(env: Env, userId: string, videoIds: string[]): Promise<string[]> {
  if (videoIds.length === 0) return [];
  const access = await accessFor(env, userId);
  if (!access || !access.account.scope.split(',').includes('video.list')) return [];
  const videos = await queryVideos(access.config, access.accessToken, videoIds);
  return videos.map((v) => v.id);
}

/** A page of the user's recent TikTok videos, newest first, as the dashboard offers them to link. */
export async function recentVideos(env: Env, userId: string, cursor: number | null) {
  const access = await accessFor(env, userId);
  if (!access) throw new ApiError(409, 'tiktok_not_connected', 'Connect TikTok first');
  try {
    return await listVideos(access.config, access.accessToken, cursor);
  } catch (err) {
    throw tiktokProblem(err);
  }
}
