/** The TikTok stand-in (scripts/tiktok-stand-in.mjs): Login Kit's authorize page, the token endpoint, the v2 API. */
export const STAND_IN_CLIENT_KEY: string;
export const STAND_IN_CLIENT_SECRET: string;
export interface StandInVideo {
  id: string;
  title: string;
  duration: number;
  create_time: number;
}
export interface StandInAccount {
  open_id: string;
  union_id: string;
  username: string;
  display_name: string;
  follower_count: number;
  following_count: number;
  likes_count: number;
  is_verified: boolean;
  bio_description: string;
  videos: StandInVideo[];
}
export const ACCOUNTS: StandInAccount[];
export function startTikTokStandIn(options?: {
  port?: number;
  host?: string;
  redirectUris?: string[];
  unref?: boolean;
}): Promise<{ url: string; close(): Promise<void> }>;
