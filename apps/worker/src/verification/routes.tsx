import {
  addCredentialsSchema,
  bioCodeConfirmSchema,
  handleSchema,
  returnToSchema,
  translator,
  verificationSettingsSchema,
} from '@series/core';
import { Hono, type Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { z } from 'zod';
import { requireAdmin, requireCreator, requireUser } from '../auth/middleware.js';
import { hashPassword } from '../auth/password.js';
import { findMailAccount, findMailAccountByEmail } from '../auth/recovery-queries.js';
import { emailTaken, enforceMailLimits, mailOrigin, sendVerification } from '../auth/recovery.js';
import { limitPerSession } from '../lib/rate-limit.js';
import { findCreatorByHandle, findCreatorByUser, toCreator } from '../creators/queries.js';
import type { CreatorRecord } from '../lib/context.js';
import { purgeCatalog } from '../lib/public-cache.js';
import { queueSaleWindowClosing } from '../payments/sale-window.js';
import { createSession, SESSION_COOKIE, SESSION_TTL_MS } from '../auth/queries.js';
import type { AppEnv } from '../lib/context.js';
import { toBase64Url } from '../lib/encoding.js';
import { ApiError, isUniqueViolation, notFound } from '../lib/errors.js';
import { pickLocale } from '../lib/locale.js';
import { validate } from '../lib/validate.js';
import { exchangeCode, TikTokFailure, userFieldsFor, userInfo } from '../tiktok/client.js';
import { authorizeUrl, CREATOR_SCOPES, redirectUri, SIGNIN_SCOPES, tiktokConfig } from '../tiktok/config.js';
import { accessFor, recentVideos, tiktokProblem } from '../tiktok/ownership.js';
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
import { newBioCode } from './bio-code.js';
import {
  addCredentials,
  approvedUnverifiedCreators,
  BIO_CODE_TTL_MS,
  confirmBioCode,
  readSettingsRow,
  setBioCode,
  toSettings,
  writeSettings,
  type VerificationSettingsRow,
} from './queries.js';

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
  /**
   * Checks the connected TikTok account again (its kept refresh token): the facts (followers, videos, badge) are
   * updated, and a handle changed on TikTok is picked up (the old one redirects to the new one until someone else
   * verifies it). The same refusals as a connect (409 handle_verified_elsewhere, tiktok_other_handle, …); 409
   * tiktok_not_connected, tiktok_reconnect (the connection lapsed); 503 tiktok_unavailable; nothing changes then.
   */
  .post('/me/tiktok/recheck', requireUser, limitPerSession('SESSION_LIMITER'), async (c) => {
    const userId = c.var.user.id;
    const access = await accessFor(c.env, userId);
    if (!access) throw new ApiError(409, 'tiktok_not_connected', 'Connect TikTok first');
    const scope = access.account.scope ? access.account.scope.split(',') : [];
    let user;
    try {
      user = await userInfo(access.config, access.accessToken, userFieldsFor(scope));
    } catch (err) {
      throw tiktokProblem(err);
    }
    if (user.open_id !== access.account.open_id)
      throw new ApiError(502, 'tiktok_error', 'TikTok answered for another account');
    // The refresh token stays as accessFor kept it (rotated if TikTok rotated it): none is passed on here.
    const grant = {
      accessToken: access.accessToken,
      expiresIn: 0,
      openId: access.account.open_id,
      refreshToken: null,
      refreshExpiresIn: null,
      scope,
    };
    const outcome = await connectTikTok(c.env, access.config, {
      userId,
      intent: 'signin',
      user,
      grant,
      now: Date.now(),
    });
    const creator = await findCreatorByUser(c.env.DB, userId);
    return c.json(
      {
        changed: outcome.creator,
        handle: outcome.handle,
        creator: creator && creator.handle ? toCreator(creator) : null,
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
  )
  /**
   * An account made with "Continue with TikTok" adds its email address (unverified: a link is mailed to it, as at
   * sign-up) and, optionally, a password to sign in with it. Receipts go there; checkout asks for it (409
   * email_required). 409 has_email when the account has one (change it with PUT /v1/me/email), email_taken.
   */
  .post(
    '/me/credentials',
    requireUser,
    limitPerSession('SESSION_LIMITER'),
    validate('json', addCredentialsSchema),
    async (c) => {
      const { email, password } = c.req.valid('json');
      const db = c.env.DB;
      const hasEmail = () =>
        new ApiError(409, 'has_email', 'This account has an email address already: change it with PUT /v1/me/email');
      if (c.var.user.email) throw hasEmail();
      if (await findMailAccountByEmail(db, email)) throw emailTaken();
      await enforceMailLimits(c, email);
      let added: boolean;
      try {
        added = await addCredentials(db, c.var.user.id, email, password ? await hashPassword(password) : null);
      } catch (err) {
        if (isUniqueViolation(err, 'users.email')) throw emailTaken();
        throw err;
      }
      if (!added) throw hasEmail();
      const account = await findMailAccount(db, c.var.user.id);
      if (account) await sendVerification(c.env, mailOrigin(c), account, email);
      return c.json({ email, emailVerified: false, password: password !== undefined }, 200);
    },
  )
  /** The caller's current bio code (the fallback for creators who cannot connect TikTok), or null. */
  .get('/me/bio-code', requireCreator, async (c) => {
    const creator = await findCreatorByUser(c.env.DB, c.var.user.id);
    return c.json({ bioCode: creator ? toBioCode(creator, Date.now()) : null }, 200);
  })
  /**
   * Gives the caller's unverified claim a one-time code to put in their TikTok bio (a new one replaces the last);
   * an admin who sees it there confirms it. 409 already_verified for a verified handle, no_live_claim for an ended
   * claim.
   */
  .post('/me/bio-code', requireCreator, async (c) => {
    const creator = c.var.creator;
    if (creator.verified_by) {
      throw new ApiError(409, 'already_verified', `@${creator.handle} is verified already`);
    }
    const now = Date.now();
    let updated = null;
    for (let attempt = 0; attempt < 3 && !updated; attempt++) {
      try {
        updated = await setBioCode(c.env.DB, creator.id, c.var.user.id, newBioCode(), now);
        if (!updated) throw new ApiError(409, 'no_live_claim', 'This account has no live claim to verify');
      } catch (err) {
        // Two claims drew the same code (about 1 in 10^11): draw again.
        if (!isUniqueViolation(err, 'creators.bio_code')) throw err;
      }
    }
    if (!updated) throw new ApiError(503, 'try_again', 'Could not make a code; try again');
    return c.json({ bioCode: toBioCode(updated, now) }, 201);
  })
  /** The verification settings: the criteria, automatic approval, and whether selling needs a verified handle. */
  .get('/admin/verification', requireAdmin, async (c) => {
    return c.json({ settings: settingsAnswer(await readSettingsRow(c.env.DB)) }, 200);
  })
  /**
   * Changes the verification settings (audited, admin.verification_settings). Requiring verification takes the
   * series of approved, unverified creators off sale at once (their pages purged, open checkouts closed); turning
   * it off puts them back.
   */
  .put('/admin/verification', requireAdmin, validate('json', verificationSettingsSchema), async (c) => {
    const db = c.env.DB;
    const before = toSettings(await readSettingsRow(db));
    const after = { ...before, ...c.req.valid('json') };
    const row = await writeSettings(db, c.var.user.id, before, after, Date.now());
    const settings = settingsAnswer(row);
    if (before.requireVerification !== settings.requireVerification) {
      const affected = await approvedUnverifiedCreators(db);
      for (const id of affected) {
        await purgeCatalog(db, id);
        if (settings.requireVerification) {
          await queueSaleWindowClosing(c.env, { kind: 'off_sale', creatorId: id, seriesId: null });
        }
      }
      return c.json({ settings, creatorsAffected: affected.length }, 200);
    }
    return c.json({ settings, creatorsAffected: 0 }, 200);
  })
  /**
   * An admin confirms the bio code they saw in the creator's TikTok bio: the handle becomes verified by bio code
   * (audited creator.verify). 409 bio_code_mismatch when it is not the creator's current code (or it lapsed after
   * 7 days), already_verified when the handle is verified.
   */
  .post(
    '/admin/creators/:handle/confirm-bio-code',
    requireAdmin,
    validate('param', z.object({ handle: handleSchema })),
    validate('json', bioCodeConfirmSchema),
    async (c) => {
      const db = c.env.DB;
      const { handle } = c.req.valid('param');
      const now = Date.now();
      const confirmed = await confirmBioCode(db, c.var.user.id, handle, c.req.valid('json').code, now);
      if (!confirmed) {
        const found = await findCreatorByHandle(db, handle);
        if (!found) throw notFound('Creator');
        if (found.verified_by) throw new ApiError(409, 'already_verified', `@${handle} is verified already`);
        throw new ApiError(
          409,
          'bio_code_mismatch',
          `This is not @${handle}'s current bio code (or it lapsed): ask them for a new one`,
        );
      }
      await purgeCatalog(db, confirmed.id);
      return c.json({ creator: toCreator(confirmed) }, 200);
    },
  );

/** A bio code as its creator reads it: the code, and until when an admin can confirm it. */
function toBioCode(row: CreatorRecord, now: number) {
  if (!row.bio_code || row.bio_code_at == null || row.verified_by) return null;
  const expiresAt = row.bio_code_at + BIO_CODE_TTL_MS;
  return expiresAt > now ? { code: row.bio_code, expiresAt: new Date(expiresAt).toISOString() } : null;
}

function settingsAnswer(row: VerificationSettingsRow | null) {
  return {
    ...toSettings(row),
    updatedAt: row && row.updated_at > 0 ? new Date(row.updated_at).toISOString() : null,
  };
}
