import { creatorClaimSchema, handleSchema, lookupHash } from '@series/core';
import { Hono } from 'hono';
import { z } from 'zod';
import { requireUser } from '../auth/middleware.js';
import type { AppEnv } from '../lib/context.js';
import { ApiError, isUniqueViolation, notFound } from '../lib/errors.js';
import { newId } from '../lib/ids.js';
import { validate } from '../lib/validate.js';
import type { CreatorRow } from '../lib/context.js';
import {
  findCreatorByUser,
  findCreatorWithSeries,
  insertCreator,
  isRedirectedHandle,
  reopenClaim,
  toCreator,
} from './queries.js';
import { PUBLIC_CACHE } from '../lib/cache.js';
import { publicCache } from '../lib/public-cache.js';

export const creatorRoutes = new Hono<AppEnv>()
  /**
   * Claims a handle, pending approval. An account whose claim ended (rejected, expired) claims again on the same
   * profile, its drafts kept, though never the handle an admin rejected for it.
   */
  .post('/creators', requireUser, validate('json', creatorClaimSchema), async (c) => {
    const { handle, displayName } = c.req.valid('json');
    const db = c.env.DB;
    const now = Date.now();
    const handleHash = await lookupHash(handle);
    const taken = () => new ApiError(409, 'handle_taken', `@${handle} has already been claimed`);
    // A renamed verified creator's former handle keeps leading to them: only its verified owner may take it.
    if (await isRedirectedHandle(db, handle)) throw taken();
    const row: CreatorRow = {
      id: newId('cr'),
      user_id: c.var.user.id,
      handle,
      display_name: displayName,
      status: 'pending',
      created_at: now,
      status_changed_at: now,
    };
    try {
      await insertCreator(db, row, handleHash);
      return c.json({ creator: toCreator(row) }, 201);
    } catch (err) {
      if (isUniqueViolation(err, 'creators.handle')) throw taken();
      if (!isUniqueViolation(err, 'creators.user_id')) throw err;
    }
    let reopened: CreatorRow | null;
    try {
      reopened = await reopenClaim(db, { userId: c.var.user.id, handle, displayName, handleHash }, now);
    } catch (err) {
      if (isUniqueViolation(err, 'creators.handle')) throw taken();
      throw err;
    }
    if (reopened) return c.json({ creator: toCreator(reopened) }, 201);
    if ((await findCreatorByUser(db, c.var.user.id))?.status === 'rejected') {
      throw new ApiError(
        409,
        'claim_rejected',
        `An admin rejected this account's claim of @${handle}: claim another handle`,
      );
    }
    throw new ApiError(409, 'already_creator', 'This account has already claimed a handle');
  })
  .get('/creators/:handle', publicCache, validate('param', z.object({ handle: handleSchema })), async (c) => {
    const { handle } = c.req.valid('param');
    // One address per profile (`/@Name` → `/name`), so one cached answer that a purge reaches.
    if (c.req.param('handle') !== handle) return c.redirect(`/v1/creators/${handle}`, 301);
    const found = await findCreatorWithSeries(c.env.DB, handle);
    // A verified creator renamed on TikTok: their former handle leads to the new one until someone else verifies it.
    if (found?.movedTo) {
      c.header('Cache-Control', PUBLIC_CACHE);
      return c.redirect(`/v1/creators/${found.movedTo}`, 302);
    }
    if (!found?.creator || found.creator.status !== 'approved') throw notFound('Creator');
    const { creator, series } = found;
    c.header('Cache-Control', PUBLIC_CACHE);
    return c.json(
      {
        creator: { handle: creator.handle, displayName: creator.display_name, verified: creator.verified_by ?? null },
        series,
      },
      200,
    );
  });
