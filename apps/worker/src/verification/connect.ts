// What a completed TikTok flow does: the TikTok account is connected to the Series account (one each way), and the
// creator's handle follows what TikTok proved: verified, renamed (the old handle redirects), or a new claim. A
// verified owner takes a handle from an unverified claim (displaced); a handle another verified creator holds is
// never taken. Everything lands in one batch, or nothing does.
import { isHandle, lookupHash } from '@series/core';
import { findCreatorByUser } from '../creators/queries.js';
import type { CreatorRecord } from '../lib/context.js';
import { ApiError, isUniqueViolation } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { catalogPaths, purgeCatalog } from '../lib/public-cache.js';
import { queueSaleWindowClosing } from '../payments/sale-window.js';
import { queryVideos, type TikTokUser, type TokenGrant } from '../tiktok/client.js';
import type { TikTokConfig } from '../tiktok/config.js';
import { findTikTokAccount, findTikTokAccountOfUser, upsertTikTokAccount } from '../tiktok/queries.js';
import { encryptToken } from '../tiktok/tokens.js';
import { initialStatus } from './criteria.js';
import {
  auditVerification,
  displaceStatements,
  dropOwnRedirect,
  dropRedirect,
  handleHolders,
  insertVerifiedCreator,
  keepRedirect,
  markLinksVerified,
  readSettings,
  reopenVerifiedClaim,
  setVerifiedHandle,
  unverifiedLinks,
} from './queries.js';

export interface ConnectOutcome {
  /** The creator's handle after the flow (null: no creator). */
  handle: string | null;
  /** What happened to the creator: nothing, verified, renamed, claimed (new or reopened). */
  creator: 'none' | 'unchanged' | 'verified' | 'renamed' | 'claimed';
  displaced: string | null;
  linksVerified: number;
}

const refused = (status: 400 | 409, code: string, message: string) => new ApiError(status, code, message);

/** The TikTok account's facts as the database keeps them (a refresh token sealed, or none). */
async function accountRow(config: TikTokConfig, userId: string, user: TikTokUser, grant: TokenGrant, now: number) {
  return {
    open_id: grant.openId,
    user_id: userId,
    username: user.username ? user.username.toLowerCase() : null,
    display_name: (user.display_name ?? '').slice(0, 100),
    avatar_url:
      typeof user.avatar_url === 'string' && /^https?:\/\//.test(user.avatar_url)
        ? user.avatar_url.slice(0, 1000)
        : null,
    follower_count: typeof user.follower_count === 'number' ? user.follower_count : null,
    video_count: typeof user.video_count === 'number' ? user.video_count : null,
    is_verified: user.is_verified ? 1 : 0,
    scope: grant.scope.join(','),
    refresh_token: grant.refreshToken
      ? await encryptToken(config.encryptionKey, grant.refreshToken, grant.openId)
      : null,
    refresh_expires_at: grant.refreshToken && grant.refreshExpiresIn ? now + grant.refreshExpiresIn * 1000 : null,
    checked_at: now,
  };
}

/** Who already holds what this flow would connect: refuses a TikTok account of someone else, or a second one. */
export async function checkConnectable(db: D1Database, userId: string, openId: string) {
  const [byOpenId, byUser] = await Promise.all([findTikTokAccount(db, openId), findTikTokAccountOfUser(db, userId)]);
  if (byOpenId && byOpenId.user_id !== userId) {
    throw refused(
      409,
      'tiktok_connected_elsewhere',
      'This TikTok account is connected to another Series account: sign in with TikTok instead',
    );
  }
  if (byUser && byUser.open_id !== openId) {
    throw refused(
      409,
      'tiktok_other_account',
      `This Series account is connected to another TikTok account (@${byUser.username ?? '…'})`,
    );
  }
}

