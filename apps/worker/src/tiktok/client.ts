// TikTok's v2 API as documented (Login Kit for Web, User info, Video query/list), called from the worker only.
// Tokens never leave this module's callers' memory: nothing here logs them, and failures carry TikTok's error
// code and log id, never a token.
import type { TikTokConfig } from './config.js';

/** Why a call to TikTok failed: it could not be reached or answered nonsense, or it answered an error. */
export class TikTokFailure extends Error {
  constructor(
    readonly kind: 'unavailable' | 'rejected',
    /** TikTok's own code (`invalid_grant`, `access_token_invalid`, `scope_not_authorized`, …), or ours. */
    readonly upstreamCode: string,
    message: string,
  ) {
    super(message);
  }
}

export interface TokenGrant {
  accessToken: string;
  expiresIn: number;
  openId: string;
  refreshToken: string | null;
  refreshExpiresIn: number | null;
  scope: string[];
}

export interface TikTokUser {
  open_id: string;
  union_id?: string;
  avatar_url?: string;
  display_name?: string;
  username?: string;
  follower_count?: number;
  video_count?: number;
  is_verified?: boolean;
}

export interface TikTokVideo {
  id: string;
  title?: string;
  duration?: number;
  cover_image_url?: string;
  share_url?: string;
  create_time?: number;
}

const TIMEOUT_MS = 8000;

async function request(url: string, init: RequestInit): Promise<{ status: number; json: Record<string, any> }> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch {
    throw new TikTokFailure('unavailable', 'unreachable', 'TikTok could not be reached');
  }
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TikTokFailure('unavailable', `http_${res.status}`, `TikTok answered ${res.status} without JSON`);
  }
  if (typeof json !== 'object' || json === null) {
    throw new TikTokFailure('unavailable', `http_${res.status}`, 'TikTok answered something unexpected');
  }
  return { status: res.status, json: json as Record<string, any> };
}

/** The v2 API's envelope: `error.code` is "ok" on success. */
function envelope(status: number, json: Record<string, any>) {
  const code = typeof json['error']?.code === 'string' ? (json['error'].code as string) : null;
  if (code === 'ok' && status < 400) return (json['data'] ?? {}) as Record<string, any>;
  if (code && code !== 'ok' && status < 500 && code !== 'internal_error') {
    throw new TikTokFailure('rejected', code, String(json['error'].message || code));
  }
  throw new TikTokFailure('unavailable', code ?? `http_${status}`, `TikTok failed (${status})`);
}

async function tokenRequest(config: TikTokConfig, fields: Record<string, string>): Promise<TokenGrant> {
  const { status, json } = await request(`${config.apiOrigin}/v2/oauth/token/`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Cache-Control': 'no-cache' },
    body: new URLSearchParams({ client_key: config.clientKey, client_secret: config.clientSecret, ...fields }),
  });
  if (typeof json['error'] === 'string' && json['error']) {
    if (status >= 500 || json['error'] === 'server_error') {
      throw new TikTokFailure('unavailable', json['error'], 'TikTok failed to issue a token');
    }
    throw new TikTokFailure('rejected', json['error'], String(json['error_description'] || json['error']));
  }
  const { access_token, open_id, expires_in, refresh_token, refresh_expires_in, scope } = json;
  if (status >= 400 || typeof access_token !== 'string' || typeof open_id !== 'string' || !open_id) {
    throw new TikTokFailure(status >= 500 ? 'unavailable' : 'rejected', `http_${status}`, 'TikTok issued no token');
  }
  return {
    accessToken: access_token,
    expiresIn: Number(expires_in) || 0,
    openId: open_id,
    refreshToken: typeof refresh_token === 'string' && refresh_token ? refresh_token : null,
    refreshExpiresIn: Number(refresh_expires_in) || null,
    scope: String(scope ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  };
}

/** Exchanges the authorization code (server-side, with the app's secret). */
export const exchangeCode = (config: TikTokConfig, code: string, redirectUri: string) =>
  tokenRequest(config, { code, grant_type: 'authorization_code', redirect_uri: redirectUri });

/** A fresh access token from a kept refresh token. */
export const refreshAccess = (config: TikTokConfig, refreshToken: string) =>
  tokenRequest(config, { grant_type: 'refresh_token', refresh_token: refreshToken });

/** The fields each granted scope allows (asking for one not granted is `scope_not_authorized`). */
export function userFieldsFor(scope: string[]): string[] {
  const fields = ['open_id', 'union_id', 'avatar_url', 'display_name'];
  if (scope.includes('user.info.profile')) fields.push('username', 'is_verified');
  if (scope.includes('user.info.stats')) fields.push('follower_count', 'video_count');
  return fields;
}

export async function userInfo(config: TikTokConfig, accessToken: string, fields: string[]): Promise<TikTokUser> {
  const url = `${config.apiOrigin}/v2/user/info/?fields=${fields.join(',')}`;
  const { status, json } = await request(url, { headers: { Authorization: `Bearer ${accessToken}` } });
  const user = envelope(status, json)['user'];
  if (typeof user !== 'object' || user === null || typeof user.open_id !== 'string') {
    throw new TikTokFailure('unavailable', 'no_user', 'TikTok answered no user');
  }
  return user as TikTokUser;
}

const VIDEO_FIELDS = 'id,title,duration,cover_image_url,share_url,create_time';

function videosOf(data: Record<string, any>): TikTokVideo[] {
  const videos = Array.isArray(data['videos']) ? data['videos'] : [];
  return videos.filter((v: any) => typeof v?.id === 'string' && /^[0-9]{1,25}$/.test(v.id)) as TikTokVideo[];
}

/** Of these ids (at most 20 a request), those TikTok says belong to the token's user. */
export async function queryVideos(config: TikTokConfig, accessToken: string, ids: string[]): Promise<TikTokVideo[]> {
  const found: TikTokVideo[] = [];
  for (let i = 0; i < ids.length; i += 20) {
    const { status, json } = await request(`${config.apiOrigin}/v2/video/query/?fields=${VIDEO_FIELDS}`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ filters: { video_ids: ids.slice(i, i + 20) } }),
    });
    found.push(...videosOf(envelope(status, json)));
  }
  return found;
}

/** A page of the user's recent videos, newest first. */
export async function listVideos(config: TikTokConfig, accessToken: string, cursor: number | null, max = 20) {
  const { status, json } = await request(`${config.apiOrigin}/v2/video/list/?fields=${VIDEO_FIELDS}`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${accessToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(cursor ? { max_count: max, cursor } : { max_count: max }),
  });
  const data = envelope(status, json);
  return {
    videos: videosOf(data),
    cursor: typeof data['cursor'] === 'number' ? data['cursor'] : null,
    hasMore: data['has_more'] === true,
  };
}
