import { returnToSchema, translator } from '@series/core';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { requireUser } from '../auth/middleware.js';
import { createSession, SESSION_COOKIE, SESSION_TTL_MS } from '../auth/queries.js';
import type { AppEnv } from '../lib/context.js';
import { toBase64Url } from '../lib/encoding.js';
import { ApiError } from '../lib/errors.js';
import { pickLocale } from '../lib/locale.js';
import { validate } from '../lib/validate.js';
import { exchangeCode, TikTokFailure, userFieldsFor, userInfo } from '../tiktok/client.js';
import { authorizeUrl, CREATOR_SCOPES, redirectUri, SIGNIN_SCOPES, tiktokConfig } from '../tiktok/config.js';
import { recentVideos } from '../tiktok/ownership.js';
import {
  consumeOAuthState,
  findTikTokAccount,
  findTikTokAccountOfUser,
  insertOAuthState,
  sha256Hex,
} from '../tiktok/queries.js';
import { connectTikTok } from './connect.js';
import { FlowProblemPage, type FlowProblem } from './page.js';
import { createTikTokUser, deleteEmptyUser } from './accounts.js';

/** The cookie that binds a flow to the browser that started it (its nonce's hash is kept with the state). */
export const OAUTH_COOKIE = '__Host-series_oauth';
/** How long a started flow may take (TikTok's consent screen, a login there). */
export const OAUTH_STATE_TTL_MS = 10 * 60 * 1000;

const PROBLEMS = new Set<FlowProblem>([
  'not_configured',
  'state_invalid',
  'state_expired',
  'denied',
  'error',
  'code_rejected',
  'unavailable',
  'scope_missing',
  'session_changed',
  'connected_elsewhere',
  'other_account',
  'other_handle',
  'handle_verified_elsewhere',
  'claim_rejected',
  'handle_unsupported',
  'signin_failed',
]);

class FlowError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly problem: FlowProblem,
  ) {
    super(problem);
  }
}

/** A failure of the flow as the page shows it (an API refusal keeps its status; its code names the text). */
function asFlowError(err: unknown): FlowError {
  if (err instanceof FlowError) return err;
  if (err instanceof ApiError) {
    const name = err.code.replace(/^tiktok_/, '') as FlowProblem;
    return new FlowError(err.status, PROBLEMS.has(name) ? name : 'signin_failed');
  }
  if (err instanceof TikTokFailure) {
    if (err.kind === 'unavailable') return new FlowError(503, 'unavailable');
    if (err.upstreamCode === 'scope_not_authorized') return new FlowError(400, 'scope_missing');
    return new FlowError(502, 'error');
  }
  throw err;
}

function problemPage(c: Context<AppEnv>, err: FlowError, back: string) {
  const t = translator(pickLocale(c).locale);
  c.header('Cache-Control', 'no-store');
  return c.html(<FlowProblemPage t={t} problem={err.problem} back={back} />, err.status);
}

const startQuery = z.object({
  returnTo: returnToSchema.optional(),
  intent: z.enum(['signin', 'creator']).optional(),
});

const callbackQuery = z.object({
  state: z.string().max(200).optional(),
  code: z.string().max(2000).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(2000).optional(),
  scopes: z.string().max(500).optional(),
});

