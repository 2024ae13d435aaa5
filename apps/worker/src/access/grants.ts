import { sign, verify } from '../lib/signing.js';

/** Playback grants live minutes: revoking access (refund, dispute) takes effect as soon as they lapse. */
export const GRANT_TTL_MS = 5 * 60 * 1000;
const PURPOSE = 'playback-grant';

export interface Grant {
  /** The viewer it was issued to ('anonymous' for free episodes watched signed out). */
  viewerId: string;
  episodeId: string;
  expiresAt: number;
}

/** `<viewer>.<episode>.<expiry ms>.<hmac>`: opaque to clients, checkable without a database read. */
export async function issueGrant(secret: string, grant: Grant): Promise<string> {
  const message = `${grant.viewerId}.${grant.episodeId}.${grant.expiresAt}`;
  return `${message}.${await sign(secret, PURPOSE, message)}`;
}

/** The grant if the token is authentic, unexpired and for this episode; null otherwise. */
export async function checkGrant(
  secret: string,
  token: string,
  episodeId: string,
  now = Date.now(),
): Promise<Grant | null> {
  const parts = token.split('.');
  if (parts.length !== 4) return null;
  const [viewerId, grantEpisode, expiry, signature] = parts as [string, string, string, string];
  if (!(await verify(secret, PURPOSE, `${viewerId}.${grantEpisode}.${expiry}`, signature))) return null;
  const expiresAt = Number(expiry);
  if (grantEpisode !== episodeId || !Number.isSafeInteger(expiresAt) || expiresAt <= now) return null;
  return { viewerId, episodeId: grantEpisode, expiresAt };
}
