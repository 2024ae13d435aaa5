// The platform's criteria for verified creators (the admin's settings, migration 0018) and what they decide on
// their own: pure logic over the settings and the facts TikTok gave.

export interface VerificationSettings {
  minFollowers: number;
  minVideos: number;
  autoApprove: boolean;
  requireVerification: boolean;
}

/** What the criteria read: the TikTok account's facts as last checked (null: not shared, or not connected). */
export interface CreatorFacts {
  follower_count: number | null;
  video_count: number | null;
}

/** Whether the facts meet the criteria; unknown counts never do. */
export function meetsCriteria(settings: VerificationSettings, facts: CreatorFacts | null): boolean {
  if (!facts || facts.follower_count === null || facts.video_count === null) return false;
  return facts.follower_count >= settings.minFollowers && facts.video_count >= settings.minVideos;
}

/**
 * The rollout status a new verified claim starts in: approved at once when the admin turned on automatic
 * approval and TikTok's facts meet the criteria; otherwise pending, and the admin decides.
 */
export function initialStatus(settings: VerificationSettings, facts: CreatorFacts): 'pending' | 'approved' {
  return settings.autoApprove && meetsCriteria(settings, facts) ? 'approved' : 'pending';
}