export const verificationRoutes = new Hono<AppEnv>()
  /**
   * Starts Login Kit: remembers the flow (state, bound to this browser by a cookie, 10 minutes, once) and sends the
   * browser to TikTok's authorize page. Signed in, the flow connects TikTok to this account; signed out, it signs
   * in (or up). `intent=creator` also claims the TikTok handle as a verified creator.
   */
  .get('/auth/tiktok/start', validate('query', startQuery), async (c) => {
    const { returnTo, intent = 'signin' } = c.req.valid('query');
    const back = returnTo ?? (intent === 'creator' ? '/dashboard/' : '/');
    const config = tiktokConfig(c.env);
    if (!config) return problemPage(c, new FlowError(503, 'not_configured'), back);
    const state = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
    const nonce = toBase64Url(crypto.getRandomValues(new Uint8Array(32)));
    const now = Date.now();
    await insertOAuthState(c.env.DB, {
      state_hash: await sha256Hex(state),
      browser_hash: await sha256Hex(nonce),
      user_id: c.var.session?.user.id ?? null,
      intent,
      return_to: back,
      created_at: now,
      expires_at: now + OAUTH_STATE_TTL_MS,
    });
    // Lax: the browser sends it on the top-level navigation back from TikTok, and on nothing cross-site else.
    setCookie(c, OAUTH_COOKIE, nonce, {
      httpOnly: true,
      secure: true,
      sameSite: 'Lax',
      path: '/',
      maxAge: OAUTH_STATE_TTL_MS / 1000,
    });
    const scopes = intent === 'creator' || c.var.session?.creator ? CREATOR_SCOPES : SIGNIN_SCOPES;
    c.header('Cache-Control', 'no-store');
    return c.redirect(authorizeUrl(config, { scopes, redirectUri: redirectUri(c.env, c.req.url), state }), 302);
  })
  /**
   * TikTok's redirect back (the registered redirect_uri). The state must be one this browser started and not used
   * yet; then the code is exchanged server-side and the user info read; the connection and its effects land in one
   * batch. Every failure shows a page that says what happened, and changes nothing.
   */
  .get('/auth/tiktok/callback', validate('query', callbackQuery), async (c) => {
    const q = c.req.valid('query');
    const nonce = getCookie(c, OAUTH_COOKIE);
    deleteCookie(c, OAUTH_COOKIE, { path: '/', secure: true });
    let back = '/';
    try {
      const config = tiktokConfig(c.env);
      if (!config) throw new FlowError(503, 'not_configured');
      if (!q.state) throw new FlowError(400, 'state_invalid');
      const flow = await consumeOAuthState(c.env.DB, await sha256Hex(q.state));
      if (!flow) throw new FlowError(400, 'state_invalid');
      back = flow.return_to;
      if (!nonce || (await sha256Hex(nonce)) !== flow.browser_hash) throw new FlowError(400, 'state_invalid');
      if (flow.expires_at < Date.now()) throw new FlowError(400, 'state_expired');
      if (q.error) throw new FlowError(400, q.error === 'access_denied' ? 'denied' : 'error');
      if (!q.code) throw new FlowError(400, 'error');
      // Whoever is signed in now must be whoever started it (no signing in or out in another tab meanwhile).
      const current = c.var.session?.user.id ?? null;
      if (current !== flow.user_id) throw new FlowError(400, 'session_changed');

      let grant;
      try {
        grant = await exchangeCode(config, q.code, redirectUri(c.env, c.req.url));
      } catch (err) {
        if (err instanceof TikTokFailure && err.kind === 'rejected') throw new FlowError(400, 'code_rejected');
        throw err;
      }
      const user = await userInfo(config, grant.accessToken, userFieldsFor(grant.scope));
      if (user.open_id !== grant.openId) throw new FlowError(502, 'error');

      const now = Date.now();
      let userId = flow.user_id;
      let newAccount = false;
      if (!userId) {
        const known = await findTikTokAccount(c.env.DB, grant.openId);
        if (known) userId = known.user_id;
        else {
          userId = await createTikTokUser(c.env.DB, now);
          newAccount = true;
        }
      }
      try {
        await connectTikTok(c.env, config, { userId, intent: flow.intent, user, grant, now });
      } catch (err) {
        // A new account that could not connect is not left behind.
        if (newAccount) await deleteEmptyUser(c.env.DB, userId);
        throw err;
      }
      if (!flow.user_id) {
        const { token } = await createSession(c.env.DB, userId, c.req.header('User-Agent') ?? null);
        setCookie(c, SESSION_COOKIE, token, {
          httpOnly: true,
          sameSite: 'Lax',
          secure: true,
          path: '/',
          maxAge: SESSION_TTL_MS / 1000,
        });
      }
      c.header('Cache-Control', 'no-store');
      return c.redirect(back, 303);
    } catch (err) {
      return problemPage(c, asFlowError(err), back);
    }
  })
  /** The caller's TikTok connection: whether this server offers it, and what TikTok last said (never a token). */
  .get('/me/tiktok', requireUser, async (c) => {
    const account = await findTikTokAccountOfUser(c.env.DB, c.var.user.id);
    return c.json(
      {
        configured: tiktokConfig(c.env) !== null,
        account: account
          ? {
              username: account.username,
              displayName: account.display_name,
              avatarUrl: account.avatar_url,
              followerCount: account.follower_count,
              videoCount: account.video_count,
              isVerified: account.is_verified === 1,
              scopes: account.scope ? account.scope.split(',') : [],
              canCheckVideos: account.refresh_token !== null && account.scope.split(',').includes('video.list'),
              connectedAt: new Date(account.connected_at).toISOString(),
              checkedAt: new Date(account.checked_at).toISOString(),
            }
          : null,
      },
      200,
    );
  })
  /** The caller's recent TikTok videos, newest first (to pick one to link); `cursor` continues a page. */
  .get(
    '/me/tiktok/videos',
    requireUser,
    validate('query', z.object({ cursor: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).optional() })),
    async (c) => {
      const page = await recentVideos(c.env, c.var.user.id, c.req.valid('query').cursor ?? null);
      return c.json(
        {
          videos: page.videos.map((v) => ({
            id: v.id,
            title: v.title ?? '',
            durationSeconds: typeof v.duration === 'number' ? v.duration : null,
            createdAt: typeof v.create_time === 'number' ? new Date(v.create_time * 1000).toISOString() : null,
            shareUrl: typeof v.share_url === 'string' && v.share_url.startsWith('https://') ? v.share_url : null,
          })),
          cursor: page.hasMore ? page.cursor : null,
        },
        200,
      );
    },
  );