export async function connectTikTok(
  env: Env,
  config: TikTokConfig,
  opts: { userId: string; intent: 'signin' | 'creator'; user: TikTokUser; grant: TokenGrant; now: number },
): Promise<ConnectOutcome> {
  const { userId, intent, user, grant, now } = opts;
  const db = env.DB;
  await checkConnectable(db, userId, grant.openId);
  const row = await accountRow(config, userId, user, grant, now);
  const statements: D1PreparedStatement[] = [upsertTikTokAccount(db, row, now)];
  const record = await findCreatorByUser(db, userId);
  const live = record && record.handle !== null ? (record as CreatorRecord & { handle: string }) : null;
  const handle = row.username;
  const outcome: ConnectOutcome = {
    handle: live?.handle ?? null,
    creator: live ? 'unchanged' : 'none',
    displaced: null,
    linksVerified: 0,
  };
  let displacedHolder: CreatorRecord | null = null;

  if (live || intent === 'creator') {
    if (!handle) {
      if (intent === 'creator') {
        throw refused(
          400,
          'tiktok_scope_missing',
          'TikTok did not share your username: allow profile access (user.info.profile) and connect again',
        );
      }
    } else if (!isHandle(handle)) {
      throw refused(400, 'tiktok_handle_unsupported', `@${handle} is not a handle Series can show`);
    } else if (live && live.handle !== handle && live.verified_by !== 'tiktok') {
      throw refused(
        409,
        'tiktok_other_handle',
        `This account claimed @${live.handle}, but this TikTok account is @${handle}: connect the TikTok account @${live.handle}`,
      );
    } else if (!live || live.handle !== handle) {
      // The handle changes hands (a claim, or a rename on TikTok): whoever holds it now must yield or refuse.
      const creatorId = live?.id ?? record?.id ?? null;
      const { holder, redirectOf } = await handleHolders(db, handle);
      if (holder && holder.id !== creatorId) {
        if (holder.verified_by) {
          throw refused(409, 'handle_verified_elsewhere', `@${handle} belongs to another verified creator`);
        }
        displacedHolder = holder;
        statements.push(...displaceStatements(db, holder.id, handle, creatorId ?? 'new', now));
      }
      if (redirectOf && redirectOf !== creatorId) statements.push(dropRedirect(db, handle));
      const handleHash = await lookupHash(handle);
      if (live) {
        statements.push(
          keepRedirect(db, live.handle, await lookupHash(live.handle), live.id, now),
          dropOwnRedirect(db, handle, live.id),
          setVerifiedHandle(db, live.id, handle, handleHash, now),
          auditVerification(db, userId, 'creator.rename', handle, { from: live.handle, via: 'tiktok' }, now),
        );
        outcome.creator = 'renamed';
      } else {
        if (record?.status === 'rejected' && record.released_handle === handle) {
          throw refused(409, 'claim_rejected', `An admin rejected this account's claim of @${handle}`);
        }
        const status = initialStatus(await readSettings(db), row);
        const displayName = row.display_name || handle;
        statements.push(
          record
            ? reopenVerifiedClaim(db, { id: record.id, handle, displayName, status, handleHash }, now)
            : insertVerifiedCreator(db, { id: newId('cr'), userId, handle, displayName, status, handleHash }, now),
          auditVerification(
            db,
            userId,
            'creator.verify',
            handle,
            // An automatic approval says so, with the facts it rested on.
            status === 'approved'
              ? { via: 'tiktok', status, autoApproved: true, followers: row.follower_count, videos: row.video_count }
              : { via: 'tiktok', status },
            now,
          ),
        );
        outcome.creator = 'claimed';
      }
      outcome.handle = handle;
    } else if (live.verified_by !== 'tiktok') {
      statements.push(
        setVerifiedHandle(db, live.id, handle, await lookupHash(handle), now),
        auditVerification(db, userId, 'creator.verify', handle, { via: 'tiktok' }, now),
      );
      outcome.creator = 'verified';
    }
  }

  const before = live ? await catalogPaths(db, live.id) : [];
  const holderBefore = displacedHolder ? await catalogPaths(db, displacedHolder.id) : [];
  try {
    await db.batch(statements);
  } catch (err) {
    // Someone else took the handle (verified) or connected this TikTok account between our reads and the batch.
    if (isUniqueViolation(err, 'creators.handle')) {
      throw refused(409, 'handle_verified_elsewhere', `@${handle} belongs to another verified creator`);
    }
    if (isUniqueViolation(err, 'tiktok_accounts')) {
      throw refused(409, 'tiktok_connected_elsewhere', 'This TikTok account is connected to another Series account');
    }
    throw err;
  }
  if (displacedHolder) {
    outcome.displaced = handle;
    await purgeCatalog(db, displacedHolder.id, holderBefore);
    if (displacedHolder.status === 'approved') {
      await queueSaleWindowClosing(env, { kind: 'off_sale', creatorId: displacedHolder.id, seriesId: null });
    }
  }
  const creator = outcome.creator === 'none' ? null : await findCreatorByUser(db, userId);
  if (creator && creator.handle) {
    if (outcome.creator !== 'unchanged') await purgeCatalog(db, creator.id, before);
    // Links made before connecting become verified where TikTok says the video is theirs.
    if (grant.scope.includes('video.list')) {
      const ids = await unverifiedLinks(db, creator.id);
      if (ids.length) {
        try {
          const own = await queryVideos(config, grant.accessToken, ids);
          outcome.linksVerified = await markLinksVerified(
            db,
            creator.id,
            own.map((v) => v.id),
          );
          if (outcome.linksVerified) await purgeCatalog(db, creator.id);
        } catch {
          // Not fatal: the links stay unverified until the next connect.
        }
      }
    }
  }
  return outcome;
}
