/** TikTok Login Kit settings: the app's credentials (secrets) and the two origins (real ones unless configured). */

export const TIKTOK_AUTH_ORIGIN = 'https://www.tiktok.com';
export const TIKTOK_API_ORIGIN = 'https://open.tiktokapis.com';

/** Creators are asked for their profile (username, verified badge), counts and videos; viewers for the basics. */
export const CREATOR_SCOPES = ['user.info.basic', 'user.info.profile', 'user.info.stats', 'video.list'];
export const SIGNIN_SCOPES = ['user.info.basic', 'user.info.profile'];

export interface TikTokConfig {
  clientKey: string;
  clientSecret: string;
  /** TOKEN_ENCRYPTION_KEY: refresh tokens are kept AES-GCM-encrypted with a key derived from it. */
  encryptionKey: string;
  authOrigin: string;
  apiOrigin: string;
}

/** The settings, or null when this deploy has not been given the app's credentials (TikTok sign-in is off). */
export function tiktokConfig(env: Env): TikTokConfig | null {
  const { TIKTOK_CLIENT_KEY, TIKTOK_CLIENT_SECRET, TOKEN_ENCRYPTION_KEY } = env;
  if (!TIKTOK_CLIENT_KEY || !TIKTOK_CLIENT_SECRET || !TOKEN_ENCRYPTION_KEY || TOKEN_ENCRYPTION_KEY.length < 32) {
    return null;
  }
  return {
    clientKey: TIKTOK_CLIENT_KEY,
    clientSecret: TIKTOK_CLIENT_SECRET,
    encryptionKey: TOKEN_ENCRYPTION_KEY,
    authOrigin: (env.TIKTOK_AUTH_ORIGIN || TIKTOK_AUTH_ORIGIN).replace(/\/+$/, ''),
    apiOrigin: (env.TIKTOK_API_ORIGIN || TIKTOK_API_ORIGIN).replace(/\/+$/, ''),
  };
}

/** The registered redirect URI: static, no query string, on the site's origin (SITE_ORIGIN or the request's). */
export const redirectUri = (env: Env, requestUrl: string) =>
  `${(env.SITE_ORIGIN || new URL(requestUrl).origin).replace(/\/+$/, '')}/v1/auth/tiktok/callback`;

/** Login Kit's authorize address for this flow. */
export function authorizeUrl(config: TikTokConfig, opts: { scopes: string[]; redirectUri: string; state: string }) {
  const url = new URL('/v2/auth/authorize/', config.authOrigin);
  url.searchParams.set('client_key', config.clientKey);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', opts.scopes.join(','));
  url.searchParams.set('redirect_uri', opts.redirectUri);
  url.searchParams.set('state', opts.state);
  return url.toString();
}
