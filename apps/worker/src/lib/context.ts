import type { CreatorStatus } from '@series/core';

/** The signed-in account, as every authenticated request knows it. */
export interface SessionUser {
  id: string;
  /** Null for an account made by "Continue with TikTok" until its owner adds one (migration 0017). */
  email: string | null;
  createdAt: number;
  /** When the address was verified (a link mailed to it was opened); null: not yet (migration 0022). */
  emailVerifiedAt?: number | null;
}

/**
 * A creators row with a live claim: a user who claimed a video-site handle, pending, approved or suspended (see
 * migrations 0001, 0006, 0015). Sessions carry only these.
 */
export interface CreatorRow {
  id: string;
  user_id: string;
  handle: string;
  display_name: string;
  status: CreatorStatus;
  created_at: number;
  status_changed_at: number;
  /** Stripe Connect (migration 0006). */
  stripe_account_id?: string | null;
  stripe_charges_enabled?: number;
  /** The handle a claim that ended (rejected, expired) had; null while the claim is live (migration 0015). */
  released_handle?: string | null;
  /** How the handle was proven: 'tiktok' (Login Kit), 'bio_code' (confirmed by an admin), null (migration 0017). */
  verified_by?: 'tiktok' | 'bio_code' | null;
  verified_at?: number | null;
  /** The one-time code given for the bio-code fallback, and when (migration 0017; valid 7 days). */
  bio_code?: string | null;
  bio_code_at?: number | null;
}

/** Any creators row: also a claim that ended (status rejected or expired), whose handle is free again (null). */
export type CreatorRecord = Omit<CreatorRow, 'handle'> & { handle: string | null };

export interface Session {
  user: SessionUser;
  /** The user's creator profile as of this request, if they claimed a handle. */
  creator: CreatorRow | null;
  token: string;
  /** Cookie sessions come from browsers and need CSRF protection; bearer tokens do not. */
  via: 'bearer' | 'cookie';
}

export interface AppEnv {
  Bindings: Env;
  Variables: {
    session: Session | null;
    /** The results of a route's own directory reads made with the session (`loadSessionWith`). */
    sessionReads?: D1Result<Record<string, unknown>>[];
  };
}
